#pragma once

#include "core/domain/candle.h"
#include "core/domain/timeframe.h"
#include "core/ingest/factorevent.h"

#include <QList>

#include <optional>

namespace gapless {

/// Finds major and minor pivots (FAC-7, FAC-8, FAC-9) in stored candles fed one tick at a
/// time in ascending time order. Only the last windowCapacity() candles are kept, so a long
/// history costs no more memory than a short one.
///
/// A restarted detector (restore() from the candles up to head_time and the latest major's
/// pivot time) emits exactly what an uninterrupted one would from the next tick on (FAC-3).
class PivotDetector
{
public:
    /// `majorWindow` (W) and `minorWindow` (w) must be at least 1; `timeframe` valid.
    PivotDetector(Timeframe timeframe, int majorWindow, int minorWindow);

    /// Forgets everything, then takes the candles before the next tick (ascending; only the
    /// last windowCapacity() matter) and the pivot time of the latest major so far, if any.
    void restore(const CandleList &window, std::optional<qint64> latestMajorTime);

    /// Feeds the next tick and returns the pivots it makes visible: majors before minors,
    /// resistance before support. A candle not after the previous one is ignored (the store
    /// never yields one), and returns nothing.
    QList<PivotEvent> add(const Candle &candle);

    [[nodiscard]] Timeframe timeframe() const { return m_timeframe; }
    [[nodiscard]] int majorWindow() const { return m_majorWindow; }
    [[nodiscard]] int minorWindow() const { return m_minorWindow; }
    /// How many trailing candles a restart needs: 2·max(W, w) + 1.
    [[nodiscard]] int windowCapacity() const { return m_capacity; }
    /// The candles kept, oldest first: what restore() takes after a restart.
    [[nodiscard]] CandleList window() const;
    [[nodiscard]] std::optional<qint64> latestMajorTime() const { return m_latestMajorTime; }
    [[nodiscard]] std::optional<qint64> lastTime() const;

private:
    void push(const Candle &candle);
    /// The candle `back` ticks before the newest (0 = newest); back < m_size.
    [[nodiscard]] const Candle &fromNewest(int back) const;
    /// Appends the pivots whose window of `n` each side ends at the newest candle.
    void findPivots(int n, bool major, QList<PivotEvent> &out) const;

    Timeframe m_timeframe;
    int m_majorWindow = 0;
    int m_minorWindow = 0;
    int m_capacity = 0;
    QList<Candle> m_ring;
    int m_oldest = 0;
    int m_size = 0;
    int m_run = 0; ///< consecutive candles exactly tf apart ending at the newest, capped at m_capacity
    std::optional<qint64> m_latestMajorTime;
};

} // namespace gapless
