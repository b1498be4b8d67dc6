#include "core/domain/candlevalidator.h"

#include <algorithm>

namespace gapless {

SequenceValidator::SequenceValidator(Timeframe timeframe)
    : m_timeframe(timeframe)
{
}

AnomalySet SequenceValidator::check(const Candle &candle)
{
    AnomalySet kinds = checkCandle(candle, m_timeframe);
    if (m_seenTimes.contains(candle.time))
        kinds.insert(AnomalyKind::DuplicateTime);
    else
        m_seenTimes.insert(candle.time);
    if (m_lastTime && candle.time < *m_lastTime)
        kinds.insert(AnomalyKind::TimeNotIncreasing);
    m_lastTime = candle.time;
    ++m_rowCount;
    return kinds;
}

void SequenceValidator::reset()
{
    m_seenTimes.clear();
    m_lastTime.reset();
    m_rowCount = 0;
}

AnomalySet checkCandle(const Candle &c, Timeframe timeframe)
{
    AnomalySet kinds;
    if (c.high < c.low)
        kinds.insert(AnomalyKind::HighBelowLow);
    if (c.volume < 0)
        kinds.insert(AnomalyKind::NegativeVolume);
    if (std::min({c.open, c.high, c.low, c.close}) <= 0)
        kinds.insert(AnomalyKind::NonpositivePrice);
    if (!timeframe.isAligned(c.time))
        kinds.insert(AnomalyKind::TimeNotAligned);
    if (c.open > c.high)
        kinds.insert(AnomalyKind::OpenAboveHigh);
    if (c.open < c.low)
        kinds.insert(AnomalyKind::OpenBelowLow);
    if (c.close > c.high)
        kinds.insert(AnomalyKind::CloseAboveHigh);
    if (c.close < c.low)
        kinds.insert(AnomalyKind::CloseBelowLow);
    if (c.volume == 0)
        kinds.insert(AnomalyKind::ZeroVolume);
    return kinds;
}

bool isClosed(const Candle &candle, Timeframe timeframe, qint64 now)
{
    // time + tf <= now, written so that a time near the qint64 limit cannot overflow.
    return candle.time <= now - timeframe.seconds();
}

bool rejects(AnomalySet kinds, bool rejectSoftAnomalies)
{
    return rejectSoftAnomalies ? !kinds.isEmpty() : kinds.containsRejectKind();
}

} // namespace gapless
