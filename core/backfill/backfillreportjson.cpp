#include "core/backfill/backfillreportjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

QJsonObject backfillReportJson(const SeriesId &series, qint64 from, qint64 to, const GapResult &r, qint64 requests,
                               qint64 ms)
{
    return QJsonObject{{u"job_id"_s, QJsonValue()},
                       {u"series_id"_s, series.toString()},
                       {u"from"_s, double(from)},
                       {u"to"_s, double(to)},
                       {u"slots"_s, double(r.slotCount)},
                       {u"present_before"_s, double(r.presentBefore)},
                       {u"filled"_s, double(r.filled)},
                       {u"source_missing"_s, double(r.sourceMissing)},
                       {u"still_missing"_s, double(r.stillMissing)},
                       {u"requests"_s, double(requests)},
                       {u"duration_ms"_s, double(ms)},
                       {u"errors"_s, QJsonArray::fromStringList(r.errors)}};
}

QJsonObject fetchRetryJson(const FetchRetryResult &retry, qint64 runId, qint64 requests, qint64 ms)
{
    QJsonObject doc = backfillReportJson(retry.series, retry.from, retry.to, retry.gap, requests, ms);
    doc.insert(u"id"_s, retry.errorId);
    doc.insert(u"status"_s, retry.resolved ? u"resolved"_s : u"open"_s);
    doc.insert(u"run_id"_s, runId);
    return doc;
}

} // namespace gapless::backfill
