#include "core/ingest/pivotdetector.h"

#include <algorithm>

namespace gapless {

PivotDetector::PivotDetector(Timeframe timeframe, int majorWindow, int minorWindow)
    : m_timeframe(timeframe)
    , m_majorWindow(majorWindow)
    , m_minorWindow(minorWindow)
    , m_capacity(2 * std::max(majorWindow, minorWindow) + 1)
{
    Q_ASSERT(timeframe.isValid());
    Q_ASSERT(majorWindow >= 1 && minorWindow >= 1);
    m_ring.resize(m_capacity);
}

void PivotDetector::restore(const CandleList &window, std::optional<qint64> latestMajorTime)
{
    m_oldest = 0;
    m_size = 0;
    m_run = 0;
    const qsizetype first = std::max<qsizetype>(0, window.size() - m_capacity);
    for (qsizetype i = first; i < window.size(); ++i) {
        if (m_size == 0 || window.at(i).time > fromNewest(0).time)
            push(window.at(i));
    }
    m_latestMajorTime = latestMajorTime;
}

QList<PivotEvent> PivotDetector::add(const Candle &candle)
{
    QList<PivotEvent> events;
    if (m_size > 0 && candle.time <= fromNewest(0).time)
        return events;
    push(candle);
    findPivots(m_majorWindow, true, events);
    if (!events.isEmpty())
        m_latestMajorTime = events.constLast().pivotTime;
    // FAC-8: a minor needs a major among ticks <= v, this tick's included, and its whole
    // window at or after the latest major's pivot.
    if (m_latestMajorTime && candle.time - 2 * m_minorWindow * m_timeframe.seconds() >= *m_latestMajorTime)
        findPivots(m_minorWindow, false, events);
    return events;
}

CandleList PivotDetector::window() const
{
    CandleList candles;
    candles.reserve(m_size);
    for (int back = m_size - 1; back >= 0; --back)
        candles.append(fromNewest(back));
    return candles;
}

std::optional<qint64> PivotDetector::lastTime() const
{
    if (m_size == 0)
        return std::nullopt;
    return fromNewest(0).time;
}

void PivotDetector::push(const Candle &candle)
{
    const bool follows = m_size > 0 && candle.time - fromNewest(0).time == m_timeframe.seconds();
    m_run = follows ? std::min(m_run + 1, m_capacity) : 1;
    if (m_size < m_capacity) {
        m_ring[(m_oldest + m_size) % m_capacity] = candle;
        ++m_size;
    } else {
        m_ring[m_oldest] = candle;
        m_oldest = (m_oldest + 1) % m_capacity;
    }
}

const Candle &PivotDetector::fromNewest(int back) const
{
    Q_ASSERT(back >= 0 && back < m_size);
    return m_ring.at((m_oldest + m_size - 1 - back) % m_capacity);
}

void PivotDetector::findPivots(int n, bool major, QList<PivotEvent> &out) const
{
    // FAC-7/FAC-9: every p + k·tf (-n <= k <= n) must be stored, i.e. the last 2n + 1 ticks
    // are exactly tf apart; one hole anywhere in them suppresses the candidate.
    if (m_run < 2 * n + 1)
        return;
    const Candle &pivot = fromNewest(n);
    // Strict on the left and non-strict on the right: on a plateau only the earliest bar wins.
    bool resistance = true;
    bool support = true;
    for (int k = 1; k <= n && (resistance || support); ++k) {
        const Candle &left = fromNewest(n + k);
        const Candle &right = fromNewest(n - k);
        resistance = resistance && left.high < pivot.high && right.high <= pivot.high;
        support = support && left.low > pivot.low && right.low >= pivot.low;
    }
    const qint64 visible = fromNewest(0).time;
    if (resistance)
        out.append(PivotEvent{major, pivot.time, true, pivot.high, visible, n});
    if (support)
        out.append(PivotEvent{major, pivot.time, false, pivot.low, visible, n});
}

} // namespace gapless
