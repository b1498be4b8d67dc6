#pragma once

#include "core/runtime/clock.h"

namespace gapless::sources {

/// The replay exchange's virtual time (SRC-15): V = w0 + (wall - w0)·X, where w0 is the wall
/// time when the clock was made and X the speed. T0 = floor_60(w0) is where the tape starts.
/// The wall clock is injected, so tests move V by setting a FixedClock.
class ReplayClock final : public Clock
{
public:
    /// `speed` must be in (0, 3600] (SRC-14); `wall` outlives this clock.
    ReplayClock(const Clock &wall, double speed);

    /// V in ms.
    qint64 nowMs() const override;
    [[nodiscard]] qint64 wallMs() const { return m_wall.nowMs(); }
    [[nodiscard]] const Clock &wall() const { return m_wall; }
    [[nodiscard]] double speed() const { return m_speed; }
    /// w0 in ms.
    [[nodiscard]] qint64 startMs() const { return m_startMs; }
    /// T0 = floor_60(w0) in seconds: the open time of the first live slot.
    [[nodiscard]] qint64 tapeStart() const;
    /// A span of V in ms as wall ms, rounded up.
    [[nodiscard]] qint64 wallSpan(qint64 virtualSpanMs) const;

private:
    const Clock &m_wall;
    double m_speed;
    qint64 m_startMs;
};

} // namespace gapless::sources
