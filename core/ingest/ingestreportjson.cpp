#include "core/ingest/ingestreportjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

QJsonObject importReportJson(const ImportReport &report)
{
    QJsonArray rejected;
    for (const RejectedRow &row : report.rejected) {
        QJsonObject item{{u"line"_s, row.line},
                         {u"reasons"_s, QJsonArray::fromStringList(row.reasons)},
                         {u"message"_s, rejectedMessage(report.file, row)}};
        if (row.time)
            item.insert(u"time"_s, *row.time);
        rejected.append(item);
    }
    QJsonArray anomalies;
    for (const AnomalyRow &row : report.anomalies) {
        anomalies.append(QJsonObject{
            {u"line"_s, *row.line}, {u"time"_s, row.time}, {u"kind"_s, anomalyKindName(row.kind)}});
    }
    return QJsonObject{{u"file"_s, report.file},
                       {u"series_id"_s, report.series.toString()},
                       {u"rows"_s, report.rows},
                       {u"inserted"_s, report.inserted},
                       {u"updated"_s, report.updated},
                       {u"identical"_s, report.identical},
                       {u"rejected"_s, rejected},
                       {u"anomalies"_s, anomalies}};
}

QJsonObject batchRetryJson(qint64 errorId, qint64 runId, const SeriesOutcome &outcome)
{
    return QJsonObject{{u"id"_s, errorId},
                       {u"status"_s, u"resolved"_s},
                       {u"run_id"_s, runId},
                       {u"series_id"_s, outcome.series.toString()},
                       {u"inserted"_s, outcome.inserted},
                       {u"updated"_s, outcome.updated},
                       {u"identical"_s, outcome.identical}};
}

} // namespace gapless::ingest
