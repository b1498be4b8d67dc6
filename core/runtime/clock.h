#pragma once

#include <QDateTime>

namespace gapless {

/// Wall-clock time, injected so tests control it (STYLE §3).
class Clock
{
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual qint64 nowMs() const = 0;
    [[nodiscard]] qint64 nowSeconds() const { return nowMs() / 1000; }
    /// The clock this one reads: itself, or the local clock under an exchange's (SRC-3), which
    /// a REST client needs to time its own round trips.
    [[nodiscard]] virtual const Clock &local() const { return *this; }
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

/// A clock that stands still until told otherwise.
class FixedClock final : public Clock
{
public:
    explicit FixedClock(qint64 nowMs) : m_nowMs(nowMs) {}
    qint64 nowMs() const override { return m_nowMs; }
    void setNowMs(qint64 nowMs) { m_nowMs = nowMs; }

private:
    qint64 m_nowMs;
};

} // namespace gapless
