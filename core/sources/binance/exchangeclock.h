#pragma once

#include <QtGlobal>

#include <optional>

namespace gapless::sources {

/// The exchange's clock as SRC-3 estimates it from the latest `/time` reply:
/// xnow = serverTime + (local − (t_send + t_recv) / 2) · speed. Before the first reply it
/// follows the local clock.
class ExchangeClock
{
public:
    /// A `/time` reply: `serverTimeMs`, `speed` (1 when absent), sent and received at the
    /// given local times.
    void update(qint64 serverTimeMs, double speed, qint64 sentLocalMs, qint64 receivedLocalMs);
    [[nodiscard]] qint64 nowMs(qint64 localMs) const;
    [[nodiscard]] bool isSynced() const { return m_serverMs.has_value(); }
    [[nodiscard]] double speed() const { return m_speed; }
    /// When the exchange's current minute ends, in local ms (for the weight window, SRC-5).
    [[nodiscard]] qint64 nextMinuteLocalMs(qint64 localMs) const;

private:
    std::optional<qint64> m_serverMs;
    qint64 m_midLocalMs = 0;
    double m_speed = 1;
};

} // namespace gapless::sources
