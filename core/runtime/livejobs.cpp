#include "core/runtime/livejobs.h"

#include "core/ingest/ingestwriter.h"
#include "core/ingest/journalentry.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/logging.h"
#include "core/sources/binance/klinestreamjob.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless {

LiveJobs::LiveJobs(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
                   const SourceSettings &source, const BackfillSettings &backfill, const IngestSettings &ingest,
                   quint64 seed, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_writer(writer)
    , m_rest(rest)
    , m_source(source)
    , m_backfill(backfill)
    , m_ingest(ingest)
    , m_seed(seed)
{
    // The gate's head follows every commit of a base, whoever wrote it (SRC-9).
    connect(m_writer, &ingest::IngestWriter::candlesCommitted, this,
            [this](const SeriesId &series, const CandleList &candles) {
                auto it = m_entries.find(series);
                if (it == m_entries.end() || candles.isEmpty())
                    return;
                it->head = std::max(it->head.value_or(candles.constLast().time), candles.constLast().time);
                releaseWaiters(series, false);
            });
    m_sweep.setInterval(kSweepIntervalMs);
    connect(&m_sweep, &QTimer::timeout, this, &LiveJobs::stopIdle);
    m_sweep.start();
}

LiveJobs::~LiveJobs()
{
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.job)
            entry.job->stop();
    }
}

std::optional<SeriesId> LiveJobs::liveBase(const SeriesId &series)
{
    if (series.exchange() != "binance"_L1 || (series.market() != "spot"_L1 && series.market() != "futures"_L1))
        return std::nullopt;
    return series.withTimeframe(*Timeframe::fromSeconds(60));
}

bool LiveJobs::isLive(const SeriesId &base) const
{
    const auto it = m_entries.constFind(base);
    return it != m_entries.constEnd() && it->job && it->job->state() == sources::KlineStreamJob::State::Live;
}

bool LiveJobs::isRunning(const SeriesId &base) const
{
    return m_entries.contains(base);
}

bool LiveJobs::catchingUp(const Entry &entry)
{
    if (!entry.job)
        return true; // its head is still being read
    const auto state = entry.job->state();
    return state == sources::KlineStreamJob::State::Connecting || state == sources::KlineStreamJob::State::CatchingUp;
}

bool LiveJobs::isCatchingUp(const SeriesId &series) const
{
    const auto base = liveBase(series);
    if (!base)
        return false;
    const auto it = m_entries.constFind(*base);
    return it != m_entries.constEnd() && catchingUp(*it);
}

void LiveJobs::afterCatchUp(const SeriesId &series, QObject *context, std::function<void()> done)
{
    const auto base = liveBase(series);
    if (!base || !isCatchingUp(series)) {
        QMetaObject::invokeMethod(context, std::move(done), Qt::QueuedConnection);
        return;
    }
    m_entries[*base].waiters.append({context, std::move(done)});
}

void LiveJobs::releaseWaiters(const SeriesId &base, bool force)
{
    auto it = m_entries.find(base);
    if (it == m_entries.end() || it->waiters.isEmpty())
        return;
    const bool committed = !it->handed || (it->head && *it->head >= *it->handed);
    if (!force && (catchingUp(*it) || !committed))
        return;
    for (const Waiter &waiter : std::exchange(it->waiters, {})) {
        if (waiter.context)
            QMetaObject::invokeMethod(waiter.context, waiter.done, Qt::QueuedConnection);
    }
}

QList<SeriesId> LiveJobs::bases() const
{
    return m_entries.keys();
}

void LiveJobs::publishTo(protocol::MarketServer *server)
{
    m_server = server;
}

void LiveJobs::setLimits(const IngestSettings &ingest)
{
    m_ingest = ingest;
}

bool LiveJobs::reference(const SeriesId &series)
{
    const auto base = liveBase(series);
    if (!base)
        return true;
    if (auto it = m_entries.find(*base); it != m_entries.end()) {
        ++it->refs;
        return true;
    }
    const auto unpinned = std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return !e.pinned; });
    if (unpinned >= m_ingest.maxLiveSeries && !evictOne())
        return false;
    start(*base).refs = 1;
    return true;
}

void LiveJobs::release(const SeriesId &series)
{
    const auto base = liveBase(series);
    if (!base)
        return;
    auto it = m_entries.find(*base);
    if (it == m_entries.end() || it->refs == 0)
        return;
    if (--it->refs == 0)
        it->idleSinceMs = m_clock.nowMs();
}

void LiveJobs::pin(const SeriesId &series)
{
    const auto base = liveBase(series);
    if (!base)
        return;
    auto it = m_entries.find(*base);
    Entry &entry = it != m_entries.end() ? *it : start(*base);
    entry.pinned = true;
}

bool LiveJobs::evictOne()
{
    // PROTO-25: the unreferenced, unpinned job idle the longest makes room.
    std::optional<SeriesId> oldest;
    qint64 since = 0;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it->pinned || it->refs > 0)
            continue;
        if (!oldest || it->idleSinceMs < since) {
            oldest = it.key();
            since = it->idleSinceMs;
        }
    }
    if (!oldest)
        return false;
    qCInfo(lcSources) << oldest->toString() << "live job evicted for a new one (ingest.max_live_series)";
    stop(*oldest);
    return true;
}

void LiveJobs::stopIdle()
{
    const qint64 now = m_clock.nowMs();
    const qint64 ttlMs = qint64(m_ingest.liveIdleTtlS) * 1000;
    QList<SeriesId> idle;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (!it->pinned && it->refs == 0 && now - it->idleSinceMs >= ttlMs)
            idle.append(it.key());
    }
    for (const SeriesId &base : std::as_const(idle)) {
        qCInfo(lcSources) << base.toString() << "live job stopped: unreferenced for ingest.live_idle_ttl_s";
        stop(base);
    }
}

LiveJobs::Entry &LiveJobs::start(const SeriesId &base)
{
    Entry &entry = m_entries[base];
    entry.generation = ++m_generations;
    entry.idleSinceMs = m_clock.nowMs();
    m_writer->readHead(base, this, [this, base, generation = entry.generation](std::optional<qint64> head) {
        startJob(base, generation, head);
    });
    return entry;
}

void LiveJobs::stop(const SeriesId &base)
{
    auto it = m_entries.find(base);
    if (it == m_entries.end())
        return;
    if (it->job) {
        disconnect(it->job.get(), nullptr, this, nullptr);
        it->job->stop();
    }
    releaseWaiters(base, true);
    m_entries.erase(it);
    emit jobStopped(base);
}

void LiveJobs::startJob(const SeriesId &base, quint64 generation, std::optional<qint64> head)
{
    auto it = m_entries.find(base);
    if (it == m_entries.end() || it->generation != generation)
        return; // stopped while its head was read
    it->head = std::max(it->head, head);
    const QString ws = base.market() == "futures"_L1 ? m_source.binanceFuturesWs : m_source.binanceSpotWs;
    auto random = std::make_shared<QRandomGenerator>(quint32(m_seed + quint64(qHash(base))));
    sources::KlineStreamOptions options;
    options.catchUpCandles = m_backfill.maxCandlesPerRequest;
    it->job = std::make_shared<sources::KlineStreamJob>(
        base, ws, *m_rest, m_clock,
        [this, base] {
            const auto e = m_entries.constFind(base);
            return e == m_entries.constEnd() ? std::nullopt : e->head;
        },
        [random] { return random->generateDouble(); }, options);
    connectJob(base, it->job.get());
    it->job->start();
    emit jobStarted(base);
}

void LiveJobs::connectJob(const SeriesId &base, sources::KlineStreamJob *job)
{
    connect(job, &sources::KlineStreamJob::candlesReceived, this,
            [this](const SeriesId &series, const CandleList &candles, const QString &source) {
                if (auto it = m_entries.find(series); it != m_entries.end() && !candles.isEmpty())
                    it->handed = std::max(it->handed.value_or(candles.constLast().time), candles.constLast().time);
                ingest::IngestRun run;
                run.runId = m_clock.nowMs() * 1000 + (++m_runCounter % 1000);
                run.source = source;
                run.add(series, candles);
                m_writer->submit(run);
            });
    connect(job, &sources::KlineStreamJob::formingUpdated, this,
            [this](const SeriesId &series, const Candle &candle) {
                if (m_server)
                    m_server->publishForming(series, candle);
            });
    connect(job, &sources::KlineStreamJob::messageRejected, this,
            [this](const SeriesId &series, const QString &error, const QByteArray &) {
                m_writer->journal(ingest::fetchFailureEntry(m_clock.nowMs(), u"live"_s, series.toString(),
                                                            u"stream %1: %2"_s.arg(series.toString(), error)));
            });
    connect(job, &sources::KlineStreamJob::stateChanged, this,
            [this, base](const SeriesId &, sources::KlineStreamJob::State state) {
                emit jobStateChanged(base, sources::KlineStreamJob::stateName(state));
                releaseWaiters(base, false);
            });
}

} // namespace gapless
