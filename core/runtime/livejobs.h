#pragma once

#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QHash>
#include <QSet>
#include <QObject>

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
/// `sync.series`. Each job's closed bars go to the writer (source `live`, or `backfill` for
/// its REST catch-up), its forming bars to the server (PROTO-23), its malformed messages to
/// the journal; the head it gates on follows what the writer commits. Lives on the protocol
/// thread.
class LiveJobs final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveJobs)
public:
    LiveJobs(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
             const SourceSettings &source, const BackfillSettings &backfill, quint64 seed, QObject *parent = nullptr);
    ~LiveJobs() override;

    /// The 1m base a series is fed by, when it has a network source (binance spot/futures).
    [[nodiscard]] static std::optional<SeriesId> liveBase(const SeriesId &series);
    /// Starts the job of `series`' base unless one runs; reads its head first.
    void pin(const SeriesId &series);
    /// PROTO-25: a subscription references the job of `series`' base, starting it when fewer
    /// than `maxLive` unpinned jobs run; false (capacity) otherwise. Series without a network
    /// source need no job: true.
    bool reference(const SeriesId &series, int maxLive);
    [[nodiscard]] bool isLive(const SeriesId &base) const;
    [[nodiscard]] QList<SeriesId> bases() const;
    void publishTo(protocol::MarketServer *server);

signals:
    /// A job was started for `base` (once per base).
    void jobStarted(const gapless::SeriesId &base);
    /// A job's state (`connecting`, `catching_up`, `live`, …).
    void jobStateChanged(const gapless::SeriesId &base, const QString &state);

private:
    void start(const SeriesId &base);
    void startJob(const SeriesId &base, std::optional<qint64> head);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    sources::BinanceRestClient *m_rest;
    SourceSettings m_source;
    BackfillSettings m_backfill;
    quint64 m_seed;
    protocol::MarketServer *m_server = nullptr;
    QHash<SeriesId, std::shared_ptr<sources::KlineStreamJob>> m_jobs;
    QHash<SeriesId, std::optional<qint64>> m_heads;
    QSet<SeriesId> m_pinned; ///< sync.series bases: not counted against ingest.max_live_series
    qint64 m_runCounter = 0;
};

} // namespace gapless
