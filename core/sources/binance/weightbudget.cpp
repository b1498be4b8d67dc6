#include "core/sources/binance/weightbudget.h"

#include "core/sources/binance/exchangeclock.h"

namespace gapless::sources {

namespace {

constexpr qint64 kAfterMinuteMs = 250;

} // namespace

WeightBudget::WeightBudget(int limit, int budgetPct) : m_limit(limit), m_budgetPct(budgetPct)
{
}

void WeightBudget::setLimits(int limit, int budgetPct)
{
    m_limit = limit;
    m_budgetPct = budgetPct;
}

void WeightBudget::roll(qint64 localMs, const ExchangeClock &clock)
{
    const qint64 minute = clock.nowMs(localMs) / 60000;
    if (minute != m_minute) {
        m_minute = minute;
        m_used = 0;
        m_unanswered.clear();
    }
}

int WeightBudget::used(qint64 localMs, const ExchangeClock &clock)
{
    roll(localMs, clock);
    return m_used;
}

std::optional<quint64> WeightBudget::reserve(int weight, qint64 localMs, const ExchangeClock &clock, qint64 *waitMs)
{
    roll(localMs, clock);
    if (m_used + weight > budget()) {
        *waitMs = clock.nextMinuteLocalMs(localMs) - localMs + kAfterMinuteMs;
        return std::nullopt;
    }
    *waitMs = 0;
    m_used += weight;
    const quint64 ticket = m_nextTicket++;
    m_unanswered.insert(ticket, weight);
    return ticket;
}

void WeightBudget::observeReply(quint64 ticket, std::optional<int> headerUsed, qint64 localMs,
                                const ExchangeClock &clock)
{
    roll(localMs, clock);
    m_unanswered.remove(ticket);
    if (!headerUsed)
        return;
    int after = 0;
    for (auto it = m_unanswered.upperBound(ticket); it != m_unanswered.end(); ++it)
        after += it.value();
    m_used = *headerUsed + after;
}

} // namespace gapless::sources
