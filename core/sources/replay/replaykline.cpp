#include "core/sources/replay/replaykline.h"

#include "core/domain/numberformat.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

QString text(double value)
{
    return QString::fromLatin1(formatNumber(value));
}

// The tapes hold only OHLCV; the other Binance fields are derived so that they stay
// plausible and deterministic: quote volume at the close, half of it taker-bought.
double quoteVolume(const Candle &bar)
{
    return bar.volume * bar.close;
}

constexpr std::array<std::pair<QStringView, qint64>, 12> kIntervals{{
    {u"1m", 60},
    {u"3m", 180},
    {u"5m", 300},
    {u"15m", 900},
    {u"30m", 1800},
    {u"1h", 3600},
    {u"2h", 7200},
    {u"4h", 14400},
    {u"6h", 21600},
    {u"8h", 28800},
    {u"12h", 43200},
    {u"1d", 86400},
}};

} // namespace

std::optional<qint64> klineIntervalSeconds(QStringView interval)
{
    for (const auto &[name, seconds] : kIntervals) {
        if (name == interval)
            return seconds;
    }
    return std::nullopt;
}

Candle formingMinute(const Candle &row, qint64 virtualMs)
{
    const double p = double(virtualMs - row.time * 1000) / 60000.0;
    Candle c = row;
    c.close = row.open + (row.close - row.open) * p;
    c.high = std::max(row.open, c.close) + (row.high - std::max(row.open, row.close)) * p;
    c.low = std::min(row.open, c.close) - (std::min(row.open, row.close) - row.low) * p;
    c.volume = row.volume * p;
    return c;
}

void foldMinute(Candle *bucket, const Candle &minute)
{
    bucket->high = std::max(bucket->high, minute.high);
    bucket->low = std::min(bucket->low, minute.low);
    bucket->close = minute.close;
    bucket->volume += minute.volume;
}

QJsonArray klineRow(const Candle &bar, qint64 tfSeconds)
{
    const double quote = quoteVolume(bar);
    return QJsonArray{bar.time * 1000,
                      text(bar.open),
                      text(bar.high),
                      text(bar.low),
                      text(bar.close),
                      text(bar.volume),
                      (bar.time + tfSeconds) * 1000 - 1,
                      text(quote),
                      0,
                      text(bar.volume / 2),
                      text(quote / 2),
                      u"0"_s};
}

QByteArray klineEvent(const QString &symbol, const QString &interval, const Candle &bar, qint64 tfSeconds,
                      bool closed, qint64 eventMs)
{
    const double quote = quoteVolume(bar);
    const QJsonObject k{{u"t"_s, bar.time * 1000},
                        {u"T"_s, (bar.time + tfSeconds) * 1000 - 1},
                        {u"s"_s, symbol},
                        {u"i"_s, interval},
                        {u"f"_s, -1},
                        {u"L"_s, -1},
                        {u"o"_s, text(bar.open)},
                        {u"c"_s, text(bar.close)},
                        {u"h"_s, text(bar.high)},
                        {u"l"_s, text(bar.low)},
                        {u"v"_s, text(bar.volume)},
                        {u"n"_s, 0},
                        {u"x"_s, closed},
                        {u"q"_s, text(quote)},
                        {u"V"_s, text(bar.volume / 2)},
                        {u"Q"_s, text(quote / 2)},
                        {u"B"_s, u"0"_s}};
    const QJsonObject event{{u"e"_s, u"kline"_s}, {u"E"_s, eventMs}, {u"s"_s, symbol}, {u"k"_s, k}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

QByteArray serverShutdownEvent(qint64 eventMs)
{
    return QJsonDocument(QJsonObject{{u"e"_s, u"serverShutdown"_s}, {u"E"_s, eventMs}})
        .toJson(QJsonDocument::Compact);
}

} // namespace gapless::sources
