// Core: the job system's part (JOB-*, IDEM-*): its services, the `backfill`, `import`,
// `retry_error`, `verify`, `repair` and `review_resolve` job kinds, review_list, the known-series cache (REP-12) and
// flags_set under its key.
#include "core/runtime/core.h"

#include "core/ingest/ingestwriter.h"
#include "core/jobs/backfilljobhandler.h"
#include "core/jobs/importjobhandler.h"
#include "core/jobs/jobslog.h"
#include "core/jobs/repairjobhandler.h"
#include "core/jobs/repairworkers.h"
#include "core/jobs/retryerrorjobhandler.h"
#include "core/jobs/reviewcommands.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/marketserver.h"
#include "core/repair/knownseries.h"
#include "core/runtime/backfillservices.h"
#include "core/runtime/jobservices.h"
#include "core/runtime/sectionsettings.h"
#include "core/sources/binance/binancerestclient.h"

using namespace Qt::StringLiterals;

namespace gapless {

void Core::createJobs(protocol::MarketServerOptions &options)
{
    jobs::JobSchedulerOptions jobOptions;
    const RuntimeSettings runtime = RuntimeSettings::from(m_settings);
    jobOptions.nodeId = runtime.nodeId;
    jobOptions.clockBackwardsToleranceMs = runtime.clockBackwardsToleranceMs;
    jobOptions.idempotencyTtlS = RepairSettings::from(m_settings).idempotencyTtlS;
    jobOptions.settings = JobsSettings::from(m_settings);
    jobOptions.idClock = &m_idClock;
    m_jobs = std::make_unique<JobServices>(m_clock, writer(), jobOptions);
    auto backfillJobs = std::make_unique<jobs::BackfillJobHandler>(m_clock, writer(), m_backfill->gapBackfill(),
                                                                   SyncSettings::from(m_settings).targetCandles);
    backfillJobs->setRequestCount([rest = m_backfill->rest()] { return rest->requestCount(); });
    m_jobs->scheduler()->registerHandler(u"backfill"_s, std::move(backfillJobs));
    m_jobs->scheduler()->registerHandler(
        u"import"_s, std::make_unique<jobs::ImportJobHandler>(m_clock, writer(), [this] {
            return IngestSettings::from(m_settings);
        }));
    m_jobs->scheduler()->registerHandler(
        u"retry_error"_s,
        std::make_unique<jobs::RetryErrorJobHandler>(m_clock, writer(), m_backfill->fetchRetry(), m_backfill->rest(),
                                                     m_jobs->scheduler(),
                                                     [this] { return JobsSettings::from(m_settings).workers; }));
    createRepairJobs();
    m_jobs->registerSyncCommand(u"flags_set"_s, [this](const QJsonObject &args) { return prepareFlag(args); });
    options.asyncCommand = [this](const QString &name, const QJsonObject &args, const std::optional<QString> &key,
                                  const QString &origin, std::function<void(const protocol::CommandAnswer &)> reply) {
        return m_jobs && m_jobs->command(name, args, key, origin, std::move(reply));
    };
    options.jobsSnapshot = [this](QObject *context, std::function<void(const QList<QJsonObject> &)> done) {
        if (m_jobs)
            m_jobs->snapshot(context, std::move(done));
    };
}

void Core::createRepairJobs()
{
    // REP-12: loaded on the writer before the job system's start, which also waits its turn
    // there, so no job command is accepted before the set is complete.
    m_known = std::make_unique<repair::KnownSeries>();
    ingest::IngestWriter *w = writer();
    w->post([known = m_known.get(), configured = SyncSettings::from(m_settings).series](store::CandleStore *store) {
        if (!store)
            return;
        if (auto ok = known->load(*store, configured); !ok)
            qCCritical(jobs::lcJobs).noquote() << "known series: load failed:" << ok.error().message;
    });
    m_known->follow(w);
    jobs::RepairEnvironment env;
    env.clock = &m_clock;
    env.writer = w;
    env.url = m_url;
    env.readOptions = m_storeOptions;
    env.readOptions.readOnly = true;
    env.known = m_known.get();
    env.sources = [this] { return SourceSettings::from(m_settings); };
    m_repairWorkers = std::make_unique<jobs::RepairWorkers>(env, m_jobs->scheduler());
    const auto settings = [this] { return RepairSettings::from(m_settings); };
    for (const QString &kind : {u"verify"_s, u"repair"_s, u"review_resolve"_s})
        m_jobs->scheduler()->registerHandler(
            kind, std::make_unique<jobs::RepairJobHandler>(kind, m_clock, m_repairWorkers.get(), settings));
    m_jobs->registerLedgerCommand(u"review_resolve"_s, [this](store::CandleStore &store, const QJsonObject &args) {
        return jobs::keepLocal(store, args, m_clock.nowMs());
    }, &jobs::isKeepLocal);
    m_jobs->registerQuery(u"review_list"_s, &jobs::reviewList);
    // REP-12: a verify or repair of a series that is neither stored nor configured is
    // not_found before anything is recorded, without a query.
    m_jobs->setCommandCheck([known = m_known.get()](const QString &name, const QJsonObject &args) -> std::optional<Error> {
        if (name != "verify"_L1 && name != "repair"_L1)
            return std::nullopt;
        const QJsonValue id = args.value("series_id"_L1);
        const auto series = SeriesId::parse(id.toString());
        if (!id.isString() || !series || known->contains(*series))
            return std::nullopt;
        return Error::notFound(u"series %1: not stored; expected a known series (REP-12)"_s.arg(series->toString()));
    });
}

void Core::stopRepairJobs()
{
    if (m_repairWorkers)
        m_repairWorkers->shutdown();
}

void Core::startJobs()
{
    m_jobs->publishTo(m_server.get());
    m_jobs->scheduler()->start();
}

void Core::applyJobSettings()
{
    if (!m_jobs)
        return;
    m_jobs->scheduler()->setSettings(JobsSettings::from(m_settings));
    m_jobs->scheduler()->setIdempotencyTtlS(RepairSettings::from(m_settings).idempotencyTtlS);
}

PreparedCommand Core::prepareFlag(const QJsonObject &args)
{
    // IDEM-8: the new value is worked out on a copy; it replaces the settings only once the
    // key's completion has committed.
    const QJsonValue key = args.value("key"_L1);
    const QJsonValue value = args.value("value"_L1);
    if (!key.isString())
        return {Error::badRequest(protocol::gotExpected(u"key", key, u"a setting key, see flags_get")), {}};
    QString text;
    if (value.isString())
        text = value.toString();
    else if (value.isBool())
        text = value.toBool() ? u"true"_s : u"false"_s;
    else if (value.isDouble())
        text = QString::number(value.toDouble(), 'g', 17);
    else
        return {Error::badRequest(protocol::gotExpected(u"value", value, u"a string, number or boolean")), {}};
    Settings changed = m_settings;
    if (auto set = changed.setRuntime(key.toString(), text); !set)
        return {set.error(), {}};
    for (const SettingRow &row : changed.rows()) {
        if (row.key == key.toString()) {
            return {QJsonValue(QJsonObject{{u"flag"_s, settingRowJson(row)}}), [this, changed] {
                        m_settings = changed;
                        applyRuntimeSettings();
                    }};
        }
    }
    return {Error::internal(u"flags_set: key '%1' vanished"_s.arg(key.toString())), {}};
}

} // namespace gapless
