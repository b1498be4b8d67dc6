#include "core/ingest/factorcomputation.h"

#include <algorithm>

namespace gapless {

FactorEngine::FactorEngine(Timeframe timeframe, int majorWindow, int minorWindow)
    : m_pivots(timeframe, majorWindow, minorWindow)
{
}

void FactorEngine::restore(const CandleList &window, const QList<PivotEvent> &majors)
{
    std::optional<qint64> latestMajorTime;
    for (const PivotEvent &event : majors) {
        if (event.major)
            latestMajorTime = std::max(latestMajorTime.value_or(event.pivotTime), event.pivotTime);
    }
    m_pivots.restore(window, latestMajorTime);
    m_pens = PenTracker::replay(majors);
}

FactorTick FactorEngine::feed(const Candle &candle)
{
    FactorTick tick;
    tick.pivots = m_pivots.add(candle);
    for (const PivotEvent &pivot : std::as_const(tick.pivots)) {
        if (!pivot.major)
            continue;
        if (auto pen = m_pens.add(pivot))
            tick.pens.append(*pen);
    }
    return tick;
}

FactorLedger computeFactors(const CandleList &ascending, Timeframe timeframe, int majorWindow, int minorWindow)
{
    FactorEngine engine(timeframe, majorWindow, minorWindow);
    FactorLedger ledger;
    for (const Candle &candle : ascending) {
        FactorTick tick = engine.feed(candle);
        ledger.pivots.append(std::move(tick.pivots));
        ledger.pens.append(std::move(tick.pens));
    }
    ledger.head = engine.head();
    return ledger;
}

} // namespace gapless
