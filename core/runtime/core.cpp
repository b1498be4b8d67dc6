#include "core/runtime/core.h"

#include "core/backfill/derivedfanout.h"
#include "core/backfill/gapbackfill.h"
#include "core/backfill/healthmonitor.h"
#include "core/backfill/startupsync.h"
#include "core/store/candlestore.h"
#include "core/ingest/journalentry.h"
#include "core/jobs/repairworkers.h"
#include "core/repair/knownseries.h"
#include "core/runtime/backfillservices.h"
#include "core/runtime/healthanswer.h"
#include "core/runtime/jobservices.h"
#include "core/runtime/livejobs.h"
#include "core/runtime/livetailhealer.h"
#include "core/ingest/ingestwriter.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/logging.h"
#include "core/runtime/sectionsettings.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/version.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

// PROTO §1.7 job commands that JobServices does not take (no handler registered for the
// kind): they answer `unavailable`, after the IDEM-1 key check.
struct JobCommand
{
    QStringView name;
    bool needsKey;
};
constexpr JobCommand kJobCommands[] = {
    {u"backfill", true},     {u"verify", false},      {u"repair", true},       {u"retry_error", true},
    {u"import", true},       {u"review_list", false}, {u"review_resolve", true}, {u"job_cancel", false},
    {u"jobs_list", false},   {u"idempotency_list", false}, {u"idempotency_delete", false},
};

Failpoints failpointsFrom(const Settings &settings)
{
    const DebugSettings debug = DebugSettings::from(settings);
    return Failpoints(debug.activeFailpoints(), quint64(debug.seed));
}

} // namespace

Core::Core(Settings settings, const Clock &clock, store::StoreUrl url, store::StoreOptions storeOptions,
           QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_clock(clock)
    , m_url(std::move(url))
    , m_storeOptions(storeOptions)
    , m_log(clock)
    , m_failpoints(failpointsFrom(m_settings))
{
}

Core::~Core()
{
    stop();
}

ingest::IngestWriter *Core::writer() const
{
    return m_writerThread ? m_writerThread->writer() : nullptr;
}

QUrl Core::url() const
{
    return m_server ? m_server->url() : QUrl();
}

void Core::start()
{
    m_writerThread = std::make_unique<ingest::IngestWriterThread>(m_clock, m_log, m_failpoints);
    ingest::IngestWriter *w = m_writerThread->writer();
    connect(w, &ingest::IngestWriter::opened, this, &Core::listen);
    connect(w, &ingest::IngestWriter::openFailed, this, &Core::startFailed);
    m_fanout = std::make_unique<backfill::DerivedFanout>(BackfillSettings::from(m_settings).derivedTimeframes,
                                                         SyncSettings::from(m_settings).series);
    w->setFollowUp([fanout = m_fanout.get()](store::CandleStore &store, const ingest::IngestRun &run,
                                             const ingest::RunReport &report) {
        return backfill::rollUpCommitted(*fanout, store, run, report);
    });
    // JOB-2: the writer holds its node_id's lock (PostgreSQL), refusing a duplicate live node.
    store::StoreOptions writerOptions = m_storeOptions;
    writerOptions.nodeId = RuntimeSettings::from(m_settings).nodeId;
    writerOptions.holdNodeLock = true;
    w->open(m_url, writerOptions, {IngestSettings::from(m_settings), FactorSettings::from(m_settings)});
}

void Core::listen()
{
    protocol::MarketServerOptions options;
    options.storeUrl = m_url;
    options.storeOptions = m_storeOptions;
    options.health = HealthSettings::from(m_settings);
    options.nodeId = int(m_settings.intValue(u"runtime.node_id"));
    options.serverVersion = QString::fromLatin1(kVersion);
    options.heartbeat = m_heartbeat;
    m_backfill = std::make_unique<BackfillServices>(m_clock, writer(), SourceSettings::from(m_settings),
                                                    BackfillSettings::from(m_settings),
                                                    quint64(m_settings.intValue(u"debug.seed")),
                                                    SyncSettings::from(m_settings).targetCandles);
    if (m_jobsOnly) {
        protocol::MarketServerOptions unused;
        createJobs(unused);
        m_jobs->scheduler()->start();
        emit started(QUrl());
        return;
    }
    // Live jobs (SRC-12): pinned for the startup-sync series once the server listens (BF-19),
    // referenced by subscriptions (PROTO-25).
    m_live = std::make_unique<LiveJobs>(m_clock, writer(), m_backfill->rest(), SourceSettings::from(m_settings),
                                        BackfillSettings::from(m_settings), IngestSettings::from(m_settings),
                                        quint64(m_settings.intValue(u"debug.seed")));
    m_tailHealer = std::make_unique<LiveTailHealer>(m_healer ? *m_healer : *m_backfill->gapBackfill(), *m_live);
    options.healer = m_tailHealer.get();
    options.referenceLive = [this](const SeriesId &series) { return !m_live || m_live->reference(series); };
    options.releaseLive = [this](const SeriesId &series) {
        if (m_live)
            m_live->release(series);
    };
    options.localCommand = [this](const QString &name, const QJsonObject &args, const std::optional<QString> &key) {
        return localCommand(name, args, key);
    };
    createJobs(options);
    m_server = std::make_unique<protocol::MarketServer>(ServerSettings::from(m_settings), m_clock, options);
    auto url = m_server->listen();
    if (!url) {
        emit startFailed(url.error());
        return;
    }
    ingest::IngestWriter *w = writer();
    protocol::MarketServer *s = m_server.get();
    connect(w, &ingest::IngestWriter::candlesCommitted, s, &protocol::MarketServer::publishCommitted);
    connect(w, &ingest::IngestWriter::systemEvent, s, &protocol::MarketServer::publishSystemEvent);
    connect(w, &ingest::IngestWriter::ingestErrorRecorded, s, &protocol::MarketServer::publishIngestError);
    connect(&m_log, &EventLog::eventRecorded, s, &protocol::MarketServer::publishDebugEvent);
    m_backfill->publishTo(s);
    startJobs();
    m_live->publishTo(s);
    m_backfill->followLive(m_live.get()); // BF-6
    // BF-11: a live base's derived timeframes follow it; the fan-out lives on the writer.
    connect(m_live.get(), &LiveJobs::jobStarted, this, [this](const SeriesId &base) {
        writer()->post([fanout = m_fanout.get(), base](store::CandleStore *) { fanout->addBase(base); });
    });
    startHealth();
    // Startup sync (BF-19..21): each series' live job starts when its own sync ends.
    const SyncSettings sync = SyncSettings::from(m_settings);
    for (const SeriesId &series : sync.series)
        m_health->track(series, std::nullopt);
    m_sync = std::make_unique<backfill::StartupSync>(
        m_clock, *m_backfill->gapBackfill(),
        [this](const SeriesId &series, std::function<void(std::optional<qint64>)> done) {
            writer()->readHead(series, m_sync.get(), std::move(done));
        });
    connect(m_sync.get(), &backfill::StartupSync::seriesDone, m_live.get(), &LiveJobs::pin);
    connect(m_sync.get(), &backfill::StartupSync::finished, s, [s](const QJsonObject &report) {
        s->publishSystemEvent(u"startup_sync_done"_s, {}, report);
    });
    m_sync->start(sync.series, sync.targetCandles, sync.parallel);
    emit started(*url);
}

void Core::stop()
{
    if (m_server)
        m_server->shutdown();
    // The writer goes first, so that nothing it posts reaches the services or the server while
    // they are torn down.
    stopRepairJobs();
    m_sync.reset();
    m_live.reset();
    m_tailHealer.reset();
    m_health.reset();
    m_writerThread.reset();
    m_jobs.reset();
    m_backfill.reset();
    m_server.reset();
    m_fanout.reset();
}

void Core::startHealth()
{
    // Health (HLT-4/5): every commit, job state and journal row re-evaluates a lamp.
    ingest::IngestWriter *w = writer();
    m_health = std::make_unique<backfill::HealthMonitor>(m_clock, HealthSettings::from(m_settings),
                                                         m_backfill->tracker());
    connect(w, &ingest::IngestWriter::candlesCommitted, m_health.get(), &backfill::HealthMonitor::candlesCommitted);
    connect(w, &ingest::IngestWriter::ingestErrorRecorded, m_health.get(), [this](const ingest::JournalEntry &e) {
        if (const auto series = SeriesId::parse(e.seriesId))
            m_health->ingestErrorRecorded(*series);
    });
    // A retry resolves or supersedes a row: the store counts again (HLT-5 open_errors).
    connect(w, &ingest::IngestWriter::retryFinished, m_health.get(), [this] { recountOpenErrors(); });
    connect(w, &ingest::IngestWriter::retryFailed, m_health.get(), [this] { recountOpenErrors(); });
    connect(m_live.get(), &LiveJobs::jobStateChanged, m_health.get(), &backfill::HealthMonitor::jobStateChanged);
    connect(m_live.get(), &LiveJobs::jobStopped, m_health.get(), &backfill::HealthMonitor::jobStopped);
    connect(m_health.get(), &backfill::HealthMonitor::healthChanged, m_server.get(),
            &protocol::MarketServer::publishHealth);
    if (m_jobs)
        followJobClock(*m_jobs->scheduler(), *m_health); // JOB-4: clock_backwards (HLT-3)
    // Every stored series and every open journal row, also those older than this core (HLT-6).
    readStoredHealth(*w, m_health.get(), [this](const StoredHealth &stored) {
        if (!stored.error.isEmpty()) {
            qCWarning(lcRuntime) << "health: the store could not be read:" << stored.error;
            return; // the readers go on answering `health`
        }
        for (const auto &[series, head] : stored.heads)
            m_health->track(series, head);
        m_health->setOpenErrors(stored.openErrors);
        m_log.setGauge(u"ingest_errors.open", stored.openTotal);
        m_healthRead = true;
    });
}

void Core::recountOpenErrors()
{
    readStoredHealth(*writer(), m_health.get(), [this](const StoredHealth &stored) {
        if (!stored.error.isEmpty())
            return;
        m_health->setOpenErrors(stored.openErrors);
        m_log.setGauge(u"ingest_errors.open", stored.openTotal);
    });
}

std::optional<Result<QJsonValue>> Core::healthCommand(const QJsonObject &args)
{
    // HLT-6 from the monitor, once it knows the store; until then the readers answer.
    if (!m_health || !m_healthRead)
        return std::nullopt;
    HealthExtras extras;
    if (m_sync)
        extras.startupSync = m_sync->report();
    if (m_backfill)
        extras.sources = m_backfill->rest()->hostStates();
    extras.counters = m_log.counters();
    return healthAnswer(*m_health, args, m_clock.nowSeconds(), extras);
}

std::optional<Result<QJsonValue>> Core::localCommand(const QString &name, const QJsonObject &args,
                                                     const std::optional<QString> &key)
{
    if (name == "health"_L1)
        return healthCommand(args);
    if (name == "flags_get"_L1) {
        QJsonArray flags;
        for (const SettingRow &row : m_settings.rows())
            flags.append(settingRowJson(row));
        return Result<QJsonValue>(QJsonObject{{u"flags"_s, flags}});
    }
    if (name == "flags_set"_L1) {
        if (!key)
            return Result<QJsonValue>(Error::badRequest(u"flags_set: no idempotency_key; expected one per user "
                                                        u"action (IDEM-1)"_s));
        return setFlag(args);
    }
    for (const JobCommand &command : kJobCommands) {
        if (name != command.name)
            continue;
        if (command.needsKey && !key)
            return Result<QJsonValue>(Error::badRequest(
                u"%1: no idempotency_key; expected one per user action (IDEM-1)"_s.arg(name)));
        return Result<QJsonValue>(Error::unavailable(
            u"%1: this core runs no job service; expected a core with jobs enabled"_s.arg(name)));
    }
    return std::nullopt;
}

Result<QJsonValue> Core::setFlag(const QJsonObject &args)
{
    PreparedCommand prepared = prepareFlag(args);
    if (prepared.answer && prepared.apply)
        prepared.apply();
    return prepared.answer;
}

void Core::applyRuntimeSettings()
{
    if (ingest::IngestWriter *w = writer())
        w->setConfig({IngestSettings::from(m_settings), FactorSettings::from(m_settings)});
    if (m_server) {
        m_server->setSettings(ServerSettings::from(m_settings));
        m_server->setHealthSettings(HealthSettings::from(m_settings));
    }
    if (m_backfill)
        m_backfill->setSettings(BackfillSettings::from(m_settings));
    if (m_health)
        m_health->setSettings(HealthSettings::from(m_settings));
    if (m_live)
        m_live->setLimits(IngestSettings::from(m_settings));
    applyJobSettings();
}

} // namespace gapless
