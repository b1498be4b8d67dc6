#include "core/jobs/repairworkers.h"

#include "core/jobs/jobscheduler.h"
#include "core/jobs/jobslog.h"
#include "core/sources/binance/binancerestclient.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

constexpr int kRefreshMs = 100;

/// The job as a run on the worker thread sees it: progress is queued to the protocol
/// thread, checkpoint() reads the flag the protocol thread keeps.
class ThreadControl final : public repair::RepairControl
{
public:
    using Progress = std::function<void(qint64, std::optional<qint64>, const QString &, const QString &)>;

    ThreadControl(ingest::JobFence fence, const std::atomic<bool> &stop, Progress progress)
        : m_jobId(fence.jobId)
        , m_fence(fence)
        , m_stop(stop)
        , m_progress(std::move(progress))
    {
    }

    [[nodiscard]] qint64 jobId() const override { return m_jobId; }
    void progress(qint64 done, std::optional<qint64> total, const QString &unit, const QString &note) override
    {
        m_progress(done, total, unit, note);
    }
    [[nodiscard]] bool checkpoint() override { return !m_stop.load(); }
    [[nodiscard]] std::optional<ingest::JobFence> fence() const override { return m_fence; }

private:
    qint64 m_jobId;
    ingest::JobFence m_fence;
    const std::atomic<bool> &m_stop;
    Progress m_progress;
};

// IDEM-13: a source or store that does not answer now may answer later.
bool retryable(ErrorCode code)
{
    return code == ErrorCode::Unavailable || code == ErrorCode::Timeout || code == ErrorCode::RateLimited;
}

} // namespace

struct RepairWorkers::Worker
{
    qint64 jobId = 0;
    QPointer<QObject> guard; ///< the job's guard: gone once the job ended
    JobContext *context = nullptr;
    std::atomic<bool> stop{false};
    std::unique_ptr<QThread> thread;
};

RepairWorkers::RepairWorkers(RepairEnvironment environment, JobScheduler *scheduler, QObject *parent)
    : QObject(parent)
    , m_env(std::move(environment))
{
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &RepairWorkers::refresh);
    // A cancel sets the running job's flag before its `job` event, so the flag is up to date
    // before the canceller hears the answer.
    connect(scheduler, &JobScheduler::jobChanged, this, &RepairWorkers::refresh);
}

RepairWorkers::~RepairWorkers()
{
    shutdown();
}

void RepairWorkers::start(JobContext &context, RepairWork work)
{
    const qint64 id = context.jobId();
    const ingest::JobFence fence{id, context.attempt()};
    auto worker = std::make_unique<Worker>();
    worker->jobId = id;
    worker->guard = context.guard();
    worker->context = &context;
    const std::atomic<bool> &stop = worker->stop;
    const SourceSettings sources = m_env.sources ? m_env.sources() : SourceSettings{};
    const RepairEnvironment env = m_env;
    worker->thread.reset(QThread::create([this, id, fence, &stop, env, sources, work = std::move(work)] {
        Result<QJsonObject> outcome = Error::internal(QString());
        {
            auto reader = store::CandleStore::open(env.url, env.readOptions);
            if (!reader) {
                outcome = Error::unavailable(u"job %1: store: %2"_s.arg(QString::number(id), reader.error().message));
            } else {
                sources::BinanceRestClient rest(sources, *env.clock,
                                                [] { return QRandomGenerator::global()->generateDouble(); });
                repair::SourceFetcher fetcher(&rest, *env.clock);
                ThreadControl control(fence, stop, [this, id](qint64 done, std::optional<qint64> total,
                                                           const QString &unit, const QString &note) {
                    QMetaObject::invokeMethod(this, [this, id, done, total, unit, note] {
                        const auto it = m_workers.find(id);
                        if (it != m_workers.end() && it->second->guard)
                            it->second->context->progress(done, total, unit, note);
                    }, Qt::QueuedConnection);
                });
                repair::RepairServices services{**reader, fetcher, control, *env.clock, env.writer, env.known};
                outcome = work(services);
            }
        }
        QMetaObject::invokeMethod(this, [this, id, outcome] { finished(id, outcome); }, Qt::QueuedConnection);
    }));
    worker->thread->setObjectName(u"job-%1"_s.arg(id));
    connect(worker->thread.get(), &QThread::finished, this, [this, id] { joined(id); }, Qt::QueuedConnection);
    QThread *thread = worker->thread.get();
    m_workers[id] = std::move(worker);
    if (!m_refresh.isActive())
        m_refresh.start();
    thread->start();
}

void RepairWorkers::refresh()
{
    for (auto &[id, worker] : m_workers) {
        const bool stop = !worker->guard || worker->context->checkpoint() != Checkpoint::Continue;
        if (stop)
            worker->stop.store(true);
    }
}

void RepairWorkers::finished(qint64 jobId, const Result<QJsonObject> &outcome)
{
    const auto it = m_workers.find(jobId);
    if (it == m_workers.end() || !it->second->guard)
        return;
    JobContext *context = it->second->context;
    if (outcome) {
        context->succeed(*outcome);
        return;
    }
    const Error &error = outcome.error();
    // JOB-10: a run that stopped at a batch boundary because of a cancel or a fence.
    if (error.code == ErrorCode::Conflict && context->checkpoint() != Checkpoint::Continue) {
        context->stop();
        return;
    }
    if (retryable(error.code)) {
        qCInfo(lcJobs).noquote() << "job" << jobId << "deferred:" << error.message;
        context->defer(error);
        return;
    }
    context->fail(error);
}

void RepairWorkers::joined(qint64 jobId)
{
    const auto it = m_workers.find(jobId);
    if (it == m_workers.end())
        return;
    it->second->thread->wait();
    m_workers.erase(it);
    if (m_workers.empty())
        m_refresh.stop();
}

void RepairWorkers::shutdown()
{
    for (auto &[id, worker] : m_workers)
        worker->stop.store(true);
    for (auto &[id, worker] : m_workers)
        worker->thread->wait();
    m_workers.clear();
    m_refresh.stop();
}

} // namespace gapless::jobs
