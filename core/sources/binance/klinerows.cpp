#include "core/sources/binance/klinerows.h"

#include "core/domain/numberformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr std::array kNative{60, 180, 300, 900, 1800, 3600, 7200, 14400, 21600, 28800, 43200, 86400};
constexpr qsizetype kRowElements = 12;
constexpr qsizetype kMaxShown = 60;

QString shown(const QJsonValue &value)
{
    QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    json = json.mid(1, json.size() - 2);
    return QString::fromUtf8(json.size() > kMaxShown ? json.left(kMaxShown) + "…" : json);
}

Error rowError(qsizetype row, const QString &got, const QString &expected)
{
    return Error::badRequest(u"row %1: got %2; expected %3"_s.arg(row).arg(got, expected));
}

std::optional<qint64> integral(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d < 0 || d > 9.0e15 || d != std::floor(d))
        return std::nullopt;
    return qint64(d);
}

} // namespace

QString binanceSymbol(const SeriesId &series)
{
    QString symbol = series.symbol();
    if (const qsizetype colon = symbol.indexOf(u':'); colon >= 0)
        symbol.truncate(colon);
    return symbol.remove(u'/').toUpper();
}

std::optional<QString> binanceInterval(Timeframe timeframe)
{
    for (const int seconds : kNative) {
        if (timeframe.seconds() == seconds)
            return timeframe.toString();
    }
    return std::nullopt;
}

int klinesWeight(bool futures, int limit)
{
    if (!futures)
        return 2;
    if (limit < 100)
        return 1;
    if (limit < 500)
        return 2;
    if (limit <= 1000)
        return 5;
    return 10;
}

Result<CandleList> parseKlineRows(const QByteArray &body, qint64 tfSeconds, qint64 from, qint64 to)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::badRequest(u"klines: invalid JSON at offset %1 (%2); expected an array of rows"_s
                                     .arg(parseError.offset)
                                     .arg(parseError.errorString()));
    if (!doc.isArray())
        return Error::badRequest(u"klines: got an object; expected an array of rows"_s);
    const QJsonArray rows = doc.array();
    CandleList out;
    out.reserve(rows.size());
    const qint64 tfMs = tfSeconds * 1000;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const qsizetype n = i + 1;
        const QJsonArray row = rows.at(i).toArray();
        if (!rows.at(i).isArray() || row.size() != kRowElements)
            return rowError(n, shown(rows.at(i)), u"an array of 12 elements"_s);
        const auto openMs = integral(row.at(0));
        if (!openMs || *openMs % tfMs != 0)
            return rowError(n, shown(row.at(0)), u"an open time in ms aligned to %1 s"_s.arg(tfSeconds));
        Candle c;
        c.time = *openMs / 1000;
        double *fields[] = {&c.open, &c.high, &c.low, &c.close, &c.volume};
        for (int f = 0; f < 5; ++f) {
            const QJsonValue v = row.at(1 + f);
            const ParsedNumber number = parseNumber(v.toString().toLatin1());
            if (!v.isString() || !number.ok() || !std::isfinite(number.value))
                return rowError(n, shown(v), u"element %1 as a decimal string of a finite number"_s.arg(1 + f));
            *fields[f] = number.value;
        }
        const auto closeMs = integral(row.at(6));
        if (!closeMs || *closeMs != *openMs + tfMs - 1)
            return rowError(n, shown(row.at(6)), u"close time %1 (open + tf - 1 ms)"_s.arg(*openMs + tfMs - 1));
        if (!out.isEmpty() && c.time <= out.constLast().time)
            return rowError(n, QString::number(*openMs), u"an open time after the previous row's"_s);
        if (c.time < from || c.time > to)
            return rowError(n, QString::number(*openMs),
                            u"an open time inside the window %1..%2 ms"_s.arg(from * 1000).arg(to * 1000));
        out.append(c);
    }
    return out;
}

CandleList closedRows(const CandleList &rows, qint64 tfSeconds, qint64 nowS, qint64 xnowS)
{
    const qint64 limit = std::min(nowS, xnowS - 2);
    CandleList out;
    for (const Candle &c : rows) {
        if (c.time + tfSeconds <= limit)
            out.append(c);
    }
    return out;
}

} // namespace gapless::sources
