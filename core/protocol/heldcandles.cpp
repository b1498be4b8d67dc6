#include "core/protocol/heldcandles.h"

#include <algorithm>

namespace gapless::protocol {

std::optional<qint64> HeldCandles::newestTime() const
{
    if (m_candles.isEmpty())
        return std::nullopt;
    return m_candles.constLast().time;
}

bool HeldCandles::append(const Candle &candle)
{
    if (!m_candles.isEmpty() && candle.time <= m_candles.constLast().time)
        return false;
    m_candles.append(candle);
    return true;
}

HeldCandles::MergeOutcome HeldCandles::merge(const CandleList &candles)
{
    MergeOutcome outcome;
    const auto newest = newestTime();
    if (!newest)
        return outcome;
    CandleList incoming;
    incoming.reserve(candles.size());
    for (const Candle &c : candles) {
        if (c.time <= *newest)
            incoming.append(c);
    }
    const auto byTime = [](const Candle &a, const Candle &b) { return a.time < b.time; };
    std::stable_sort(incoming.begin(), incoming.end(), byTime);

    // One pass over both ascending lists; the later of two fetched candles at one time wins.
    CandleList merged;
    merged.reserve(m_candles.size() + incoming.size());
    qsizetype held = 0;
    for (qsizetype i = 0; i < incoming.size(); ++i) {
        const Candle &c = incoming.at(i);
        if (i + 1 < incoming.size() && incoming.at(i + 1).time == c.time)
            continue;
        while (held < m_candles.size() && m_candles.at(held).time < c.time)
            merged.append(m_candles.at(held++));
        if (held < m_candles.size() && m_candles.at(held).time == c.time) {
            if (!(m_candles.at(held) == c))
                ++outcome.replaced;
            ++held;
        } else {
            outcome.inserted.append(c);
        }
        merged.append(c);
    }
    if (outcome.inserted.isEmpty() && outcome.replaced == 0)
        return outcome;
    while (held < m_candles.size())
        merged.append(m_candles.at(held++));
    m_candles = std::move(merged);
    return outcome;
}

} // namespace gapless::protocol
