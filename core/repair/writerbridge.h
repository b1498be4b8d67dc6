#pragma once

#include "core/domain/result.h"
#include "core/ingest/ingestwriter.h"

#include <functional>

namespace gapless::repair {

/// Runs `work` on the writer thread with its open store and waits for the answer; the
/// calling thread blocks (never the GUI thread). No open store is `unavailable`.
[[nodiscard]] Result<QJsonObject> onWriter(ingest::IngestWriter *writer,
                                           std::function<Result<QJsonObject>(store::CandleStore &)> work);

/// Submits `run` to the single ingest pipeline and waits for its report, running a local
/// event loop on the calling thread.
[[nodiscard]] ingest::RunReport runAndWait(ingest::IngestWriter *writer, const ingest::IngestRun &run);

/// The first failed series of `report` as an error naming the step, or nothing.
[[nodiscard]] std::optional<Error> runFailure(const ingest::RunReport &report);

} // namespace gapless::repair
