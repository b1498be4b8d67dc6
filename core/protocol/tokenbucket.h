#pragma once

#include <QtGlobal>

#include <optional>

namespace gapless::protocol {

/// The per-connection command rate limit of SEC-2: `rate` tokens per second, at most `burst`
/// held, full at start. Time comes from the caller so tests drive it.
class TokenBucket
{
public:
    TokenBucket(int ratePerSecond, int burst, qint64 nowMs);

    /// Takes one token: nullopt if there was one, else the ms until one is available
    /// (`retry_after_ms`, >= 1).
    [[nodiscard]] std::optional<qint64> take(qint64 nowMs);
    void setLimits(int ratePerSecond, int burst);

private:
    void refill(qint64 nowMs);

    // Tokens are counted in thousandths, so that `rate` per second adds exactly `rate` units
    // per millisecond: integer arithmetic, and waiting retry_after_ms always yields a token.
    qint64 m_rate;
    qint64 m_burstUnits;
    qint64 m_units;
    qint64 m_lastMs;
};

} // namespace gapless::protocol
