#pragma once

#include "app/commandcontext.h"
#include "core/backfill/backfillreportjson.h"

#include <QJsonObject>

namespace gapless::app {

/// `gapless backfill --series ID [--from T] [--to T]` (BF-22/23): a backfill job, in-process
/// on `--db` or on `--connect` (CLI-14); exit 0 when nothing is left missing, 3 when some is.
int runBackfill(const CommandContext &ctx);

using backfill::backfillReportJson;
/// BF-23's line from a backfill job's result (or any object with its fields).
[[nodiscard]] QString backfillResultLine(const QJsonObject &result);
/// BF-23's line: `ID [from..to]: S slots, P present, F filled, M source-missing, R still missing; Q requests, D s`.
[[nodiscard]] QString backfillReportLine(const SeriesId &series, qint64 from, qint64 to,
                                         const backfill::GapResult &result, qint64 requests, qint64 ms);

} // namespace gapless::app
