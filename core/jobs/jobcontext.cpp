// JobContext, and the scheduler's side of a running job: progress, heartbeats and writes.
#include "core/jobs/jobhandler.h"

#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "core/jobs/jobslog.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

JobContext::JobContext(JobScheduler &scheduler, RunningJob &job)
    : m_scheduler(scheduler)
    , m_job(job)
{
}

qint64 JobContext::jobId() const { return m_job.row.jobId; }
QString JobContext::kind() const { return m_job.row.kind; }
QString JobContext::seriesId() const { return m_job.row.seriesId; }
const QJsonObject &JobContext::args() const { return m_job.args; }
QString JobContext::idempotencyKey() const { return m_job.row.idempotencyKey; }
qint64 JobContext::attempt() const { return m_job.row.attempts; }
QObject *JobContext::guard() const { return m_job.guard.get(); }

void JobContext::progress(qint64 done, std::optional<qint64> total, const QString &unit, const QString &note)
{
    if (m_job.ended)
        return;
    m_job.row.progressDone = done;
    m_job.row.progressTotal = total;
    m_job.row.progressUnit = unit;
    m_job.row.progressNote = note;
    m_scheduler.progressed(jobId());
}

Checkpoint JobContext::checkpoint() const
{
    if (m_job.fenced)
        return Checkpoint::Fenced;
    if (m_job.cancelRequested)
        return Checkpoint::Cancelled;
    return Checkpoint::Continue;
}

void JobContext::submit(ingest::IngestRun run, std::function<void(const ingest::RunReport &)> done)
{
    if (m_job.ended || checkpoint() != Checkpoint::Continue)
        return;
    m_scheduler.submitRun(jobId(), std::move(run), std::move(done));
}

void JobContext::succeed(const QJsonValue &result)
{
    m_scheduler.endJob(jobId(), u"succeeded"_s, result);
}

void JobContext::fail(const Error &error)
{
    m_scheduler.endJob(jobId(), u"failed"_s, error);
}

void JobContext::defer(const Error &error)
{
    m_scheduler.deferJob(jobId(), error);
}

void JobContext::stop()
{
    if (m_job.fenced) {
        m_scheduler.endJob(jobId(), QString(), Error::conflict(u"fenced"_s));
        return;
    }
    // JOB-10: "cancelled" (conflict) fails the key; committed batches stay.
    m_scheduler.endJob(jobId(), u"cancelled"_s, Error::conflict(u"cancelled"_s));
}

void JobScheduler::progressed(qint64 jobId)
{
    RunningJob *job = running(jobId);
    if (!job)
        return;
    const qint64 now = m_clock.nowMs();
    if (now - job->lastEventMs >= 250) {
        publish(*job);
        return;
    }
    if (job->eventDirty)
        return;
    job->eventDirty = true;
    // The coalesced event follows when the 250 ms window closes.
    QTimer::singleShot(int(250 - (now - job->lastEventMs)), job->guard.get(), [this, jobId] {
        if (RunningJob *j = running(jobId); j && j->eventDirty && !j->ended)
            publish(*j);
    });
}

void JobScheduler::publish(RunningJob &job)
{
    job.eventDirty = false;
    job.lastEventMs = m_clock.nowMs();
    emit jobChanged(job.row.toEventJson());
}

void JobScheduler::submitRun(qint64 jobId, ingest::IngestRun run, std::function<void(const ingest::RunReport &)> done)
{
    RunningJob *job = running(jobId);
    if (!job)
        return;
    run.jobId = jobId;
    run.fence = ingest::JobFence{jobId, job->row.attempts}; // JOB-7: checked in each series' transaction
    run.source = journalSourceOf(job->row.kind);
    if (run.runId == 0)
        run.runId = m_clock.nowMs() * 1000 + (++m_nextRunId % 1000);
    job->pendingRuns[run.runId] = std::move(done);
    m_writer->submit(run);
}

void JobScheduler::runFinished(const ingest::RunReport &report)
{
    if (report.fenced) {
        // JOB-7: a batch of this job (submitted here or by its worker) matched 0 rows and
        // wrote nothing; the job writes nothing more.
        RunningJob *job = running(report.fenced->jobId);
        if (job && !job->ended && job->row.attempts == report.fenced->attempts) {
            qCWarning(lcJobs) << "job" << job->row.jobId << "fenced: a batch found its row no longer running at "
                                                            "attempt" << job->row.attempts;
            job->fenced = true;
            endJob(job->row.jobId, QString(), Error::conflict(u"fenced"_s));
            return;
        }
    }
    for (auto &[id, job] : m_running) {
        const auto it = job->pendingRuns.find(report.runId);
        if (it == job->pendingRuns.end())
            continue;
        auto done = std::move(it->second);
        job->pendingRuns.erase(it);
        if (!job->ended && done)
            done(report);
        return;
    }
}

void JobScheduler::beat()
{
    if (!m_ready)
        return;
    const qint64 now = m_clock.nowMs();
    for (auto &[id, job] : m_running) {
        if (job->ended || job->fenced)
            continue;
        const JobRow row = job->row;
        // -1: the heartbeat matched, and a cancel was requested from elsewhere.
        onWriter<int>([row, now](JobLedger &l) -> Result<int> {
            auto n = l.jobs().heartbeat(row, now);
            if (!n || *n == 0 || row.cancelRequested)
                return n;
            auto cancel = l.jobs().cancelRequested(row.jobId);
            if (!cancel)
                return cancel.error();
            return *cancel ? -1 : *n;
        }, [this, id = id](const Result<int> &n) {
            RunningJob *j = running(id);
            if (!j)
                return;
            if (!n) {
                qCWarning(lcJobs).noquote() << "job" << id << "heartbeat failed:" << n.error().message;
                return;
            }
            if (*n == -1) {
                j->cancelRequested = true;
                j->row.cancelRequested = true;
            }
            if (*n == 0 && !j->ended) {
                // JOB-7: another owner has the job (zombie-reaped, or re-run elsewhere).
                qCWarning(lcJobs) << "job" << id << "fenced: its row no longer matches this run";
                j->fenced = true;
            }
        });
        if (job->eventDirty)
            publish(*job);
    }
    const qint64 staleBefore = now - qint64(m_options.settings.zombieTimeoutS) * 1000;
    onWriter<QList<Transition>>([staleBefore](JobLedger &l) { return l.reapZombies(std::nullopt, staleBefore); },
                                [this](const Result<QList<Transition>> &t) {
        if (!t) {
            qCWarning(lcJobs).noquote() << "zombie sweep failed:" << t.error().message;
            return;
        }
        publishTransitions(*t);
    });
}

} // namespace gapless::jobs
