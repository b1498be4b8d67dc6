#pragma once

#include "core/ingest/journalentry.h"
#include "core/jobs/jobhandler.h"
#include "core/jobs/jobidgenerator.h"
#include "core/jobs/jobledger.h"
#include "core/runtime/sectionsettings.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace gapless::ingest {
class IngestWriter;
struct RunReport;
}

namespace gapless::jobs {

/// A job the scheduler runs now (scheduler thread only).
struct RunningJob
{
    JobRow row;
    QJsonObject args;
    std::unique_ptr<QObject> guard;
    std::unique_ptr<JobContext> context;
    bool cancelRequested = false;
    bool fenced = false;
    bool ended = false;
    bool eventDirty = false;
    qint64 lastEventMs = 0;
    std::map<qint64, std::function<void(const ingest::RunReport &)>> pendingRuns;
};

/// Where the scheduler stands, and what it is told (JOB-2, JOB-4, JOB-9, IDEM-11/13).
struct JobSchedulerOptions
{
    int nodeId = 0;
    int idempotencyTtlS = 86400;
    int clockBackwardsToleranceMs = 5;
    JobsSettings settings;
    /// Uniform in [0, 1): the jitter source of IDEM-13 (tests fix it).
    std::function<double()> random;
    /// The clock of job ids (JOB-1); none: the scheduler's own.
    const Clock *idClock = nullptr;
};

/// The job system of a node (JOB-5..11, IDEM-5..13): accepts job commands under their keys,
/// runs the queued jobs of this node through their handlers (≤ jobs.workers at once, ≤ 1
/// writer job per series, FIFO by job_id, due time), heartbeats and fences them, reaps
/// zombies, cancels, retries with backoff, and reports every change as a `job` event. Lives
/// on the protocol thread; every table access goes through the writer's post().
class JobScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobScheduler)
public:
    JobScheduler(const Clock &clock, ingest::IngestWriter *writer, JobSchedulerOptions options,
                 QObject *parent = nullptr);
    ~JobScheduler() override;

    /// Registers the handler of `kind` (JOB-5); a queued job of a kind with none fails `unavailable`.
    void registerHandler(const QString &kind, std::unique_ptr<JobHandler> handler);
    [[nodiscard]] bool hasHandler(const QString &kind) const { return m_handlers.contains(kind); }

    /// Seeds the id generator, reaps this node's running jobs and orphan keys (JOB-8, IDEM-12),
    /// purges expired keys (IDEM-11), then runs the queue; ready() or startFailed() follows.
    void start();
    [[nodiscard]] bool isReady() const { return m_ready; }
    void setSettings(const JobsSettings &settings);
    void setIdempotencyTtlS(int ttlS) { m_options.idempotencyTtlS = ttlS; }
    [[nodiscard]] int nodeId() const { return m_options.nodeId; }
    [[nodiscard]] const JobIdGenerator &ids() const { return m_ids; }
    /// JOB-4: the id clock is behind the last job id beyond the tolerance (HLT-3 clock_backwards).
    [[nodiscard]] bool clockBackwards() const { return m_clockBackwards; }
    /// Looks at the id clock now; clockBackwardsChanged() on a change. A timer calls it every
    /// second once ready, so an episode ends by itself when the clock catches up.
    void checkClock();

    /// IDEM-5/8: records `request`'s key with `job` queued (job_id, node, time and canonical args
    /// filled in here: `jobArgs` when given, else the request's) and answers per IDEM-6; `job`'s
    /// id is in the decision's data on execute.
    void accept(const KeyRequest &request, JobRow job, std::function<void(Result<KeyDecision>, qint64)> done,
                const std::optional<QJsonObject> &jobArgs = std::nullopt);
    /// IDEM-5/6 for a synchronous command (flags_set): records the key alone.
    void recordKey(const KeyRequest &request, std::function<void(Result<KeyDecision>)> done);
    /// JOB-10; `done` gets the job's row after the cancel.
    void cancel(qint64 jobId, std::function<void(Result<JobRow>)> done);
    /// Runs `work` with the job tables on the writer thread and hands its answer back here
    /// (jobs_list, the jobs snapshot, idempotency_list/delete, synchronous keyed commands).
    void withLedger(std::function<Result<QJsonValue>(JobLedger &)> work, std::function<void(Result<QJsonValue>)> done);

    /// One heartbeat (JOB-7) and zombie sweep (JOB-8) now; the timer calls it every
    /// jobs.heartbeat_interval_s.
    void beat();
    /// Looks at the queue now (a job was queued, a worker or series freed, a retry fell due).
    void schedule();
    [[nodiscard]] int runningCount() const { return int(m_running.size()); }

    /// IDEM-13: min(cap, base·2^(attempts−1))·(1+j), j = 0.2·random ∈ [0, 0.2).
    [[nodiscard]] static qint64 retryDelayMs(qint64 attempts, int baseMs, int capMs, double random);

signals:
    void ready();
    void startFailed(const gapless::Error &error);
    /// JOB-11: a job's event payload after a change (progress ≤ 4/s, final state always).
    void jobChanged(const QJsonObject &fields);
    /// A journal row the job system wrote (step `job`), for the ingest_errors topic.
    void journalRecorded(const gapless::ingest::JournalEntry &entry);
    /// JOB-4: the clock fell behind the last job id beyond the tolerance (true), or caught up
    /// (false), seen by an id request or the once-a-second check; the health reason
    /// `clock_backwards` (HLT-3) follows it.
    void clockBackwardsChanged(bool backwards);
    /// A job of this node reached a terminal state (or was fenced: state empty).
    void jobEnded(qint64 jobId, const QString &state);

private:
    friend class JobContext;

    template<typename T>
    void onWriter(std::function<Result<T>(JobLedger &)> work, std::function<void(Result<T>)> done);
    void startJob(const JobRow &row);
    void endJob(qint64 jobId, const QString &state, const Result<QJsonValue> &outcome);
    void deferJob(qint64 jobId, const Error &error);
    void dropJob(qint64 jobId);
    void progressed(qint64 jobId);
    void submitRun(qint64 jobId, ingest::IngestRun run, std::function<void(const ingest::RunReport &)> done);
    void runFinished(const ingest::RunReport &report);
    void publishTransitions(const QList<Transition> &transitions);
    void publish(RunningJob &job);
    [[nodiscard]] RunningJob *running(qint64 jobId);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    JobSchedulerOptions m_options;
    JobIdGenerator m_ids;
    std::map<QString, std::unique_ptr<JobHandler>> m_handlers;
    std::map<qint64, std::unique_ptr<RunningJob>> m_running;
    QTimer m_heartbeat;
    QTimer m_purge;
    QTimer m_due;
    QTimer m_clockWatch;
    qint64 m_nextRunId = 0;
    bool m_ready = false;
    bool m_scheduling = false;
    bool m_scheduleAgain = false;
    bool m_clockBackwards = false;
};

} // namespace gapless::jobs
