#pragma once

#include "core/domain/candle.h"

#include <optional>

namespace gapless::protocol {

/// The closed candles a Client holds for one series: ascending by time, one per time
/// (PROTO-31). The stream only ever extends the head; fetched ranges are merged in by time.
class HeldCandles
{
public:
    [[nodiscard]] const CandleList &list() const { return m_candles; }
    [[nodiscard]] bool isEmpty() const { return m_candles.isEmpty(); }
    [[nodiscard]] std::optional<qint64> newestTime() const;

    /// Appends `candle` if it is newer than the newest held one; false (a duplicate) otherwise.
    [[nodiscard]] bool append(const Candle &candle);

    /// What a merge changed: the candles it inserted (ascending) and how many it replaced.
    struct MergeOutcome
    {
        CandleList inserted;
        qsizetype replaced = 0;
    };

    /// Merges `candles` by time: a missing time is inserted, a held one with other values is
    /// replaced. Candles after the newest held one are ignored, so the stream alone extends the
    /// head and its duplicate rule keeps working.
    MergeOutcome merge(const CandleList &candles);

    void clear() { m_candles.clear(); }

private:
    CandleList m_candles;
};

} // namespace gapless::protocol
