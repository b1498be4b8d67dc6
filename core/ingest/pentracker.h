#pragma once

#include "core/ingest/factorevent.h"

#include <QList>

#include <optional>

namespace gapless {

/// Builds pens from major pivots (FAC-10) and keeps the pen head (FAC-11). Only the last two
/// elements of the pivot list L matter for what comes next, so that is all it keeps.
class PenTracker
{
public:
    PenTracker() = default;

    /// A tracker whose list ends with `tail` (its last one or two elements, oldest first); an
    /// empty tail is an empty list. Elements must alternate in direction.
    static PenTracker fromTail(const QList<PivotEvent> &tail);
    /// A tracker after every major in `majors` (in the order add() wants), their pens
    /// discarded: cheap, since majors are few (one per 2W + 1 bars at most in each direction).
    static PenTracker replay(const QList<PivotEvent> &majors);

    /// Feeds the next major pivot, in (pivot_time, direction) order with resistance first, and
    /// returns the pen it confirms, visible at the major's visible time. Minor pivots are
    /// not pen input and are ignored.
    std::optional<PenEvent> add(const PivotEvent &major);

    /// L[-2]→L[-1], or none while L has fewer than two elements.
    [[nodiscard]] PenHead head() const;
    /// The last one or two elements of L, oldest first: what fromTail() takes.
    [[nodiscard]] QList<PivotEvent> tail() const;

private:
    std::optional<PivotEvent> m_previous; ///< L[-2]
    std::optional<PivotEvent> m_last;     ///< L[-1]
};

} // namespace gapless
