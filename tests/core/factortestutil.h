#pragma once

// Test-local helpers for the factor tests: hand-made candle sequences and readable event text.

#include "core/domain/candle.h"
#include "core/domain/numberformat.h"
#include "core/ingest/factorevent.h"

#include <QList>
#include <QString>
#include <QTest>

namespace gapless::test {

/// 1m candles at `minutes` with the given highs and lows (open and close at the midpoint,
/// volume 1); the three lists have one entry per candle.
inline CandleList minuteBars(const QList<qint64> &minutes, const QList<double> &highs, const QList<double> &lows)
{
    Q_ASSERT(minutes.size() == highs.size() && highs.size() == lows.size());
    CandleList candles;
    for (qsizetype i = 0; i < minutes.size(); ++i) {
        const double mid = (highs.at(i) + lows.at(i)) / 2;
        candles.append(Candle{minutes.at(i) * 60, mid, highs.at(i), lows.at(i), mid, 1});
    }
    return candles;
}

/// Contiguous 1m candles from minute 0.
inline CandleList minuteBars(const QList<double> &highs, const QList<double> &lows)
{
    QList<qint64> minutes;
    for (qsizetype i = 0; i < highs.size(); ++i)
        minutes.append(i);
    return minuteBars(minutes, highs, lows);
}

/// `major:120:resistance:2 5 @240`: key, price, visible time.
inline QString describe(const PivotEvent &event)
{
    return event.key() + u' ' + QString::fromLatin1(formatNumber(event.price)) + u" @"
        + QString::number(event.visibleTime);
}

/// `confirmed:60:120:-1 5>1 @420`: key, start and end price, visible time.
inline QString describe(const PenEvent &event)
{
    return event.key() + u' ' + QString::fromLatin1(formatNumber(event.startPrice())) + u'>'
        + QString::fromLatin1(formatNumber(event.endPrice())) + u" @" + QString::number(event.visibleTime);
}

template<typename Event>
QStringList describeAll(const QList<Event> &events)
{
    QStringList lines;
    for (const Event &event : events)
        lines.append(describe(event));
    return lines;
}

} // namespace gapless::test

namespace gapless {

inline char *toString(const PivotEvent &event)
{
    return QTest::toString(test::describe(event));
}

inline char *toString(const PenEvent &event)
{
    return QTest::toString(test::describe(event));
}

} // namespace gapless
