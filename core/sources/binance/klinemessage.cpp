#include "core/sources/binance/klinemessage.h"

#include "core/domain/numberformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kMaxShown = 60;
constexpr double kMaxOpenMs = 1.0e14; // DOM-6: time < 10^11 s

QString shown(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"nothing"_s;
    QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    json = json.mid(1, json.size() - 2);
    return QString::fromUtf8(json.size() > kMaxShown ? json.left(kMaxShown) + "…" : json);
}

Error fieldError(const QString &field, const QJsonValue &got, const QString &expected)
{
    return Error::badRequest(u"%1: got %2; expected %3"_s.arg(field, shown(got), expected));
}

std::optional<qint64> integral(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d < 0 || d >= kMaxOpenMs || d != std::floor(d))
        return std::nullopt;
    return qint64(d);
}

Result<double> decimal(const QJsonObject &k, const QString &key)
{
    const QJsonValue v = k.value(key);
    const ParsedNumber number = parseNumber(v.toString().toUtf8());
    if (!v.isString() || !number.ok() || !std::isfinite(number.value))
        return fieldError(u"k."_s + key, v, u"a decimal string of a finite number"_s);
    return number.value;
}

Result<KlineMessage> parseKline(const QJsonObject &k, const QString &interval, qint64 tfSeconds)
{
    const qint64 tfMs = tfSeconds * 1000;
    KlineMessage out;
    const auto openMs = integral(k.value("t"_L1));
    if (!openMs || *openMs % tfMs != 0)
        return fieldError(u"k.t"_s, k.value("t"_L1),
                          u"an open time in ms aligned to %1 s, below 10^14"_s.arg(tfSeconds));
    const auto closeMs = integral(k.value("T"_L1));
    if (!closeMs || *closeMs != *openMs + tfMs - 1)
        return fieldError(u"k.T"_s, k.value("T"_L1), u"%1 (t + %2 - 1)"_s.arg(*openMs + tfMs - 1).arg(tfMs));
    if (k.value("i"_L1).toString() != interval || !k.value("i"_L1).isString())
        return fieldError(u"k.i"_s, k.value("i"_L1), u"\"%1\""_s.arg(interval));
    out.candle.time = *openMs / 1000;
    double *fields[] = {&out.candle.open, &out.candle.high, &out.candle.low, &out.candle.close,
                        &out.candle.volume};
    const QString keys[] = {u"o"_s, u"h"_s, u"l"_s, u"c"_s, u"v"_s};
    for (int f = 0; f < 5; ++f) {
        const Result<double> value = decimal(k, keys[f]);
        if (!value)
            return value.error();
        *fields[f] = *value;
    }
    if (!k.value("x"_L1).isBool())
        return fieldError(u"k.x"_s, k.value("x"_L1), u"true or false"_s);
    out.closed = k.value("x"_L1).toBool();
    return out;
}

} // namespace

Result<KlineMessage> parseKlineMessage(QByteArrayView text, const QString &interval, qint64 tfSeconds)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::badRequest(u"message: invalid JSON at offset %1 (%2); expected a JSON object"_s
                                     .arg(parseError.offset)
                                     .arg(parseError.errorString()));
    if (!doc.isObject())
        return Error::badRequest(u"message: got an array; expected a JSON object"_s);
    const QJsonObject event = doc.object();
    const QJsonValue type = event.value("e"_L1);
    Result<KlineMessage> out = KlineMessage{};
    if (type == "serverShutdown"_L1) {
        out->kind = KlineMessage::Kind::ServerShutdown;
    } else if (type == "kline"_L1) {
        if (!event.value("k"_L1).isObject())
            return fieldError(u"k"_s, event.value("k"_L1), u"an object"_s);
        out = parseKline(event.value("k"_L1).toObject(), interval, tfSeconds);
        if (!out)
            return out;
    } else {
        return fieldError(u"e"_s, type, u"\"kline\" or \"serverShutdown\""_s);
    }
    out->eventMs = integral(event.value("E"_L1)).value_or(0);
    return out;
}

} // namespace gapless::sources
