#include "core/runtime/livejobs.h"

#include "core/ingest/ingestwriter.h"
#include "core/ingest/journalentry.h"
#include "core/protocol/marketserver.h"
#include "core/sources/binance/klinestreamjob.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless {

LiveJobs::LiveJobs(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
                   const SourceSettings &source, const BackfillSettings &backfill, quint64 seed, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_writer(writer)
    , m_rest(rest)
    , m_source(source)
    , m_backfill(backfill)
    , m_seed(seed)
{
    // The gate's head follows every commit of a base, whoever wrote it (SRC-9).
    connect(m_writer, &ingest::IngestWriter::candlesCommitted, this,
            [this](const SeriesId &series, const CandleList &candles) {
                auto it = m_heads.find(series);
                if (it != m_heads.end() && !candles.isEmpty())
                    *it = std::max(it->value_or(candles.constLast().time), candles.constLast().time);
            });
}

LiveJobs::~LiveJobs()
{
    for (const auto &job : std::as_const(m_jobs))
        job->stop();
}

std::optional<SeriesId> LiveJobs::liveBase(const SeriesId &series)
{
    if (series.exchange() != "binance"_L1 || (series.market() != "spot"_L1 && series.market() != "futures"_L1))
        return std::nullopt;
    return series.withTimeframe(*Timeframe::fromSeconds(60));
}

bool LiveJobs::isLive(const SeriesId &base) const
{
    const auto job = m_jobs.value(base);
    return job && job->state() == sources::KlineStreamJob::State::Live;
}

QList<SeriesId> LiveJobs::bases() const
{
    return m_jobs.keys();
}

void LiveJobs::publishTo(protocol::MarketServer *server)
{
    m_server = server;
}

bool LiveJobs::reference(const SeriesId &series, int maxLive)
{
    const auto base = liveBase(series);
    if (!base || m_heads.contains(*base))
        return true;
    if (m_heads.size() - m_pinned.size() >= maxLive)
        return false;
    start(*base);
    return true;
}

void LiveJobs::pin(const SeriesId &series)
{
    const auto base = liveBase(series);
    if (!base)
        return;
    m_pinned.insert(*base);
    if (!m_heads.contains(*base))
        start(*base);
}

void LiveJobs::start(const SeriesId &base)
{
    m_heads.insert(base, std::nullopt);
    m_writer->readHead(base, this, [this, base](std::optional<qint64> head) { startJob(base, head); });
}

void LiveJobs::startJob(const SeriesId &base, std::optional<qint64> head)
{
    auto &known = m_heads[base];
    known = std::max(known, head);
    const QString ws = base.market() == "futures"_L1 ? m_source.binanceFuturesWs : m_source.binanceSpotWs;
    auto random = std::make_shared<QRandomGenerator>(quint32(m_seed + quint64(qHash(base))));
    sources::KlineStreamOptions options;
    options.catchUpCandles = m_backfill.maxCandlesPerRequest;
    auto job = std::make_shared<sources::KlineStreamJob>(
        base, ws, *m_rest, m_clock, [this, base] { return m_heads.value(base); },
        [random] { return random->generateDouble(); }, options);
    connect(job.get(), &sources::KlineStreamJob::candlesReceived, this,
            [this](const SeriesId &series, const CandleList &candles, const QString &source) {
                ingest::IngestRun run;
                run.runId = m_clock.nowMs() * 1000 + (++m_runCounter % 1000);
                run.source = source;
                run.add(series, candles);
                m_writer->submit(run);
            });
    connect(job.get(), &sources::KlineStreamJob::formingUpdated, this,
            [this](const SeriesId &series, const Candle &candle) {
                if (m_server)
                    m_server->publishForming(series, candle);
            });
    connect(job.get(), &sources::KlineStreamJob::messageRejected, this,
            [this](const SeriesId &series, const QString &error, const QByteArray &) {
                m_writer->journal(ingest::fetchFailureEntry(m_clock.nowMs(), u"live"_s, series.toString(),
                                                            u"stream %1: %2"_s.arg(series.toString(), error)));
            });
    connect(job.get(), &sources::KlineStreamJob::stateChanged, this,
            [this](const SeriesId &series, sources::KlineStreamJob::State state) {
                emit jobStateChanged(series, sources::KlineStreamJob::stateName(state));
            });
    m_jobs.insert(base, job);
    job->start();
    emit jobStarted(base);
}

} // namespace gapless
