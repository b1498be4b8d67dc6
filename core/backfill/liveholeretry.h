#pragma once

#include "core/backfill/gapbackfill.h"
#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::backfill {

/// BF-6: a hole a live base's commits leave behind (the live gate's heal failed or ran out of
/// time, SRC-9) is retried by the gap backfill in the background: 5 s after it appeared, then
/// after 10 s, 20 s, … at most 300 s apart, while the base's job is live. A retry that leaves
/// nothing missing, or ends without an error, ends it. Healed rows go through the pipeline, so
/// subscribers hear of them as of any heal (PROTO-19). Due times follow the injected clock,
/// checked every 250 ms while a hole waits. Holes over backfill.gap_heal_max_bars are not its
/// own (SRC-10 catches them up). Lives on the protocol thread.
class LiveHoleRetry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveHoleRetry)
public:
    LiveHoleRetry(const Clock &clock, ingest::IngestWriter *writer, GapBackfill *gap, QObject *parent = nullptr);

    /// The wait before retry `attempt` (from 0): 5 s × 2^attempt, at most 300 s.
    [[nodiscard]] static qint64 delayMs(int attempt);

    /// A live job was started for `base`: its holes are followed from its stored head on.
    void follow(const SeriesId &base);
    /// The job of `base` stopped: its holes are dropped; a new job follows it anew.
    void unfollow(const SeriesId &base);
    /// The state of `base`'s job (`live`, `catching_up`, …): retries run only while live.
    void setState(const SeriesId &base, const QString &state);
    /// Closed bars of `series` were committed; a step past head + tf is a hole.
    void candlesCommitted(const SeriesId &series, const CandleList &candles);
    /// Holes waiting for a retry or being retried.
    [[nodiscard]] int pending() const { return int(m_holes.size()); }

signals:
    /// A hole [expectedNext, actual) was found and its first retry scheduled.
    void holeFound(const gapless::SeriesId &series, qint64 expectedNext, qint64 actual);
    /// Retry `attempt` (from 0) of a hole ended; `done` when no further retry follows.
    void retryFinished(const gapless::SeriesId &series, qint64 expectedNext, qint64 actual, int attempt,
                       const gapless::backfill::GapResult &result, bool done);

private:
    struct Hole
    {
        SeriesId series;
        qint64 expectedNext = 0;
        qint64 actual = 0;
        int attempt = 0;
        qint64 dueMs = 0;
        bool running = false;
    };
    void addHole(const SeriesId &series, qint64 expectedNext, qint64 actual);
    void check();
    void attempt(qint64 key);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    GapBackfill *m_gap;
    QTimer m_poll;
    QHash<SeriesId, std::optional<qint64>> m_heads; ///< followed bases; none until known
    QSet<SeriesId> m_live;
    QHash<qint64, Hole> m_holes;
    qint64 m_nextKey = 1;
};

} // namespace gapless::backfill
