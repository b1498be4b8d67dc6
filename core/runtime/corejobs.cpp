// Core: the job system's part (JOB-*, IDEM-*): its services, the `backfill` job kind and
// flags_set under its key.
#include "core/runtime/core.h"

#include "core/ingest/ingestwriter.h"
#include "core/jobs/backfilljobhandler.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/backfillservices.h"
#include "core/runtime/jobservices.h"
#include "core/runtime/sectionsettings.h"

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
    m_jobs = std::make_unique<JobServices>(m_clock, writer(), jobOptions);
    m_jobs->scheduler()->registerHandler(
        u"backfill"_s, std::make_unique<jobs::BackfillJobHandler>(m_clock, writer(), m_backfill->gapBackfill(),
                                                                   SyncSettings::from(m_settings).targetCandles));
    m_jobs->registerSyncCommand(u"flags_set"_s, [this](const QJsonObject &args) { return prepareFlag(args); });
    options.asyncCommand = [this](const QString &name, const QJsonObject &args, const std::optional<QString> &key,
                                  std::function<void(const protocol::CommandAnswer &)> reply) {
        return m_jobs && m_jobs->command(name, args, key, std::move(reply));
    };
    options.jobsSnapshot = [this](QObject *context, std::function<void(const QList<QJsonObject> &)> done) {
        if (m_jobs)
            m_jobs->snapshot(context, std::move(done));
    };
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
