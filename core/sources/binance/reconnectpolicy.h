#pragma once

#include <QQueue>
#include <QtGlobal>

#include <functional>

namespace gapless::sources {

/// When a kline stream may connect again (SRC-11): after a failure, min(cap, base·2^n)·u with
/// u = 0.5 + 0.5·random() in [0.5, 1), n the failures since a connection last stayed live
/// `stable` long; and never more than `limit` connects in any `window`.
class ReconnectPolicy
{
public:
    struct Options
    {
        qint64 baseMs = 1000;
        qint64 capMs = 60000;
        int connectLimit = 250;
        qint64 connectWindowMs = 300000;
    };

    /// `random` returns values in [0, 1).
    ReconnectPolicy(Options options, std::function<double()> random);

    /// A connection failed at `nowMs`: when to try again (n grows by one).
    [[nodiscard]] qint64 afterFailure(qint64 nowMs);
    /// A connection stayed live long enough: n := 0.
    void resetFailures() { m_failures = 0; }
    [[nodiscard]] int failures() const { return m_failures; }

    /// The earliest time at or after `nowMs` when a connect stays within the limit.
    [[nodiscard]] qint64 earliestConnectMs(qint64 nowMs);
    /// Counts a connect made at `nowMs`.
    void recordConnect(qint64 nowMs);

private:
    Options m_options;
    std::function<double()> m_random;
    int m_failures = 0;
    QQueue<qint64> m_connects;
};

} // namespace gapless::sources
