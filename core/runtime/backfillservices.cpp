#include "core/runtime/backfillservices.h"

#include "core/backfill/derivedforming.h"
#include "core/backfill/fetchretry.h"
#include "core/backfill/gapbackfill.h"
#include "core/backfill/liveholeretry.h"
#include "core/backfill/progresstracker.h"
#include "core/ingest/ingestwriter.h"
#include "core/ingest/journalentry.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/livejobs.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/filesource.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless {

BackfillServices::BackfillServices(const Clock &clock, ingest::IngestWriter *writer, const SourceSettings &source,
                                   const BackfillSettings &backfill, quint64 seed, int targetCandles,
                                   QObject *parent)
    : QObject(parent), m_writer(writer)
{
    auto random = std::make_shared<QRandomGenerator>(quint32(seed));
    // The REST client times its round trips on the local clock, whatever the core's is (SRC-3).
    m_rest = std::make_unique<sources::BinanceRestClient>(source, clock.local(),
                                                          [random] { return random->generateDouble(); });
    m_tracker = std::make_unique<backfill::ProgressTracker>(clock);
    m_gap = std::make_unique<backfill::GapBackfill>(clock, writer, m_rest.get(), sources::FileSource(source.fileDirs),
                                                    m_tracker.get(), backfill);
    m_holes = std::make_unique<backfill::LiveHoleRetry>(clock, writer, m_gap.get());
    m_fetchRetry = std::make_unique<backfill::FetchRetry>(clock, writer, m_gap.get(), targetCandles);
    // SRC-7: a fetch given up on is a journal row, retried later by BF-23.
    connect(m_rest.get(), &sources::BinanceRestClient::fetchFailed, this,
            [writer, &clock](const SeriesId &series, const QString &message, qint64 from, qint64 to) {
                writer->journal(
                    ingest::fetchFailureEntry(clock.nowMs(), u"backfill"_s, series.toString(), message, from, to));
            });
}

BackfillServices::~BackfillServices() = default;

void BackfillServices::publishTo(protocol::MarketServer *server)
{
    connect(m_tracker.get(), &backfill::ProgressTracker::progressChanged, server,
            &protocol::MarketServer::publishProgress);
    m_forming = std::make_unique<backfill::DerivedForming>(
        m_writer, [server] { return server->subscribedSeries(); },
        [server](const SeriesId &series, const Candle &candle) { server->publishForming(series, candle); });
    connect(server, &protocol::MarketServer::formingPublished, m_forming.get(),
            &backfill::DerivedForming::formingUpdated);
}

void BackfillServices::followLive(LiveJobs *live)
{
    connect(live, &LiveJobs::jobStarted, m_holes.get(), &backfill::LiveHoleRetry::follow);
    connect(live, &LiveJobs::jobStateChanged, m_holes.get(), &backfill::LiveHoleRetry::setState);
    connect(live, &LiveJobs::jobStopped, m_holes.get(), &backfill::LiveHoleRetry::unfollow);
}

void BackfillServices::setSettings(const BackfillSettings &backfill)
{
    m_gap->setSettings(backfill);
}

} // namespace gapless
