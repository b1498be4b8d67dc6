#pragma once

#include "core/domain/candle.h"

#include <QQueue>

#include <optional>

namespace gapless::sources {

/// The live gate of SRC-9, without I/O: closed bars from the stream go in one by one, and
/// each step says what to ingest or which slots REST must heal first. With `last` the newest
/// bar of the base (head): t <= last is ignored; t = last + tf is ingested; t > last + tf is
/// held while REST fetches [last + tf, t − tf], then the healed rows and t go in, healed or
/// not; each ingested bar moves last to t. Without a last (an empty store) the first bar goes in.
class LiveGate
{
public:
    struct Step
    {
        enum class Kind { Idle, Ingest, Heal };

        Kind kind = Kind::Idle;
        CandleList healed;  ///< Ingest: rows REST brought for a hole, ascending, inside it
        CandleList candles; ///< Ingest: stream bars, ascending, after `healed`
        qint64 from = 0;    ///< Heal: the slots to fetch, [from, to]
        qint64 to = 0;
    };

    explicit LiveGate(qint64 tfSeconds = 60);

    /// Starts over from `last`: the queue and any heal are dropped.
    void reset(std::optional<qint64> last);
    /// Moves last up to `time` if it is newer (rows that went in by another way).
    void advanceTo(qint64 time);
    [[nodiscard]] std::optional<qint64> last() const { return m_last; }

    /// Queues a closed bar, in arrival order.
    void offer(const Candle &closed);
    /// What to do next: bars to ingest (a run of consecutive ones), a heal to start, or
    /// nothing (queue empty, or a heal under way).
    [[nodiscard]] Step next();
    /// Ends the heal under way with what REST brought (empty when it failed): the rows in
    /// the hole, then the held bar; last := the held bar's time.
    [[nodiscard]] Step finishHeal(const CandleList &rows);

    [[nodiscard]] bool isHealing() const { return m_held.has_value(); }
    [[nodiscard]] qsizetype queued() const { return m_queue.size(); }
    /// Bars ignored so far because t <= last.
    [[nodiscard]] qint64 ignored() const { return m_ignored; }

private:
    qint64 m_tf;
    std::optional<qint64> m_last;
    std::optional<Candle> m_held;
    QQueue<Candle> m_queue;
    qint64 m_ignored = 0;
};

} // namespace gapless::sources
