#pragma once

#include "app/commandcontext.h"

#include <QJsonObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace gapless::app {

/// Where and under which key a job subcommand runs its job (CLI-14, IDEM-2).
struct JobRoute
{
    std::optional<QUrl> connect; ///< `--connect ws://H:P`: a running core; none: in-process on `--db`
    QString token;               ///< `--token T` for `--connect`
    QString key;                 ///< `--idempotency-key K`, else a new UUIDv4
};

/// Takes `--connect URL` out of `arguments` and checks it, `--token` and `--idempotency-key`;
/// each Error is a usage error (exit 2) naming the option.
[[nodiscard]] Result<JobRoute> takeJobRoute(const CommandContext &ctx, QStringList *arguments);

/// How a job ended, as the CLI prints it.
struct JobOutcome
{
    Result<QJsonObject> result = QJsonObject(); ///< the job's result (or a synchronous answer), or its error
    QString jobId;                               ///< empty for a synchronous answer
    bool replayed = false;                       ///< the key's cached answer (IDEM-8)
};

/// A job event's `progress` object {done, total, unit, note} (JOB-11).
using JobProgress = std::function<void(const QJsonObject &progress)>;

/// Sends `name` with `args` under the route's key and waits for the job's terminal state
/// (IDEM-8): on acceptance the job is watched; `in_progress` waits for that job; a replay
/// answers at once.
[[nodiscard]] JobOutcome runJob(const CommandContext &ctx, const JobRoute &route, const QString &name,
                                const QJsonObject &args, const JobProgress &progress = {});

/// Ends a job subcommand: a failure prints `gapless: <message>` and exits 1; else `print` gets
/// the result (with `"replayed":true` under --json when replayed) and gives the exit code. A
/// replay also prints `(replayed)` on stderr.
[[nodiscard]] int finishJob(const CommandContext &ctx, const JobOutcome &outcome,
                            const std::function<int(const QJsonObject &)> &print);

} // namespace gapless::app
