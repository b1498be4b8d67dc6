#include "core/ingest/journalentry.h"

#include "core/domain/canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

constexpr qint64 kTimeLimit = 100000000000; // DOM-6: time in [0, 10^11)
const QString kBatchShape = u"[time, open, high, low, close, volume]"_s;

QJsonValue nullable(std::optional<qint64> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// A `*_json` column as the JSON it holds. Text that is not JSON (never written by us) stays
// visible as a string rather than vanishing into null.
QJsonValue parsedJson(const QByteArray &text)
{
    if (text.isEmpty())
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (doc.isArray())
        return doc.array();
    if (doc.isObject())
        return doc.object();
    return QString::fromUtf8(text);
}

QString kindName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Array: return u"an array"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::String: return u"a string"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::Bool: return u"a boolean"_s;
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

Result<void> checkMember(const QString &field, const QString &value, const QStringList &allowed)
{
    if (allowed.contains(value))
        return {};
    return Error::internal(u"ingest error entry %1 '%2': not allowed; expected one of %3"_s.arg(
        field, value, allowed.join(u", "_s)));
}

Result<Candle> candleFromElement(const QJsonValue &element, qsizetype position)
{
    const QString where = u"batch_json element %1"_s.arg(position);
    if (!element.isArray())
        return Error::badRequest(u"%1: got %2; expected %3"_s.arg(where, kindName(element), kBatchShape));
    const QJsonArray items = element.toArray();
    if (items.size() != 6)
        return Error::badRequest(u"%1: got %2 items; expected 6, %3"_s.arg(where).arg(items.size()).arg(kBatchShape));
    static const std::array<QString, 6> names{u"time"_s, u"open"_s, u"high"_s, u"low"_s, u"close"_s, u"volume"_s};
    for (qsizetype k = 0; k < 6; ++k) {
        if (!items.at(k).isDouble())
            return Error::badRequest(u"%1: %2 is %3; expected a number"_s.arg(where, names.at(k), kindName(items.at(k))));
    }
    // Two defaults tell a whole number within qint64 from anything else (see canonicaljson.cpp).
    const qint64 time = items.at(0).toInteger(-1);
    if (time != items.at(0).toInteger(0) || time < 0 || time >= kTimeLimit)
        return Error::badRequest(u"%1: time %2; expected whole Unix seconds in [0, %3)"_s.arg(
            where, QString::fromUtf8(canonicalJson(items.at(0)))).arg(kTimeLimit));
    Candle c{time, items.at(1).toDouble(), items.at(2).toDouble(), items.at(3).toDouble(), items.at(4).toDouble(),
             items.at(5).toDouble()};
    return c;
}

} // namespace

QJsonObject JournalEntry::toJson(bool withBatch) const
{
    QJsonObject o{
        {u"id"_s, id},
        {u"at_ms"_s, atMs},
        {u"run_id"_s, runId},
        {u"source"_s, source},
        {u"step"_s, step},
        {u"series_id"_s, seriesId},
        {u"request_id"_s, nullable(requestId)},
        {u"job_id"_s, jobId ? QJsonValue(QString::number(*jobId)) : QJsonValue(QJsonValue::Null)},
        {u"first_time"_s, nullable(firstTime)},
        {u"last_time"_s, nullable(lastTime)},
        {u"candle_count"_s, candleCount},
        {u"message"_s, message},
        {u"compensated"_s, compensated},
        {u"overlay_compensated"_s, overlayCompensated},
        {u"candle_compensated_rows"_s, candleCompensatedRows},
        {u"compensation_error"_s, nullable(compensationError)},
        {u"rejected_json"_s, parsedJson(rejectedJson)},
        {u"status"_s, status},
        {u"retry_of"_s, nullable(retryOf)},
        {u"resolved_by_run"_s, nullable(resolvedByRun)},
        {u"resolved_at_ms"_s, nullable(resolvedAtMs)},
    };
    if (withBatch)
        o.insert(u"batch_json"_s, parsedJson(batchJson));
    return o;
}

JournalEntry fetchFailureEntry(qint64 atMs, const QString &source, const QString &seriesId, const QString &message,
                               std::optional<qint64> firstTime, std::optional<qint64> lastTime)
{
    JournalEntry entry;
    entry.firstTime = firstTime;
    entry.lastTime = lastTime;
    entry.atMs = atMs;
    entry.source = source;
    entry.step = u"fetch"_s;
    entry.seriesId = seriesId;
    entry.message = message;
    return entry;
}

QStringList journalSources()
{
    return {u"live"_s, u"backfill"_s, u"import"_s, u"repair"_s, u"review"_s, u"retry"_s, u"rollup"_s, u"demo"_s};
}

QStringList journalSteps()
{
    return {u"validate"_s, u"store"_s, u"factor"_s, u"overlay"_s, u"commit"_s, u"publish"_s, u"fetch"_s, u"job"_s};
}

QStringList journalStatuses()
{
    return {u"open"_s, u"retried"_s, u"resolved"_s};
}

Result<void> validateJournalEntry(const JournalEntry &entry)
{
    if (auto ok = checkMember(u"source"_s, entry.source, journalSources()); !ok)
        return ok;
    if (auto ok = checkMember(u"step"_s, entry.step, journalSteps()); !ok)
        return ok;
    return checkMember(u"status"_s, entry.status, journalStatuses());
}

QByteArray batchJson(const CandleList &candles)
{
    QJsonArray rows;
    for (const Candle &c : candles)
        rows.append(QJsonArray{c.time, c.open, c.high, c.low, c.close, c.volume});
    return canonicalJson(rows);
}

Result<CandleList> candlesFromBatchJson(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::badRequest(u"batch_json: invalid JSON at offset %1 (%2); expected an array of %3"_s.arg(
            QString::number(parseError.offset), parseError.errorString(), kBatchShape));
    if (!doc.isArray())
        return Error::badRequest(u"batch_json: got %1; expected an array of %2"_s.arg(
            doc.isObject() ? u"an object"_s : u"a bare value"_s, kBatchShape));
    const QJsonArray rows = doc.array();
    CandleList candles;
    candles.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        auto candle = candleFromElement(rows.at(i), i + 1);
        if (!candle)
            return candle.error();
        candles.append(*candle);
    }
    return candles;
}

QString journalMessage(const QString &step, const QString &seriesId, std::optional<qint64> firstTime,
                       std::optional<qint64> lastTime, qint64 candleCount, const QString &cause, qint64 candlesUndone,
                       bool factorUndone, const QString &compensationError)
{
    const QString extent = firstTime && lastTime
                               ? u"%1..%2, %3 candles"_s.arg(*firstTime).arg(*lastTime).arg(candleCount)
                               : u"%1 candles"_s.arg(candleCount);
    QString message = u"ingest %1 failed for %2 [%3]: %4"_s.arg(step, seriesId, extent, cause);
    if (candlesUndone > 0)
        message += u"; candles undone: "_s + QString::number(candlesUndone);
    if (factorUndone)
        message += u"; factor undone"_s;
    if (!compensationError.isEmpty())
        message += u"; compensation error: "_s + compensationError;
    return message;
}

QString journalMessage(const JournalEntry &entry, const QString &cause)
{
    return journalMessage(entry.step, entry.seriesId, entry.firstTime, entry.lastTime, entry.candleCount, cause,
                          entry.candleCompensatedRows, entry.overlayCompensated, entry.compensationError);
}

} // namespace gapless::ingest
