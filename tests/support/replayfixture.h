#pragma once

#include "core/domain/candle.h"
#include "core/runtime/clock.h"
#include "core/sources/replay/replayexchange.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QUrl>

#include <memory>

namespace gapless::test {

/// w0 of every replay test: a whole minute, so T0 = w0 / 1000.
inline constexpr qint64 kReplayW0 = 1700000040000;
inline constexpr qint64 kReplayT0 = 1700000040;

/// SRC-17 computed here, independently of the exchange: the row at p = (V - time)/60.
[[nodiscard]] Candle formingAt(const Candle &row, double p);
/// The contiguous slot of `ordinal` carrying its row of `rows` (SRC-15).
[[nodiscard]] Candle contiguousBar(const CandleList &rows, qint64 ordinal);
/// What differs between a REST kline row and `bar`; empty when they agree.
[[nodiscard]] QString restRowMismatch(const QJsonValue &row, const Candle &bar, qint64 tf);
/// What differs between a stream kline `k` and `bar`; empty when they agree.
[[nodiscard]] QString streamBarMismatch(const QJsonObject &k, const Candle &bar, qint64 tf, bool closed);

/// A replay exchange on 127.0.0.1 whose wall clock the test holds: it starts at kReplayW0
/// and moves only when told; the exchange runs no timer, so streams move on tick() alone.
class ReplayFixture
{
public:
    /// Starts an exchange with `faults` armed; false (with a warning) if it cannot listen.
    [[nodiscard]] bool start(const QList<sources::ReplaySymbol> &symbols, const QString &faults = {},
                             sources::ReplayOptions options = {});
    void stop();

    [[nodiscard]] FixedClock &wall() { return m_wall; }
    [[nodiscard]] sources::ReplayExchange &exchange() { return *m_exchange; }
    /// The exchange's base URL followed by `pathAndQuery`.
    [[nodiscard]] QUrl url(const QString &pathAndQuery) const;
    /// Sets the wall clock to w0 + `offsetMs` and ticks the exchange.
    void setWall(qint64 offsetMs);

private:
    FixedClock m_wall{kReplayW0};
    std::unique_ptr<sources::ReplayExchange> m_exchange;
};

} // namespace gapless::test
