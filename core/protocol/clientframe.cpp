#include "core/protocol/clientframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

constexpr qsizetype kMaxEchoedChars = 80;
constexpr qsizetype kMaxRequestIdChars = 64;
constexpr qsizetype kMaxKeyChars = 255;
constexpr qint64 kMaxSince = qint64(1) << 53;

FrameRejection reject(const QString &message, const QJsonObject &frame = {})
{
    FrameRejection r{Error::badRequest(message), {}, {}};
    // Echo ids back only when they are plain strings a client can match on.
    if (const auto id = frame.value("series_id"_L1); id.isString() && id.toString().size() <= SeriesId::kMaxLength)
        r.seriesId = id.toString();
    if (const auto id = frame.value("request_id"_L1); id.isString() && isValidToken(id.toString(), kMaxRequestIdChars))
        r.requestId = id.toString();
    return r;
}

QString serialised(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    default: {
        // A bare value: wrap it in an array to reuse the serialiser, then strip the brackets.
        const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(json.mid(1, json.size() - 2));
    }
    }
}

QString shortened(QString text)
{
    if (text.size() <= kMaxEchoedChars)
        return text;
    qsizetype keep = kMaxEchoedChars;
    if (text.at(keep - 1).isHighSurrogate())
        --keep;
    text.truncate(keep);
    return text + u"…"_s;
}

QString jsonText(const QJsonValue &value)
{
    return value.isUndefined() ? u"nothing"_s : shortened(serialised(value));
}

// QJsonDocument refuses a bare scalar such as `"abc"` as invalid JSON, yet it is valid JSON
// that is only not an object; read it as the one element of an array to say so.
std::optional<QJsonValue> bareScalar(const QByteArray &utf8)
{
    QByteArray wrapped;
    wrapped.reserve(utf8.size() + 2);
    wrapped.append('[').append(utf8).append(']');
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().first();
}

std::optional<qint64> integralSince(const QJsonValue &value)
{
    // toInteger keeps a parsed integer exact: through a double, 2^53 + 1 would round into range.
    const qint64 since = value.isDouble() ? value.toInteger(-1) : -1;
    if (since < 0 || since > kMaxSince)
        return std::nullopt;
    return since;
}

std::optional<FrameRejection> readSeries(const QJsonObject &json, ClientFrame &frame, bool required)
{
    const QJsonValue value = json.value("series_id"_L1);
    if ((value.isUndefined() || value.isNull()) && !required)
        return std::nullopt;
    if (!value.isString())
        return reject(gotExpected(u"series_id", value, u"a series id exchange:market:symbol:timeframe"), json);
    const auto id = SeriesId::parse(value.toString());
    if (!id)
        return reject(u"series_id: "_s + id.error().message, json);
    if (id->exchange() == "binance"_L1 && id->market() != "spot"_L1 && id->market() != "futures"_L1)
        return reject(u"series_id '%1': binance market '%2' has no source; expected spot or futures"_s.arg(
                          id->toString(), id->market()),
                      json);
    frame.series = *id;
    frame.hasSeries = true;
    return std::nullopt;
}

std::optional<FrameRejection> readSubscribe(const QJsonObject &json, ClientFrame &frame)
{
    if (auto r = readSeries(json, frame, true))
        return r;
    const QJsonValue since = json.value("since"_L1);
    if (!since.isUndefined() && !since.isNull()) {
        frame.since = integralSince(since);
        if (!frame.since)
            return reject(gotExpected(u"since", since, u"null or an integer in 0..2^53"), json);
    }
    const QJsonValue batch = json.value("supports_batch"_L1);
    if (!batch.isUndefined() && !batch.isNull() && !batch.isBool())
        return reject(gotExpected(u"supports_batch", batch, u"true, false or null"), json);
    frame.supportsBatch = batch.toBool(false);
    return std::nullopt;
}

std::optional<FrameRejection> readWatch(const QJsonObject &json, ClientFrame &frame)
{
    // The series_id row of PROTO-7 comes before the topic row: the first failing row wins.
    if (auto r = readSeries(json, frame, false))
        return r;
    const QJsonValue topic = json.value("topic"_L1);
    const auto parsed = topic.isString() ? watchTopicFromName(topic.toString()) : std::nullopt;
    if (!parsed)
        return reject(gotExpected(u"topic", topic, u"health, progress, ingest_errors, jobs or debug"), json);
    frame.topic = *parsed;
    return std::nullopt;
}

std::optional<FrameRejection> readCommand(const QJsonObject &json, ClientFrame &frame)
{
    const QJsonValue requestId = json.value("request_id"_L1);
    if (!requestId.isString() || !isValidToken(requestId.toString(), kMaxRequestIdChars))
        return reject(gotExpected(u"request_id", requestId, u"1-64 characters of A-Z a-z 0-9 . _ : -"), json);
    frame.requestId = requestId.toString();
    // The remaining fields fail as a `result` with ok:false (PROTO-8), so only shape them here.
    frame.name = json.value("name"_L1).toString();
    frame.args = json.value("args"_L1);
    const QJsonValue key = json.value("idempotency_key"_L1);
    if (!key.isUndefined() && !key.isNull()) {
        if (!key.isString() || !isValidToken(key.toString(), kMaxKeyChars))
            return reject(gotExpected(u"idempotency_key", key, u"1-255 characters of A-Z a-z 0-9 . _ : -"), json);
        frame.idempotencyKey = key.toString();
    }
    return std::nullopt;
}

} // namespace

QString gotExpected(QStringView field, const QJsonValue &value, QStringView expected)
{
    return u"%1: got %2; expected %3"_s.arg(field, jsonText(value), expected);
}

bool isValidToken(QStringView text, qsizetype maxLength)
{
    if (text.isEmpty() || text.size() > maxLength)
        return false;
    for (const QChar c : text) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
                        || c == u'.' || c == u'_' || c == u':' || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

FrameRejection binaryFrameRejection()
{
    return reject(u"frame: got a binary frame; expected a JSON text frame"_s);
}

DecodedFrame decodeClientFrame(const QByteArray &utf8, qint64 maxFrameBytes)
{
    if (utf8.size() > maxFrameBytes) {
        return {std::nullopt,
                FrameRejection{{ErrorCode::TooLarge, u"frame: %1 bytes; expected at most %2"_s.arg(utf8.size())
                                                         .arg(maxFrameBytes)},
                               {},
                               {}}};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (const auto scalar = bareScalar(utf8))
            return {std::nullopt, reject(gotExpected(u"frame", *scalar, u"a JSON object"))};
        return {std::nullopt, reject(u"frame: invalid JSON at offset %1 (%2); expected one JSON object"_s.arg(
                                  parseError.offset)
                                  .arg(parseError.errorString()))};
    }
    if (!doc.isObject())
        return {std::nullopt, reject(gotExpected(u"frame", doc.array(), u"a JSON object"))};
    const QJsonObject json = doc.object();
    const QJsonValue type = json.value("type"_L1);
    if (!type.isString() || type.toString().isEmpty())
        return {std::nullopt, reject(gotExpected(u"type", type, u"a non-empty string"), json)};
    const QJsonValue version = json.value("v"_L1);
    if (!version.isUndefined() && !version.isNull()) {
        const double v = version.toDouble(-1);
        if (!version.isDouble() || v < kMinProtocolVersion || v > kProtocolVersion || v != static_cast<int>(v))
            return {std::nullopt, reject(gotExpected(u"v", version, u"an integer in %1..%2"_s.arg(kMinProtocolVersion)
                                                                       .arg(kProtocolVersion)),
                                         json)};
    }
    const auto kind = messageTypeFromName(type.toString());
    if (!kind || !isClientMessage(*kind)) {
        return {std::nullopt,
                reject(u"type '%1': unknown; expected subscribe, unsubscribe, watch, unwatch or command"_s.arg(
                           shortened(serialised(type).mid(1).chopped(1))),
                       json)};
    }
    ClientFrame frame;
    frame.type = *kind;
    std::optional<FrameRejection> rejection;
    switch (*kind) {
    case MessageType::Subscribe:
        rejection = readSubscribe(json, frame);
        break;
    case MessageType::Unsubscribe:
        rejection = readSeries(json, frame, true);
        break;
    case MessageType::Watch:
    case MessageType::Unwatch:
        rejection = readWatch(json, frame);
        break;
    default:
        rejection = readCommand(json, frame);
        break;
    }
    if (rejection)
        return {std::nullopt, rejection};
    return {frame, std::nullopt};
}

QJsonObject encodeClientFrame(const ClientFrame &frame)
{
    QJsonObject json{{u"type"_s, messageTypeName(frame.type)}, {u"v"_s, kProtocolVersion}};
    switch (frame.type) {
    case MessageType::Subscribe:
        json.insert(u"series_id"_s, frame.series.toString());
        json.insert(u"since"_s, frame.since ? QJsonValue(static_cast<double>(*frame.since)) : QJsonValue());
        json.insert(u"supports_batch"_s, frame.supportsBatch);
        break;
    case MessageType::Unsubscribe:
        json.insert(u"series_id"_s, frame.series.toString());
        break;
    case MessageType::Watch:
    case MessageType::Unwatch:
        json.insert(u"topic"_s, watchTopicName(frame.topic));
        if (frame.hasSeries)
            json.insert(u"series_id"_s, frame.series.toString());
        break;
    default:
        json.insert(u"request_id"_s, frame.requestId);
        json.insert(u"name"_s, frame.name);
        json.insert(u"args"_s, frame.args.isUndefined() ? QJsonValue(QJsonObject()) : frame.args);
        if (frame.idempotencyKey)
            json.insert(u"idempotency_key"_s, *frame.idempotencyKey);
        break;
    }
    return json;
}

} // namespace gapless::protocol
