#pragma once

#include <QList>
#include <QMetaType>

namespace gapless {

/// One bar (DOM-5): `time` is the open time in Unix seconds UTC; the bar covers [time, time + tf).
struct Candle
{
    qint64 time = 0;
    double open = 0;
    double high = 0;
    double low = 0;
    double close = 0;
    double volume = 0;

    /// Exact comparison of all five values and the time (STORE-8 "identical").
    friend bool operator==(const Candle &, const Candle &) = default;
};

using CandleList = QList<Candle>;

} // namespace gapless

Q_DECLARE_METATYPE(gapless::Candle)
