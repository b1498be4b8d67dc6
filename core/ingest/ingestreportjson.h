#pragma once

#include "core/ingest/fileimport.h"

#include <QJsonObject>

namespace gapless::ingest {

/// CLI-9's `--json` document of an import: {file, series_id, rows, inserted, updated,
/// identical, rejected[{line, time?, reasons, message}], anomalies[{line, time, kind}]}. The
/// `import` job's result is this document plus `job_id`.
[[nodiscard]] QJsonObject importReportJson(const ImportReport &report);

/// ING-11's answer for a journal row whose batch ran again and committed (`errors retry
/// --json`): {id, status "resolved", run_id, series_id, inserted, updated, identical}.
[[nodiscard]] QJsonObject batchRetryJson(qint64 errorId, qint64 runId, const SeriesOutcome &outcome);

} // namespace gapless::ingest
