#include "core/protocol/serverframes.h"

#include "core/domain/result.h"
#include "core/protocol/candletext.h"
#include "core/protocol/clientframe.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace serverframe {

namespace {

QJsonObject frame(MessageType type)
{
    return QJsonObject{{u"type"_s, messageTypeName(type)}, {u"v"_s, kProtocolVersion}};
}

QJsonValue seriesValue(const SeriesId &series)
{
    return series.isValid() ? QJsonValue(series.toString()) : QJsonValue();
}

} // namespace

QJsonObject candleJson(const Candle &candle)
{
    return QJsonObject{{u"time"_s, static_cast<double>(candle.time)},
                       {u"open"_s, candle.open},
                       {u"high"_s, candle.high},
                       {u"low"_s, candle.low},
                       {u"close"_s, candle.close},
                       {u"volume"_s, candle.volume}};
}

QJsonArray candlesJson(const Candle *first, qsizetype count)
{
    QJsonArray array;
    for (qsizetype i = 0; i < count; ++i)
        array.append(candleJson(first[i]));
    return array;
}

QJsonObject hello(const HelloInfo &info)
{
    QJsonObject json = frame(MessageType::Hello);
    json.insert(u"server_version"_s, info.serverVersion);
    json.insert(u"protocol_version"_s, kProtocolVersion);
    json.insert(u"min_version"_s, kMinProtocolVersion);
    json.insert(u"capabilities"_s, QJsonArray{u"batch"_s, u"forming"_s, u"gap_heal"_s, u"commands"_s, u"watch"_s});
    json.insert(u"limits"_s, QJsonObject{{u"max_frame_bytes"_s, static_cast<double>(info.maxFrameBytes)},
                                         {u"max_subscriptions"_s, info.maxSubscriptions},
                                         {u"catchup_limit"_s, info.catchupLimit}});
    json.insert(u"heartbeat_s"_s, info.heartbeatS);
    json.insert(u"server_time"_s, static_cast<double>(info.serverTimeS));
    json.insert(u"node_id"_s, info.nodeId);
    return json;
}

QJsonObject candleClosed(const SeriesId &series, const Candle &candle)
{
    QJsonObject json = frame(MessageType::CandleClosed);
    json.insert(u"series_id"_s, series.toString());
    json.insert(u"candle"_s, candleJson(candle));
    return json;
}

QJsonObject candleForming(const SeriesId &series, const Candle &candle)
{
    QJsonObject json = frame(MessageType::CandleForming);
    json.insert(u"series_id"_s, series.toString());
    json.insert(u"candle"_s, candleJson(candle));
    return json;
}

QJsonObject candlesBatch(const SeriesId &series, const Candle *first, qsizetype count)
{
    QJsonObject json = frame(MessageType::CandlesBatch);
    json.insert(u"series_id"_s, series.toString());
    json.insert(u"candles"_s, candlesJson(first, count));
    return json;
}

QByteArray candlesBatchText(const SeriesId &series, const Candle *first, qsizetype count)
{
    QByteArray out = QByteArrayLiteral("{\"candles\":");
    candletext::appendCandles(out, first, count);
    // The other keys sort after "candles", so the codec writes them after the array.
    QJsonObject rest = frame(MessageType::CandlesBatch);
    rest.insert(u"series_id"_s, series.toString());
    const QByteArray tail = text(rest);
    out.append(',');
    out.append(QByteArrayView(tail).sliced(1));
    return out;
}

QJsonObject gap(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, qint64 missingBars, bool healed)
{
    QJsonObject json = frame(MessageType::Gap);
    json.insert(u"series_id"_s, series.toString());
    json.insert(u"expected_next_time"_s, static_cast<double>(expectedNextTime));
    json.insert(u"actual_time"_s, static_cast<double>(actualTime));
    json.insert(u"missing_bars"_s, static_cast<double>(missingBars));
    json.insert(u"healed"_s, healed);
    return json;
}

QJsonObject system(const QString &event, const SeriesId &series, const QString &message, const QJsonObject &data)
{
    QJsonObject json = frame(MessageType::System);
    json.insert(u"event"_s, event);
    json.insert(u"series_id"_s, seriesValue(series));
    json.insert(u"message"_s, message);
    json.insert(u"data"_s, data);
    return json;
}

QJsonObject flat(MessageType type, const QJsonObject &fields)
{
    QJsonObject json = fields;
    const QJsonObject head = frame(type);
    for (auto it = head.begin(); it != head.end(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

QJsonObject result(const QString &requestId, const QJsonValue &data, bool replayed)
{
    QJsonObject json = frame(MessageType::Result);
    json.insert(u"request_id"_s, requestId);
    json.insert(u"ok"_s, true);
    json.insert(u"data"_s, data);
    if (replayed)
        json.insert(u"replayed"_s, true);
    return json;
}

QJsonObject failure(const QString &requestId, const Error &error, const QJsonObject &data)
{
    QJsonObject body{{u"code"_s, error.codeName()}, {u"message"_s, error.message}};
    if (!data.isEmpty())
        body.insert(u"data"_s, data);
    QJsonObject json = frame(MessageType::Result);
    json.insert(u"request_id"_s, requestId);
    json.insert(u"ok"_s, false);
    json.insert(u"error"_s, body);
    return json;
}

QJsonObject error(const Error &error, const QString &seriesId, const QString &requestId)
{
    QJsonObject json = frame(MessageType::Error);
    json.insert(u"code"_s, error.codeName());
    json.insert(u"message"_s, error.message);
    if (!seriesId.isEmpty())
        json.insert(u"series_id"_s, seriesId);
    if (!requestId.isEmpty())
        json.insert(u"request_id"_s, requestId);
    return json;
}

QByteArray text(const QJsonObject &frame)
{
    return QJsonDocument(frame).toJson(QJsonDocument::Compact);
}

} // namespace serverframe

OutFrame OutFrame::fromText(QByteArray text)
{
    OutFrame frame;
    frame.m_text = std::move(text);
    return frame;
}

QByteArray OutFrame::text() const
{
    return m_text.isNull() ? serverframe::text(m_json) : m_text;
}

QJsonObject OutFrame::json() const
{
    return m_text.isNull() ? m_json : QJsonDocument::fromJson(m_text).object();
}

Result<ServerFrame> decodeServerFrame(const QByteArray &utf8)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::badRequest(u"server frame: invalid JSON at offset %1 (%2); expected one JSON object"_s
                                     .arg(parseError.offset)
                                     .arg(parseError.errorString()));
    if (!doc.isObject())
        return Error::badRequest(u"server frame: got an array; expected a JSON object"_s);
    const QJsonObject json = doc.object();
    const auto type = messageTypeFromName(json.value("type"_L1).toString());
    if (!type || isClientMessage(*type))
        return Error::badRequest(gotExpected(u"server frame type", json.value("type"_L1), u"a server frame type"));
    return ServerFrame{*type, json};
}

namespace {

// How a message names the candle: `candle`, or `candles[3]` for index 3 of a list. Built only
// for a message, so a long list is read without formatting a name per candle.
QString candleName(qsizetype index)
{
    return index < 0 ? u"candle"_s : u"candles[%1]"_s.arg(index);
}

Result<Candle> readCandle(const QJsonValue &value, qsizetype index)
{
    if (!value.isObject())
        return Error::badRequest(
            gotExpected(candleName(index), value, u"an object {time, open, high, low, close, volume}"));
    const QJsonObject json = value.toObject();
    Candle c;
    const QJsonValue time = json.value("time"_L1);
    // toInteger refuses fractions and numbers beyond qint64, which a cast from double would wrap.
    const qint64 t = time.isDouble() ? time.toInteger(-1) : -1;
    if (t < 0)
        return Error::badRequest(gotExpected(QString(candleName(index) + u".time"_s), time, u"an integer >= 0"));
    c.time = t;
    const std::pair<QLatin1StringView, double *> fields[] = {
        {"open"_L1, &c.open}, {"high"_L1, &c.high}, {"low"_L1, &c.low}, {"close"_L1, &c.close}, {"volume"_L1, &c.volume}};
    for (const auto &[field, target] : fields) {
        const QJsonValue v = json.value(field);
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return Error::badRequest(gotExpected(QString(candleName(index) + u'.' + field), v, u"a finite number"));
        *target = v.toDouble();
    }
    return c;
}

} // namespace

Result<Candle> candleFromJson(const QJsonValue &value)
{
    return readCandle(value, -1);
}

Result<CandleList> candlesFromJson(const QJsonValue &value)
{
    if (!value.isArray())
        return Error::badRequest(gotExpected(u"candles", value, u"an array of candles"));
    const QJsonArray array = value.toArray();
    CandleList candles;
    candles.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto candle = readCandle(array.at(i), i);
        if (!candle)
            return candle.error();
        candles.append(*candle);
    }
    return candles;
}

} // namespace gapless::protocol
