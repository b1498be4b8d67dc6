#include "core/sources/binance/exchangeclock.h"

#include <cmath>

namespace gapless::sources {

void ExchangeClock::update(qint64 serverTimeMs, double speed, qint64 sentLocalMs, qint64 receivedLocalMs)
{
    m_serverMs = serverTimeMs;
    m_midLocalMs = (sentLocalMs + receivedLocalMs) / 2;
    m_speed = speed > 0 ? speed : 1;
}

qint64 ExchangeClock::nowMs(qint64 localMs) const
{
    if (!m_serverMs)
        return localMs;
    return *m_serverMs + qint64(std::llround(double(localMs - m_midLocalMs) * m_speed));
}

qint64 ExchangeClock::nextMinuteLocalMs(qint64 localMs) const
{
    const qint64 x = nowMs(localMs);
    const qint64 toNext = 60000 - ((x % 60000) + 60000) % 60000;
    return localMs + qint64(std::ceil(double(toNext) / m_speed));
}

} // namespace gapless::sources
