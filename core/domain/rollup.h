#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/domain/timeframe.h"

#include <optional>

namespace gapless {

/// Whether `base` rolls up to `target` (DOM-11): target > base, target mod base = 0 and
/// target mod 60 = 0; else bad_request naming both.
[[nodiscard]] Result<void> checkRollup(Timeframe base, Timeframe target);

/// Rolls base candles up to a longer timeframe one candle at a time (DOM-11), so a large
/// series can be exported or derived without holding it (CLI-10, BF-10).
/// bucket = floor_T(t); open first, high max, low min, close last, volume sum. A bucket is
/// complete iff every slot bucket + k·b (k = 0…T/b-1) has a candle; only complete buckets are
/// emitted, the others with at least one candle count as incomplete.
class RollupAccumulator
{
public:
    /// checkRollup(base, target) must succeed.
    RollupAccumulator(Timeframe base, Timeframe target);

    /// Feeds the next base candle; times must ascend. Returns the bucket this candle completes,
    /// if any, as soon as its last slot arrives. A candle whose time is not after the previous
    /// one or not aligned to the base timeframe is not a slot and is skipped (counted).
    std::optional<Candle> add(const Candle &candle);
    /// Ends the input: a bucket still filling is incomplete and never emitted (DOM-11).
    void finish();

    [[nodiscard]] qint64 complete() const { return m_complete; }
    [[nodiscard]] qint64 incomplete() const { return m_incomplete; }
    /// Buckets with at least one candle: complete + incomplete + the one still filling.
    [[nodiscard]] qint64 buckets() const { return m_buckets; }
    [[nodiscard]] qint64 skipped() const { return m_skipped; }

private:
    Timeframe m_base;
    Timeframe m_target;
    qint64 m_slotsPerBucket = 0;
    std::optional<Candle> m_filling; // time = bucket
    qint64 m_fillingSlots = 0;
    std::optional<qint64> m_lastTime;
    qint64 m_complete = 0;
    qint64 m_incomplete = 0;
    qint64 m_buckets = 0;
    qint64 m_skipped = 0;
};

struct RollupResult
{
    CandleList complete;     ///< the complete buckets, ascending
    qint64 incomplete = 0;   ///< buckets with >= 1 candle that are not complete, the last one too
    qint64 buckets = 0;      ///< buckets with >= 1 candle
};

/// Rolls up a whole ascending base series (DOM-11); checkRollup(base, target) must succeed.
[[nodiscard]] RollupResult rollUp(const CandleList &ascendingBase, Timeframe base, Timeframe target);

} // namespace gapless
