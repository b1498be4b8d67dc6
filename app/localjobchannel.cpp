// The in-process channel of a job subcommand (CLI-14): a jobs-only core on `--db`.
#include "app/jobchannel.h"

#include "app/storeaccess.h"
#include "core/jobs/jobscheduler.h"
#include "core/runtime/core.h"
#include "core/runtime/jobservices.h"

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

class LocalJobChannel final : public JobChannel
{
public:
    explicit LocalJobChannel(const CommandContext &ctx) : m_ctx(ctx) {}

    void open(Events events, Ready ready) override
    {
        auto target = storeTarget(m_ctx, false);
        if (!target) {
            ready(target.error());
            return;
        }
        m_core = std::make_unique<Core>(m_ctx.settings, m_ctx.clock, target->url, target->options);
        m_core->setJobsOnly(true);
        QObject::connect(m_core.get(), &Core::startFailed, m_core.get(), [ready](const Error &e) { ready(e); });
        QObject::connect(m_core.get(), &Core::started, m_core.get(), [this, events, ready] {
            jobs::JobScheduler *scheduler = m_core->jobs()->scheduler();
            QObject::connect(scheduler, &jobs::JobScheduler::jobChanged, m_core.get(), events);
            if (scheduler->isReady()) {
                ready(std::nullopt);
                return;
            }
            QObject::connect(scheduler, &jobs::JobScheduler::ready, m_core.get(), [ready] { ready(std::nullopt); });
            QObject::connect(scheduler, &jobs::JobScheduler::startFailed, m_core.get(),
                             [ready](const Error &e) { ready(e); });
        });
        m_core->start();
    }

    void send(const QString &name, const QJsonObject &args, const QString &key, Reply reply) override
    {
        // REP-10: an in-process command comes from this CLI user (`cli:$USER`).
        const QString origin = u"cli:"_s + qEnvironmentVariable("USER", u"unknown"_s);
        if (!m_core->jobs()->command(name, args, key, origin, reply))
            reply({Error::internal(u"%1: not a job command of this core"_s.arg(name)), {}, false});
    }

private:
    const CommandContext &m_ctx;
    std::unique_ptr<Core> m_core;
};

} // namespace

std::unique_ptr<JobChannel> localJobChannel(const CommandContext &ctx)
{
    return std::make_unique<LocalJobChannel>(ctx);
}

} // namespace gapless::app
