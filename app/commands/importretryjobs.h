#pragma once

#include "app/commandcontext.h"
#include "app/jobrunner.h"

namespace gapless::app {

/// Whether `import` and `errors retry` run as jobs: with `--connect` or `--idempotency-key`
/// (D-CLI-10); else they run directly in this process as before.
[[nodiscard]] bool runsAsJob(const CommandContext &ctx, const JobRoute &route);

/// `gapless import` as an `import` job (CLI-6, CLI-9, CLI-14): `args` per PROTO §1.7; the rows
/// the job rejected or flagged on stderr, then CLI-9's summary or document; exit 3 if a row
/// was rejected.
[[nodiscard]] int runImportJob(const CommandContext &ctx, const JobRoute &route, const QJsonObject &args);

/// `gapless errors retry ID` as a `retry_error` job (ING-11, CLI-13, CLI-14): exit 0 when the
/// row ends resolved, else 1 with the job's error.
[[nodiscard]] int runErrorsRetryJob(const CommandContext &ctx, const JobRoute &route, qint64 id);

} // namespace gapless::app
