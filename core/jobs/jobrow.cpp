#include "core/jobs/jobrow.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

QJsonValue orNull(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue jsonOrNull(const QByteArray &json)
{
    if (json.isEmpty())
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue::Null;
}

} // namespace

bool JobRow::isTerminalState(const QString &state)
{
    return state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1;
}

QJsonObject JobRow::toEventJson() const
{
    const QJsonObject progress{{u"done"_s, double(progressDone)},
                               {u"total"_s, orNull(progressTotal)},
                               {u"unit"_s, progressUnit},
                               {u"note"_s, textOrNull(progressNote)}};
    const QJsonValue error = errorCode.isEmpty()
                                 ? QJsonValue(QJsonValue::Null)
                                 : QJsonValue(QJsonObject{{u"code"_s, errorCode}, {u"message"_s, errorMessage}});
    return {
        {u"job_id"_s, QString::number(jobId)},
        {u"kind"_s, kind},
        {u"series_id"_s, textOrNull(seriesId)},
        {u"idempotency_key"_s, textOrNull(idempotencyKey)},
        {u"node_id"_s, nodeId},
        {u"state"_s, state},
        {u"progress"_s, progress},
        {u"heartbeat_at_ms"_s, orNull(heartbeatAtMs)},
        {u"attempts"_s, double(attempts)},
        {u"next_attempt_at_ms"_s, orNull(nextAttemptAtMs)},
        {u"cancel_requested"_s, cancelRequested},
        {u"created_at_ms"_s, double(createdAtMs)},
        {u"started_at_ms"_s, orNull(startedAtMs)},
        {u"finished_at_ms"_s, orNull(finishedAtMs)},
        {u"error"_s, error},
        {u"result"_s, jsonOrNull(resultJson)},
    };
}

QJsonObject JobRow::toListJson() const
{
    QJsonObject out = toEventJson();
    out.insert(u"args"_s, jsonOrNull(argsJson));
    return out;
}

QStringList jobKinds()
{
    return {u"backfill"_s, u"repair"_s, u"verify"_s, u"import"_s, u"retry_error"_s, u"review_resolve"_s};
}

QStringList jobStates()
{
    return {u"queued"_s, u"running"_s, u"succeeded"_s, u"failed"_s, u"cancelled"_s};
}

} // namespace gapless::jobs
