#pragma once

#include "core/backfill/fetchretry.h"

#include <QJsonObject>

namespace gapless::backfill {

/// BF-23's `--json` document for a range backfill of [from, to] (`job_id` null in-process).
[[nodiscard]] QJsonObject backfillReportJson(const SeriesId &series, qint64 from, qint64 to, const GapResult &result,
                                             qint64 requests, qint64 ms);

/// ING-11's answer for a `fetch` journal row (BF-23, `errors retry --json`): the backfill
/// document of the row's range plus {id, status (resolved or open), run_id}.
[[nodiscard]] QJsonObject fetchRetryJson(const FetchRetryResult &retry, qint64 runId, qint64 requests, qint64 ms);

} // namespace gapless::backfill
