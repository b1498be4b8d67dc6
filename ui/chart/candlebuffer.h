#pragma once

#include "core/domain/candle.h"

#include <QtGlobal>

#include <deque>
#include <span>
#include <vector>

namespace gapless::ui {

/// The chart's candles (UI-5): a deque of contiguous chunks of 48-byte candles, sorted by time
/// and unique. A page of older history becomes one chunk at the front, closed candles fill the
/// last chunk, and a candle is found by binary search. Indexes run 0..size()-1 over all chunks.
class CandleBuffer
{
public:
    /// Candles per chunk that live appends fill; pages keep their own size.
    static constexpr qsizetype kChunkCapacity = 4096;

    [[nodiscard]] qsizetype size() const { return m_size; }
    [[nodiscard]] bool isEmpty() const { return m_size == 0; }
    [[nodiscard]] const Candle &at(qsizetype index) const;
    [[nodiscard]] const Candle &first() const { return m_chunks.front().front(); }
    [[nodiscard]] const Candle &last() const { return m_chunks.back().back(); }

    /// Index of the first candle with time >= `time` (size() if none).
    [[nodiscard]] qsizetype lowerBound(qint64 time) const;
    /// Index of the candle at exactly `time`, or -1.
    [[nodiscard]] qsizetype indexOf(qint64 time) const;

    /// Adds the candles older than first() as one chunk; returns how many were added.
    qsizetype prepend(std::span<const Candle> ascending);
    /// A closed or forming candle: replaces the last one at the same time, else appends
    /// when newer, else merges. Returns true if it was appended (a new slot).
    bool appendOrReplace(const Candle &candle);
    /// Any candles: each replaces the one at its time or is inserted in order. Returns how
    /// many new slots were created.
    qsizetype merge(std::span<const Candle> ascending);
    /// Drops every candle and chunk.
    void clear();

    /// Bytes held by the candle storage and the chunk index.
    [[nodiscard]] qsizetype memoryBytes() const;
    [[nodiscard]] qsizetype chunkCount() const { return qsizetype(m_chunks.size()); }

    /// Calls `f(const Candle &, qsizetype index)` for indexes [from, to), chunk by chunk.
    template<typename F>
    void forRange(qsizetype from, qsizetype to, F &&f) const
    {
        if (from >= to)
            return;
        auto [chunk, offset] = locate(from);
        qsizetype index = from;
        for (; chunk < m_chunks.size() && index < to; ++chunk, offset = 0) {
            const std::vector<Candle> &c = m_chunks[chunk];
            const qsizetype end = std::min<qsizetype>(qsizetype(c.size()), offset + (to - index));
            for (qsizetype i = offset; i < end; ++i, ++index)
                f(c[size_t(i)], index);
        }
    }

private:
    struct Position
    {
        size_t chunk;
        qsizetype offset;
    };
    [[nodiscard]] Position locate(qsizetype index) const;
    void insertAt(qsizetype index, const Candle &candle);
    void rebuildStarts();

    std::deque<std::vector<Candle>> m_chunks;
    std::vector<qsizetype> m_starts; // global index of each chunk's first candle
    qsizetype m_size = 0;
};

static_assert(sizeof(Candle) == 48, "UI-5: a chart candle is 48 bytes");

} // namespace gapless::ui
