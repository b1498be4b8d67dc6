#pragma once

#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::protocol {
class MarketServer;
}

namespace gapless::sources {
class BinanceRestClient;
class KlineStreamJob;
}

namespace gapless {

/// The live kline jobs of a running core (SRC-12): one per 1m base, pinned for the bases of
/// `sync.series`, else referenced by subscriptions (PROTO-25). Each job's closed bars go to
/// the writer (source `live`, or `backfill` for its REST catch-up), its forming bars to the
/// server (PROTO-23), its malformed messages to the journal; the head it gates on follows what
/// the writer commits. An unreferenced, unpinned job stops after `ingest.live_idle_ttl_s`;
/// one more than `ingest.max_live_series` unpinned jobs evicts the longest-idle unreferenced
/// one. Lives on the protocol thread.
class LiveJobs final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveJobs)
public:
    /// How often idle jobs are looked for; their age is measured on the clock.
    static constexpr int kSweepIntervalMs = 250;

    LiveJobs(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
             const SourceSettings &source, const BackfillSettings &backfill, const IngestSettings &ingest,
             quint64 seed, QObject *parent = nullptr);
    ~LiveJobs() override;

    /// The 1m base a series is fed by, when it has a network source (binance spot/futures).
    [[nodiscard]] static std::optional<SeriesId> liveBase(const SeriesId &series);
    /// Starts the job of `series`' base unless one runs, and keeps it running: a pinned job
    /// is never evicted nor counted against `ingest.max_live_series`.
    void pin(const SeriesId &series);
    /// PROTO-25: a subscription references the job of `series`' base, starting it (evicting
    /// the longest-idle unreferenced job when `ingest.max_live_series` unpinned jobs run).
    /// False (capacity) when no job can be evicted. Series without a network source need no
    /// job: true.
    bool reference(const SeriesId &series);
    /// A subscription that reference() accepted ended; the job's idle time starts at 0 refs.
    void release(const SeriesId &series);
    /// `ingest.max_live_series` and `ingest.live_idle_ttl_s` (CFG-4: runtime).
    void setLimits(const IngestSettings &ingest);
    /// Stops every unreferenced, unpinned job idle for `ingest.live_idle_ttl_s` on the clock;
    /// a timer calls it every kSweepIntervalMs.
    void stopIdle();

    [[nodiscard]] bool isLive(const SeriesId &base) const;
    /// Whether a job runs (or is being started) for `base`.
    [[nodiscard]] bool isRunning(const SeriesId &base) const;
    /// Whether the job of `series`' base has not finished its first catch-up yet.
    [[nodiscard]] bool isCatchingUp(const SeriesId &series) const;
    /// Calls `done` through `context` once the job of `series`' base is past connecting and
    /// catching up and the writer committed every bar it handed on (BF-7 then finds them
    /// stored), or the job stopped; at once when it is not catching up.
    void afterCatchUp(const SeriesId &series, QObject *context, std::function<void()> done);
    [[nodiscard]] QList<SeriesId> bases() const;
    void publishTo(protocol::MarketServer *server);

signals:
    /// A job was started for `base`.
    void jobStarted(const gapless::SeriesId &base);
    /// The job of `base` stopped (idle or evicted, PROTO-25).
    void jobStopped(const gapless::SeriesId &base);
    /// A job's state (`connecting`, `catching_up`, `live`, …).
    void jobStateChanged(const gapless::SeriesId &base, const QString &state);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        std::function<void()> done;
    };
    struct Entry
    {
        std::optional<qint64> head;   ///< the newest committed time
        std::optional<qint64> handed; ///< the newest time the job handed to the writer
        std::shared_ptr<sources::KlineStreamJob> job;
        quint64 generation = 0;
        int refs = 0;
        bool pinned = false;
        qint64 idleSinceMs = 0;
        QList<Waiter> waiters;
    };

    Entry &start(const SeriesId &base);
    void startJob(const SeriesId &base, quint64 generation, std::optional<qint64> head);
    void connectJob(const SeriesId &base, sources::KlineStreamJob *job);
    void stop(const SeriesId &base);
    [[nodiscard]] bool evictOne();
    void releaseWaiters(const SeriesId &base, bool force);
    [[nodiscard]] static bool catchingUp(const Entry &entry);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    sources::BinanceRestClient *m_rest;
    SourceSettings m_source;
    BackfillSettings m_backfill;
    IngestSettings m_ingest;
    quint64 m_seed;
    protocol::MarketServer *m_server = nullptr;
    QHash<SeriesId, Entry> m_entries;
    quint64 m_generations = 0;
    qint64 m_runCounter = 0;
    QTimer m_sweep;
};

} // namespace gapless
