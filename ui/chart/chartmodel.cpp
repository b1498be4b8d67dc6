#include "ui/chart/chartmodel.h"

#include <algorithm>
#include <cmath>

namespace gapless::ui {

namespace {

bool byPrev(const ChartGap &a, const ChartGap &b)
{
    return a.prevTime < b.prevTime;
}

} // namespace

void ChartModel::setGaps(QList<ChartGap> gaps)
{
    std::sort(gaps.begin(), gaps.end(), byPrev);
    QList<ChartGap> unique;
    for (const ChartGap &gap : std::as_const(gaps)) {
        if (gap.nextTime <= gap.prevTime)
            continue;
        if (!unique.isEmpty() && gap.prevTime < unique.constLast().nextTime)
            continue;
        unique.append(gap);
    }
    m_gaps = std::move(unique);
    refresh();
}

bool ChartModel::addGap(const ChartGap &gap)
{
    if (gap.nextTime <= gap.prevTime)
        return false;
    const bool overlaps = std::any_of(m_gaps.cbegin(), m_gaps.cend(), [&gap](const ChartGap &g) {
        return g.prevTime < gap.nextTime && gap.prevTime < g.nextTime;
    });
    if (overlaps)
        return false;
    m_gaps.insert(std::lower_bound(m_gaps.begin(), m_gaps.end(), gap, byPrev), gap);
    refresh();
    return true;
}

bool ChartModel::healRange(qint64 from, qint64 to)
{
    QList<ChartGap> kept;
    QList<ChartGap> remaining;
    bool changed = false;
    for (const ChartGap &gap : std::as_const(m_gaps)) {
        // A band is touched when a bar inside it (strictly between prev and next) is in range.
        const bool touched = gap.prevTime < to && from < gap.nextTime
                             && m_candles.lowerBound(gap.prevTime + 1) < m_candles.lowerBound(gap.nextTime);
        if (!touched) {
            kept.append(gap);
            continue;
        }
        changed = true;
        // What is still missing inside the old band, as the held candles show it.
        qint64 prev = gap.prevTime;
        const qsizetype endIndex = m_candles.lowerBound(gap.nextTime + 1);
        m_candles.forRange(m_candles.lowerBound(gap.prevTime + 1), endIndex, [&](const Candle &c, qsizetype) {
            if (c.time - prev > m_tf)
                remaining.append({prev, c.time, (c.time - prev) / m_tf - 1});
            prev = c.time;
        });
        if (gap.nextTime - prev > m_tf && m_candles.indexOf(gap.nextTime) < 0)
            remaining.append({prev, gap.nextTime, (gap.nextTime - prev) / m_tf - 1});
    }
    if (!changed)
        return false;
    setGaps(kept + remaining);
    return true;
}

void ChartModel::setOverlays(QList<ChartMarker> markers, QList<ChartSegment> segments)
{
    m_markers = std::move(markers);
    m_segments = std::move(segments);
}

void ChartModel::clear()
{
    m_candles.clear();
    m_gaps.clear();
    m_loaded.clear();
    m_markers.clear();
    m_segments.clear();
    m_origin.reset();
}

void ChartModel::refresh()
{
    m_loaded.clear();
    if (m_candles.isEmpty())
        return;
    if (!m_origin)
        m_origin = m_candles.last().time;
    const qint64 first = m_candles.first().time;
    for (const ChartGap &gap : std::as_const(m_gaps)) {
        if (gap.prevTime >= first)
            m_loaded.push_back(gap);
    }
}

qsizetype ChartModel::gapsBefore(qint64 time) const
{
    const auto it = std::partition_point(m_loaded.cbegin(), m_loaded.cend(),
                                         [time](const ChartGap &g) { return g.prevTime < time; });
    return qsizetype(std::distance(m_loaded.cbegin(), it));
}

double ChartModel::slotOf(qsizetype index) const
{
    return slotOfTime(m_candles.at(index).time);
}

double ChartModel::slotOfTime(qint64 time) const
{
    if (!m_indexAxis)
        return double(time - m_origin.value_or(time)) / double(m_tf);
    const qsizetype i = m_candles.lowerBound(time);
    return double(i + gapsBefore(time));
}

qsizetype ChartModel::indexAtSlot(double slot) const
{
    qsizetype lo = 0;
    qsizetype hi = m_candles.size();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (slotOf(mid) < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

std::pair<double, double> ChartModel::gapSlots(const ChartGap &gap) const
{
    const double prev = slotOfTime(gap.prevTime);
    if (m_indexAxis)
        return {prev + 1, prev + 2};
    return {prev + 1, slotOfTime(gap.nextTime)};
}

std::optional<ChartGap> ChartModel::gapAtSlot(double slot) const
{
    for (const ChartGap &gap : m_loaded) {
        const auto [a, b] = gapSlots(gap);
        if (slot >= a && slot < b)
            return gap;
    }
    return std::nullopt;
}

} // namespace gapless::ui
