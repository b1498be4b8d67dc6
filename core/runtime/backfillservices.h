#pragma once

#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QObject>

#include <memory>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::protocol {
class MarketServer;
}

namespace gapless::sources {
class BinanceRestClient;
}

namespace gapless::backfill {
class DerivedForming;
class FetchRetry;
class GapBackfill;
class LiveHoleRetry;
class ProgressTracker;
}

namespace gapless {

class LiveJobs;

/// The sources and backfill of a running core, wired together: the Binance REST client, the
/// progress tracker and the gap backfill (the server's hole healer). REST failures become
/// journal rows (step `fetch`, SRC-7) and progress goes out on the `progress` topic (BF-18).
/// Holes the live jobs leave are retried in the background (BF-6). Lives on the protocol thread.
class BackfillServices final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackfillServices)
public:
    /// `targetCandles`: sync.target_candles, the default range of a fetch row without a window.
    BackfillServices(const Clock &clock, ingest::IngestWriter *writer, const SourceSettings &source,
                     const BackfillSettings &backfill, quint64 seed, int targetCandles,
                     QObject *parent = nullptr);
    ~BackfillServices() override;

    [[nodiscard]] backfill::GapBackfill *gapBackfill() const { return m_gap.get(); }
    [[nodiscard]] backfill::ProgressTracker *tracker() const { return m_tracker.get(); }
    [[nodiscard]] sources::BinanceRestClient *rest() const { return m_rest.get(); }
    [[nodiscard]] backfill::LiveHoleRetry *holeRetry() const { return m_holes.get(); }
    /// BF-23 / ING-11 for `fetch` journal rows, over this core's sources.
    [[nodiscard]] backfill::FetchRetry *fetchRetry() const { return m_fetchRetry.get(); }
    /// Sends progress frames to the server's watchers from now on, and the forming candles of
    /// subscribed derived series whenever the server publishes their live base's (BF-13).
    void publishTo(protocol::MarketServer *server);
    void setSettings(const BackfillSettings &backfill);
    /// Follows the bases `live` starts and their states, for BF-6.
    void followLive(LiveJobs *live);

private:
    std::unique_ptr<sources::BinanceRestClient> m_rest;
    std::unique_ptr<backfill::ProgressTracker> m_tracker;
    std::unique_ptr<backfill::GapBackfill> m_gap;
    std::unique_ptr<backfill::DerivedForming> m_forming;
    std::unique_ptr<backfill::LiveHoleRetry> m_holes;
    std::unique_ptr<backfill::FetchRetry> m_fetchRetry;
    ingest::IngestWriter *m_writer;
};

} // namespace gapless
