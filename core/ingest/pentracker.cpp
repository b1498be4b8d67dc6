#include "core/ingest/pentracker.h"

namespace gapless {

namespace {

PenSegment segmentBetween(const PivotEvent &start, const PivotEvent &end)
{
    return PenSegment{start.pivotTime, start.price, end.pivotTime, end.price};
}

} // namespace

PenTracker PenTracker::fromTail(const QList<PivotEvent> &tail)
{
    PenTracker tracker;
    if (!tail.isEmpty())
        tracker.m_last = tail.constLast();
    if (tail.size() >= 2)
        tracker.m_previous = tail.at(tail.size() - 2);
    return tracker;
}

PenTracker PenTracker::replay(const QList<PivotEvent> &majors)
{
    PenTracker tracker;
    for (const PivotEvent &major : majors)
        tracker.add(major);
    return tracker;
}

std::optional<PenEvent> PenTracker::add(const PivotEvent &major)
{
    if (!major.major)
        return std::nullopt;
    if (!m_last) {
        m_last = major;
        return std::nullopt;
    }
    if (m_last->resistance == major.resistance) {
        // Replace only if strictly more extreme; an equal price keeps the earlier pivot.
        const bool moreExtreme = major.resistance ? major.price > m_last->price : major.price < m_last->price;
        if (moreExtreme)
            m_last = major;
        return std::nullopt;
    }
    std::optional<PenEvent> confirmed;
    if (m_previous) // |L| >= 3 after the append: L[-3]→L[-2] is final
        confirmed = PenEvent{segmentBetween(*m_previous, *m_last), major.visibleTime};
    m_previous = m_last;
    m_last = major;
    return confirmed;
}

PenHead PenTracker::head() const
{
    if (!m_previous)
        return PenHead{};
    return PenHead{segmentBetween(*m_previous, *m_last)};
}

QList<PivotEvent> PenTracker::tail() const
{
    QList<PivotEvent> elements;
    if (m_previous)
        elements.append(*m_previous);
    if (m_last)
        elements.append(*m_last);
    return elements;
}

} // namespace gapless
