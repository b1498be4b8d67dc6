#include "core/jobs/jobscheduler.h"

#include "core/domain/canonicaljson.h"
#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobslog.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

constexpr qint64 kEventIntervalMs = 250; // JOB-11: ≤ 4 progress events per second and job
constexpr int kPurgeIntervalMs = 3600 * 1000; // IDEM-11: hourly

struct Picked
{
    QList<JobRow> claimed;
    std::optional<qint64> nextDueMs;
};

struct Startup
{
    qint64 largestId = 0;
    QList<Transition> reaped;
};

} // namespace

JobScheduler::JobScheduler(const Clock &clock, ingest::IngestWriter *writer, JobSchedulerOptions options,
                           QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_writer(writer)
    , m_options(std::move(options))
    , m_ids(m_options.idClock ? *m_options.idClock : clock, m_options.nodeId, m_options.clockBackwardsToleranceMs)
{
    if (!m_options.random)
        m_options.random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_heartbeat.setInterval(m_options.settings.heartbeatIntervalS * 1000);
    connect(&m_heartbeat, &QTimer::timeout, this, &JobScheduler::beat);
    m_purge.setInterval(kPurgeIntervalMs);
    connect(&m_purge, &QTimer::timeout, this, [this] {
        withLedger([](JobLedger &l) -> Result<QJsonValue> {
            auto n = l.keys().purgeExpired();
            return n ? Result<QJsonValue>(QJsonValue(*n)) : Result<QJsonValue>(n.error());
        }, [](const Result<QJsonValue> &purged) {
            if (!purged)
                qCWarning(lcJobs).noquote() << "key purge:" << purged.error().message;
        });
    });
    m_clockWatch.setInterval(1000);
    connect(&m_clockWatch, &QTimer::timeout, this, &JobScheduler::checkClock);
    m_due.setSingleShot(true);
    connect(&m_due, &QTimer::timeout, this, &JobScheduler::schedule);
    connect(m_writer, &ingest::IngestWriter::runFinished, this, &JobScheduler::runFinished);
}

JobScheduler::~JobScheduler() = default;

template<typename T>
void JobScheduler::onWriter(std::function<Result<T>(JobLedger &)> work, std::function<void(Result<T>)> done)
{
    m_writer->post([self = QPointer<JobScheduler>(this), clock = &m_clock, node = m_options.nodeId,
                    ttl = m_options.idempotencyTtlS, work = std::move(work),
                    done = std::move(done)](store::CandleStore *store) {
        Result<T> answer = store ? Result<T>(Error::internal(QString())) : Result<T>(IdempotencyStore::unavailable(
                                                                             Error::unavailable(u"store not open"_s)));
        if (store) {
            JobLedger ledger(*store, *clock, node, ttl);
            answer = work(ledger);
        }
        if (self)
            QMetaObject::invokeMethod(self, [done, answer] { done(answer); }, Qt::QueuedConnection);
    });
}

// jobcontext.cpp's heartbeat and sweep use these.
template void JobScheduler::onWriter<int>(std::function<Result<int>(JobLedger &)>, std::function<void(Result<int>)>);
template void JobScheduler::onWriter<QList<Transition>>(std::function<Result<QList<Transition>>(JobLedger &)>,
                                                        std::function<void(Result<QList<Transition>>)>);

void JobScheduler::registerHandler(const QString &kind, std::unique_ptr<JobHandler> handler)
{
    m_handlers[kind] = std::move(handler);
}

void JobScheduler::setSettings(const JobsSettings &settings)
{
    m_options.settings = settings;
    m_heartbeat.setInterval(settings.heartbeatIntervalS * 1000);
    schedule();
}

void JobScheduler::start()
{
    const int node = m_options.nodeId;
    onWriter<Startup>([node, clock = &m_clock](JobLedger &l) -> Result<Startup> {
        Startup s;
        auto largest = l.jobs().maxJobId(node);
        if (!largest)
            return IdempotencyStore::unavailable(largest.error());
        s.largestId = *largest;
        auto reaped = l.reapZombies(node, clock->nowMs());
        if (!reaped)
            return IdempotencyStore::unavailable(reaped.error());
        s.reaped = *reaped;
        if (auto purged = l.keys().purgeExpired(); !purged)
            return purged.error();
        return s;
    }, [this](const Result<Startup> &s) {
        if (!s) {
            qCWarning(lcJobs).noquote() << "jobs: start failed:" << s.error().message;
            emit startFailed(s.error());
            return;
        }
        m_ids.seed(s->largestId);
        publishTransitions(s->reaped);
        m_ready = true;
        m_heartbeat.start();
        m_purge.start();
        m_clockWatch.start();
        emit ready();
        checkClock(); // last_ms may be ahead of the clock from the start (JOB-4)
        schedule();
    });
}

void JobScheduler::accept(const KeyRequest &request, JobRow job,
                          std::function<void(Result<KeyDecision>, qint64)> done,
                          const std::optional<QJsonObject> &jobArgs)
{
    if (!m_ready) {
        done(IdempotencyStore::unavailable(Error::unavailable(u"the job system is starting"_s)), 0);
        return;
    }
    const auto id = m_ids.next();
    checkClock();
    if (!id) {
        done(id.error(), 0);
        return;
    }
    job.jobId = *id;
    job.nodeId = m_options.nodeId;
    job.state = u"queued"_s;
    job.createdAtMs = m_clock.nowMs();
    job.argsJson = canonicalJson(jobArgs.value_or(request.args));
    job.idempotencyKey = request.key;
    onWriter<KeyDecision>([request, job](JobLedger &l) -> Result<KeyDecision> {
        if (!request.key.isEmpty())
            return l.keys().record(request, job);
        // A keyless job (verify, IDEM-1) records only its row.
        if (auto ok = l.jobs().insert(job); !ok)
            return IdempotencyStore::unavailable(ok.error());
        KeyDecision d;
        d.execute = true;
        return d;
    }, [this, job, done](const Result<KeyDecision> &d) {
        if (d && d->execute) {
            emit jobChanged(job.toEventJson());
            schedule();
        }
        done(d, job.jobId);
    });
}

void JobScheduler::checkClock()
{
    const bool backwards = m_ids.behind();
    if (backwards == m_clockBackwards)
        return;
    m_clockBackwards = backwards;
    emit clockBackwardsChanged(backwards);
}

void JobScheduler::recordKey(const KeyRequest &request, std::function<void(Result<KeyDecision>)> done)
{
    onWriter<KeyDecision>([request](JobLedger &l) { return l.keys().record(request, std::nullopt); },
                          std::move(done));
}

void JobScheduler::cancel(qint64 jobId, std::function<void(Result<JobRow>)> done)
{
    onWriter<Transition>([jobId](JobLedger &l) { return l.cancel(jobId); },
                         [this, done](const Result<Transition> &t) {
        if (!t) {
            done(t.error());
            return;
        }
        if (RunningJob *job = running(t->job.jobId)) {
            job->cancelRequested = true;
            job->row.cancelRequested = true;
        }
        if (t->applied)
            emit jobChanged(t->job.toEventJson());
        if (t->applied && t->job.isTerminal())
            emit jobEnded(t->job.jobId, t->job.state);
        done(t->job);
    });
}

void JobScheduler::withLedger(std::function<Result<QJsonValue>(JobLedger &)> work,
                              std::function<void(Result<QJsonValue>)> done)
{
    onWriter<QJsonValue>(std::move(work), std::move(done));
}

void JobScheduler::schedule()
{
    if (!m_ready)
        return;
    if (m_scheduling) {
        m_scheduleAgain = true;
        return;
    }
    const int free = m_options.settings.workers - runningCount();
    if (free <= 0)
        return;
    QSet<QString> busy;
    for (const auto &[id, job] : m_running) {
        if (job->row.writesSeries())
            busy.insert(job->row.seriesId);
    }
    m_scheduling = true;
    const qint64 now = m_clock.nowMs();
    const int node = m_options.nodeId;
    onWriter<Picked>([=](JobLedger &l) mutable -> Result<Picked> {
        auto queued = l.jobs().queued(node);
        if (!queued)
            return queued.error();
        Picked p;
        for (const JobRow &job : *queued) {
            if (p.claimed.size() >= free)
                break;
            if (job.nextAttemptAtMs && *job.nextAttemptAtMs > now) {
                p.nextDueMs = std::min(p.nextDueMs.value_or(*job.nextAttemptAtMs), *job.nextAttemptAtMs);
                continue;
            }
            // JOB-9: one writer job per series; the next of that series waits its turn.
            if (job.writesSeries() && busy.contains(job.seriesId))
                continue;
            auto claimed = l.claim(job.jobId);
            if (!claimed)
                return claimed.error();
            if (!*claimed)
                continue;
            p.claimed.append(**claimed);
            if (job.writesSeries())
                busy.insert(job.seriesId);
        }
        return p;
    }, [this, now](const Result<Picked> &p) {
        m_scheduling = false;
        if (!p) {
            qCWarning(lcJobs).noquote() << "jobs: queue unreadable:" << p.error().message;
            m_due.start(m_options.settings.heartbeatIntervalS * 1000);
        } else {
            for (const JobRow &row : p->claimed)
                startJob(row);
            if (p->nextDueMs)
                m_due.start(int(std::clamp<qint64>(*p->nextDueMs - now, 0, kPurgeIntervalMs)));
        }
        if (std::exchange(m_scheduleAgain, false))
            schedule();
    });
}

void JobScheduler::startJob(const JobRow &row)
{
    auto job = std::make_unique<RunningJob>();
    job->row = row;
    job->args = QJsonDocument::fromJson(row.argsJson).object();
    job->guard = std::make_unique<QObject>();
    job->context = std::make_unique<JobContext>(*this, *job);
    job->lastEventMs = m_clock.nowMs();
    RunningJob &ref = *job;
    m_running[row.jobId] = std::move(job);
    emit jobChanged(row.toEventJson());
    const auto handler = m_handlers.find(row.kind);
    if (handler == m_handlers.end()) {
        endJob(row.jobId, u"failed"_s, Error::unavailable(u"job %1: no handler for kind '%2' on this node; "
                                                          u"expected one of the registered kinds"_s
                                                              .arg(QString::number(row.jobId), row.kind)));
        return;
    }
    qCDebug(lcJobs) << "job" << row.jobId << row.kind << "started, attempt" << row.attempts;
    handler->second->run(*ref.context);
}

void JobScheduler::endJob(qint64 jobId, const QString &state, const Result<QJsonValue> &outcome)
{
    RunningJob *job = running(jobId);
    if (!job || job->ended)
        return;
    job->ended = true;
    if (job->fenced) {
        dropJob(jobId);
        return;
    }
    const JobRow row = job->row;
    onWriter<Transition>([row, state, outcome](JobLedger &l) { return l.finish(row, state, outcome); },
                         [this, jobId](const Result<Transition> &t) {
        if (!t) // IDEM-10: the final update failed; the job becomes a zombie (JOB-8).
            qCCritical(lcJobs).noquote() << "job" << jobId << "final update failed:" << t.error().message;
        else if (!t->applied)
            qCWarning(lcJobs) << "job" << jobId << "fenced at its end; another owner has it";
        else
            publishTransitions({*t});
        dropJob(jobId);
    });
}

void JobScheduler::deferJob(qint64 jobId, const Error &error)
{
    RunningJob *job = running(jobId);
    if (!job || job->ended)
        return;
    if (job->row.attempts >= m_options.settings.maxAttempts) {
        // IDEM-13: attempts exhausted → failed with the last error, which is a system error.
        const Error last = isBusinessError(error.code) ? Error::unavailable(error.message) : error;
        endJob(jobId, u"failed"_s, last);
        return;
    }
    job->ended = true;
    const qint64 delay = retryDelayMs(job->row.attempts, m_options.settings.retryBaseMs,
                                      m_options.settings.retryCapMs, m_options.random());
    const JobRow row = job->row;
    const qint64 due = m_clock.nowMs() + delay;
    onWriter<Transition>([row, error, due](JobLedger &l) { return l.defer(row, error, due); },
                         [this, jobId](const Result<Transition> &t) {
        if (!t)
            qCCritical(lcJobs).noquote() << "job" << jobId << "requeue failed:" << t.error().message;
        else if (t->applied)
            emit jobChanged(t->job.toEventJson());
        dropJob(jobId);
    });
}

void JobScheduler::dropJob(qint64 jobId)
{
    const auto it = m_running.find(jobId);
    if (it == m_running.end())
        return;
    const bool fenced = it->second->fenced;
    m_running.erase(it);
    if (fenced)
        emit jobEnded(jobId, QString());
    schedule();
}

qint64 JobScheduler::retryDelayMs(qint64 attempts, int baseMs, int capMs, double random)
{
    const int doublings = int(std::clamp<qint64>(attempts - 1, 0, 40));
    const double raw = std::min(double(capMs), double(baseMs) * std::ldexp(1.0, doublings));
    // j < 0.2 strictly, also where 0.2·random rounds up to 0.2.
    const qint64 maxJitter = std::max<qint64>(0, qint64(std::ceil(raw * 0.2)) - 1);
    const qint64 jitter = std::min(qint64(raw * 0.2 * std::clamp(random, 0.0, 1.0)), maxJitter);
    return qint64(raw) + jitter;
}

RunningJob *JobScheduler::running(qint64 jobId)
{
    const auto it = m_running.find(jobId);
    return it == m_running.end() ? nullptr : it->second.get();
}

void JobScheduler::publishTransitions(const QList<Transition> &transitions)
{
    for (const Transition &t : transitions) {
        for (const ingest::JournalEntry &e : t.journal)
            emit journalRecorded(e);
        if (t.job.jobId == 0)
            continue;
        emit jobChanged(t.job.toEventJson());
        if (t.job.isTerminal())
            emit jobEnded(t.job.jobId, t.job.state);
    }
}

} // namespace gapless::jobs
