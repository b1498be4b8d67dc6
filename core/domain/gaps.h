#pragma once

#include "core/domain/timeframe.h"

#include <QList>
#include <QMetaType>

#include <optional>

namespace gapless {

/// A hole between two consecutive rows (DOM-10, STORE-10): next - prev > tf.
struct Gap
{
    qint64 prevTime = 0;
    qint64 nextTime = 0;
    qint64 missingBars = 0; ///< (next - prev) div tf - 1

    friend bool operator==(const Gap &, const Gap &) = default;
};

/// Finds the gaps of a sequence of row times fed one by one in their given order (DOM-10):
/// file order for a file, time order for the store. There is no calendar, so lunch breaks and
/// weekends are gaps. A step backwards (out-of-order row) is not a gap; the next step is
/// measured from the out-of-order row.
class GapScanner
{
public:
    /// `timeframe` must be valid.
    explicit GapScanner(Timeframe timeframe);

    /// Feeds the next row's time; returns the gap that ends at it, if any.
    std::optional<Gap> add(qint64 time);

    [[nodiscard]] Timeframe timeframe() const { return m_timeframe; }
    /// Every gap so far, in feed order; never truncated (STORE-10).
    [[nodiscard]] const QList<Gap> &gaps() const { return m_gaps; }
    [[nodiscard]] qint64 rowCount() const { return m_rowCount; }
    /// Time of the first and of the last row fed, in feed order (CLI-11); none before the first.
    [[nodiscard]] std::optional<qint64> firstTime() const { return m_firstTime; }
    [[nodiscard]] std::optional<qint64> lastTime() const { return m_lastTime; }
    [[nodiscard]] qint64 gapCount() const { return m_gaps.size(); }
    [[nodiscard]] qint64 missingBarsTotal() const { return m_missingBarsTotal; }

private:
    Timeframe m_timeframe;
    QList<Gap> m_gaps;
    std::optional<qint64> m_firstTime;
    std::optional<qint64> m_lastTime;
    qint64 m_rowCount = 0;
    qint64 m_missingBarsTotal = 0;
};

/// The gaps between consecutive `times`, in their given order (DOM-10).
[[nodiscard]] QList<Gap> findGaps(const QList<qint64> &times, Timeframe timeframe);

} // namespace gapless

Q_DECLARE_METATYPE(gapless::Gap)
