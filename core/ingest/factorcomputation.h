#pragma once

#include "core/domain/candle.h"
#include "core/domain/timeframe.h"
#include "core/ingest/factorevent.h"
#include "core/ingest/pentracker.h"
#include "core/ingest/pivotdetector.h"

#include <QList>

namespace gapless {

/// The events one tick makes visible (FAC-2): its pivots, then the pens they confirm.
struct FactorTick
{
    QList<PivotEvent> pivots;
    QList<PenEvent> pens;
};

/// A whole factor ledger (FAC-6): every event in the order it became visible, and the head.
struct FactorLedger
{
    QList<PivotEvent> pivots;
    QList<PenEvent> pens;
    PenHead head;
};

/// Pivots then pens (FAC-1), tick by tick. The pipeline builds one per series run: restore()
/// it from the stored state at head_time, then feed() each new stored candle (FAC-2); the
/// events equal those of a full computation over the same candles (FAC-3).
class FactorEngine
{
public:
    /// `majorWindow` (W) and `minorWindow` (w) must be at least 1; `timeframe` valid.
    FactorEngine(Timeframe timeframe, int majorWindow, int minorWindow);

    /// Resumes after head_time: `window` = the stored candles up to head_time (the last
    /// windowCapacity() are enough), `majors` = every major pivot event so far in ledger order.
    void restore(const CandleList &window, const QList<PivotEvent> &majors);

    /// Feeds the next stored candle (ascending time); see PivotDetector::add().
    FactorTick feed(const Candle &candle);

    /// The pen head after the last tick fed (FAC-11).
    [[nodiscard]] PenHead head() const { return m_pens.head(); }
    /// How many trailing stored candles restore() needs.
    [[nodiscard]] int windowCapacity() const { return m_pivots.windowCapacity(); }
    [[nodiscard]] const PivotDetector &pivotDetector() const { return m_pivots; }
    [[nodiscard]] const PenTracker &penTracker() const { return m_pens; }

private:
    PivotDetector m_pivots;
    PenTracker m_pens;
};

/// The full computation (FAC-6) over stored candles in ascending time order.
[[nodiscard]] FactorLedger computeFactors(const CandleList &ascending, Timeframe timeframe, int majorWindow,
                                          int minorWindow);

} // namespace gapless
