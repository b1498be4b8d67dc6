#include "ui/chart/candlebuffer.h"

#include <algorithm>

namespace gapless::ui {

const Candle &CandleBuffer::at(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < m_size);
    const Position p = locate(index);
    return m_chunks[p.chunk][size_t(p.offset)];
}

CandleBuffer::Position CandleBuffer::locate(qsizetype index) const
{
    // The last chunk whose start is <= index.
    const auto it = std::upper_bound(m_starts.cbegin(), m_starts.cend(), index);
    const size_t chunk = it == m_starts.cbegin() ? 0 : size_t(std::distance(m_starts.cbegin(), it) - 1);
    return {chunk, index - (chunk < m_starts.size() ? m_starts[chunk] : 0)};
}

qsizetype CandleBuffer::lowerBound(qint64 time) const
{
    if (m_size == 0 || time > last().time)
        return m_size;
    // First the chunk, by its last candle; then inside it.
    const auto chunk = std::partition_point(m_chunks.cbegin(), m_chunks.cend(),
                                            [time](const std::vector<Candle> &c) { return c.back().time < time; });
    const auto in = std::partition_point(chunk->cbegin(), chunk->cend(),
                                         [time](const Candle &c) { return c.time < time; });
    return m_starts[size_t(std::distance(m_chunks.cbegin(), chunk))] + std::distance(chunk->cbegin(), in);
}

qsizetype CandleBuffer::indexOf(qint64 time) const
{
    const qsizetype i = lowerBound(time);
    return i < m_size && at(i).time == time ? i : -1;
}

qsizetype CandleBuffer::prepend(std::span<const Candle> ascending)
{
    auto end = ascending.end();
    if (m_size > 0)
        end = std::partition_point(ascending.begin(), ascending.end(),
                                   [t = first().time](const Candle &c) { return c.time < t; });
    std::vector<Candle> chunk;
    chunk.reserve(size_t(std::distance(ascending.begin(), end)));
    for (auto it = ascending.begin(); it != end; ++it) {
        if (chunk.empty() || it->time > chunk.back().time)
            chunk.push_back(*it);
    }
    if (chunk.empty())
        return 0;
    const auto added = qsizetype(chunk.size());
    m_chunks.push_front(std::move(chunk));
    m_size += added;
    rebuildStarts();
    return added;
}

bool CandleBuffer::appendOrReplace(const Candle &candle)
{
    if (m_size > 0 && candle.time == last().time) {
        m_chunks.back().back() = candle;
        return false;
    }
    if (m_size > 0 && candle.time < last().time)
        return merge(std::span<const Candle>(&candle, 1)) > 0;
    if (m_chunks.empty() || qsizetype(m_chunks.back().size()) >= kChunkCapacity) {
        m_starts.push_back(m_size);
        m_chunks.emplace_back();
        m_chunks.back().reserve(size_t(kChunkCapacity));
    }
    m_chunks.back().push_back(candle);
    ++m_size;
    return true;
}

qsizetype CandleBuffer::merge(std::span<const Candle> ascending)
{
    qsizetype added = 0;
    for (const Candle &candle : ascending) {
        if (m_size == 0 || candle.time > last().time) {
            added += appendOrReplace(candle) ? 1 : 0;
            continue;
        }
        const qsizetype i = lowerBound(candle.time);
        const Position p = locate(i);
        Candle &slot = m_chunks[p.chunk][size_t(p.offset)];
        if (slot.time == candle.time) {
            slot = candle;
            continue;
        }
        insertAt(i, candle);
        ++added;
    }
    return added;
}

void CandleBuffer::insertAt(qsizetype index, const Candle &candle)
{
    // `index` holds a later candle; the new one goes before it, in the same chunk.
    const Position p = locate(index);
    std::vector<Candle> &chunk = m_chunks[p.chunk];
    chunk.insert(chunk.begin() + p.offset, candle);
    ++m_size;
    for (size_t c = p.chunk + 1; c < m_starts.size(); ++c)
        ++m_starts[c];
}

void CandleBuffer::clear()
{
    m_chunks.clear();
    m_starts.clear();
    m_starts.shrink_to_fit();
    m_size = 0;
}

void CandleBuffer::rebuildStarts()
{
    m_starts.resize(m_chunks.size());
    qsizetype start = 0;
    for (size_t c = 0; c < m_chunks.size(); ++c) {
        m_starts[c] = start;
        start += qsizetype(m_chunks[c].size());
    }
}

qsizetype CandleBuffer::memoryBytes() const
{
    qsizetype bytes = qsizetype(m_starts.capacity() * sizeof(qsizetype));
    for (const std::vector<Candle> &chunk : m_chunks)
        bytes += qsizetype(chunk.capacity() * sizeof(Candle) + sizeof(std::vector<Candle>));
    return bytes;
}

} // namespace gapless::ui
