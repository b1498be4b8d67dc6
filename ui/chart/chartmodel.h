#pragma once

#include "ui/chart/candlebuffer.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <optional>
#include <vector>

namespace gapless::ui {

/// A hole the core reported (UI-11): no bar between prevTime and nextTime.
struct ChartGap
{
    qint64 prevTime = 0;
    qint64 nextTime = 0;
    qint64 missingBars = 0;
    friend bool operator==(const ChartGap &, const ChartGap &) = default;
};

/// A pivot marker (OVL-3): ▼ above highs or ▲ below lows.
struct ChartMarker
{
    qint64 time = 0;
    double price = 0;
    bool above = false;
    double size = 1; ///< 1 major, 0.5 minor
};

/// One confirmed pen (OVL-1): a segment of the pen polyline.
struct ChartSegment
{
    qint64 fromTime = 0;
    double fromValue = 0;
    qint64 toTime = 0;
    double toValue = 0;
};

/// What the chart draws and where, in slots (UI-10): the candles, the gaps the core reported
/// and the overlays, with the slot of each bar on the index or the time axis. A slot is one bar
/// wide; x = (slot − view) × spacing.
class ChartModel
{
public:
    [[nodiscard]] CandleBuffer &candles() { return m_candles; }
    [[nodiscard]] const CandleBuffer &candles() const { return m_candles; }

    void setTimeframe(qint64 seconds) { m_tf = seconds > 0 ? seconds : 60; }
    [[nodiscard]] qint64 timeframe() const { return m_tf; }
    void setIndexAxis(bool on) { m_indexAxis = on; }
    [[nodiscard]] bool indexAxis() const { return m_indexAxis; }

    /// Replaces the reported gaps; keeps them sorted and drops overlapping duplicates.
    void setGaps(QList<ChartGap> gaps);
    [[nodiscard]] const QList<ChartGap> &gaps() const { return m_gaps; }
    /// Adds one reported gap; false if it was already known.
    bool addGap(const ChartGap &gap);
    /// Removes the gaps that candles now fill from `from` to `to` and reports what is still
    /// missing there, as the held candles show it. Returns true if anything changed.
    bool healRange(qint64 from, qint64 to);

    void setOverlays(QList<ChartMarker> markers, QList<ChartSegment> segments);
    [[nodiscard]] const QList<ChartMarker> &markers() const { return m_markers; }
    [[nodiscard]] const QList<ChartSegment> &segments() const { return m_segments; }

    /// Drops candles, gaps and overlays; the next candle sets the time origin.
    void clear();

    /// The slot of candle `index`.
    [[nodiscard]] double slotOf(qsizetype index) const;
    /// The slot of `candle`, known to be at `index`: no lookup, for drawing loops.
    [[nodiscard]] double slotOf(const Candle &candle, qsizetype index) const
    {
        return m_indexAxis ? double(index + gapsBefore(candle.time))
                           : double(candle.time - m_origin.value_or(candle.time)) / double(m_tf);
    }
    /// The slot a bar at `time` has or would have.
    [[nodiscard]] double slotOfTime(qint64 time) const;
    /// The first candle index whose slot is ≥ `slot` (size() if none).
    [[nodiscard]] qsizetype indexAtSlot(double slot) const;
    /// Slot span [first, last) of a gap band: time axis prev+tf…next, index axis one slot.
    [[nodiscard]] std::pair<double, double> gapSlots(const ChartGap &gap) const;
    /// The gaps drawn on the loaded range (prev at or after the oldest loaded bar).
    [[nodiscard]] const std::vector<ChartGap> &loadedGaps() const { return m_loaded; }
    /// The loaded gap whose band holds `slot`.
    [[nodiscard]] std::optional<ChartGap> gapAtSlot(double slot) const;
    [[nodiscard]] double firstSlot() const { return m_candles.isEmpty() ? 0 : slotOf(0); }
    [[nodiscard]] double lastSlot() const { return m_candles.isEmpty() ? 0 : slotOf(m_candles.size() - 1); }

    /// Recomputes what depends on the loaded range after candles were added.
    void refresh();

private:
    [[nodiscard]] qsizetype gapsBefore(qint64 time) const;

    CandleBuffer m_candles;
    QList<ChartGap> m_gaps;
    std::vector<ChartGap> m_loaded;
    QList<ChartMarker> m_markers;
    QList<ChartSegment> m_segments;
    qint64 m_tf = 60;
    std::optional<qint64> m_origin;
    bool m_indexAxis = true;
};

} // namespace gapless::ui
