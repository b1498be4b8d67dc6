#include "core/protocol/tokenbucket.h"

#include <algorithm>

namespace gapless::protocol {

namespace {

constexpr qint64 kUnitsPerToken = 1000;

// The settings are validated as >= 1 (SEC-2 rows of CFG-5); the floor only keeps a bad caller
// from dividing by zero or from a bucket that can never hold a token.
qint64 atLeastOne(int value)
{
    return std::max(1, value);
}

} // namespace

TokenBucket::TokenBucket(int ratePerSecond, int burst, qint64 nowMs)
    : m_rate(atLeastOne(ratePerSecond))
    , m_burstUnits(atLeastOne(burst) * kUnitsPerToken)
    , m_units(m_burstUnits)
    , m_lastMs(nowMs)
{
}

std::optional<qint64> TokenBucket::take(qint64 nowMs)
{
    refill(nowMs);
    if (m_units >= kUnitsPerToken) {
        m_units -= kUnitsPerToken;
        return std::nullopt;
    }
    // m_rate units arrive per millisecond; the missing part of a token is at least one unit.
    const qint64 missing = kUnitsPerToken - m_units;
    return (missing + m_rate - 1) / m_rate;
}

void TokenBucket::setLimits(int ratePerSecond, int burst)
{
    m_rate = atLeastOne(ratePerSecond);
    m_burstUnits = atLeastOne(burst) * kUnitsPerToken;
    m_units = std::min(m_units, m_burstUnits);
}

void TokenBucket::refill(qint64 nowMs)
{
    // A clock that steps back adds nothing and does not move the reference back, so the same
    // interval is never credited twice.
    if (nowMs <= m_lastMs)
        return;
    const qint64 elapsed = nowMs - m_lastMs;
    const qint64 room = m_burstUnits - m_units;
    // Compare by division first: elapsed · rate could overflow after a long idle time.
    m_units = elapsed >= (room + m_rate - 1) / m_rate ? m_burstUnits : m_units + elapsed * m_rate;
    m_lastMs = nowMs;
}

} // namespace gapless::protocol
