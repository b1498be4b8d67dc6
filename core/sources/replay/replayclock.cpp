#include "core/sources/replay/replayclock.h"

#include "core/domain/timearith.h"

#include <cmath>

namespace gapless::sources {

ReplayClock::ReplayClock(const Clock &wall, double speed)
    : m_wall(wall)
    , m_speed(speed)
    , m_startMs(wall.nowMs())
{
    Q_ASSERT(speed > 0 && speed <= 3600);
}

qint64 ReplayClock::nowMs() const
{
    const qint64 elapsed = m_wall.nowMs() - m_startMs;
    return m_startMs + qint64(std::floor(double(elapsed) * m_speed));
}

qint64 ReplayClock::tapeStart() const
{
    return floorTo(floorDiv(m_startMs, 1000), 60);
}

qint64 ReplayClock::wallSpan(qint64 virtualSpanMs) const
{
    return qint64(std::ceil(double(virtualSpanMs) / m_speed));
}

} // namespace gapless::sources
