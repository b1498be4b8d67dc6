#pragma once

#include <QMap>
#include <QtGlobal>

#include <optional>

namespace gapless::sources {

class ExchangeClock;

/// SRC-5 for one host: the weight used in the exchange's current minute is the last
/// `X-MBX-USED-WEIGHT-1m` (or the local sum before any) plus what was sent since; a request
/// that would pass `limit · budgetPct / 100` waits for the next exchange minute + 250 ms.
class WeightBudget
{
public:
    WeightBudget(int limit, int budgetPct);

    void setLimits(int limit, int budgetPct);
    /// A ticket if `weight` may be sent at `localMs` (counted as sent); else nullopt and
    /// `*waitMs` says how long to wait.
    [[nodiscard]] std::optional<quint64> reserve(int weight, qint64 localMs, const ExchangeClock &clock,
                                                 qint64 *waitMs);
    /// The reply to `ticket` arrived, with the exchange's count when it had the header: used
    /// becomes that count plus what was sent after the ticket and is still unanswered.
    void observeReply(quint64 ticket, std::optional<int> headerUsed, qint64 localMs, const ExchangeClock &clock);
    [[nodiscard]] int used(qint64 localMs, const ExchangeClock &clock);
    [[nodiscard]] int budget() const { return m_limit * m_budgetPct / 100; }

private:
    void roll(qint64 localMs, const ExchangeClock &clock);

    int m_limit;
    int m_budgetPct;
    qint64 m_minute = -1; ///< exchange minute (x ms / 60000) the count belongs to
    int m_used = 0;
    quint64 m_nextTicket = 1;
    QMap<quint64, int> m_unanswered; ///< ticket → weight, sent in this minute
};

} // namespace gapless::sources
