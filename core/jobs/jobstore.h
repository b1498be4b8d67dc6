#pragma once

#include "core/domain/result.h"
#include "core/jobs/jobrow.h"

#include <QList>

namespace gapless::store {
class CandleStore;
}

namespace gapless::jobs {

/// Filter of `jobs_list` (JOB-11); empty fields do not filter.
struct JobFilter
{
    QString state;
    QString kind;
    QString seriesId;
    std::optional<qint64> beforeId;
    int limit = 100;
    bool activeOnly = false; ///< queued and running only (`gapless jobs` without --all)
};

/// The `jobs` table (JOB-5, JOB-6) on the writer's connection. Every call runs in the caller's
/// transaction (or autocommit); the fenced updates of JOB-7 return how many rows matched.
class JobStore final
{
public:
    explicit JobStore(store::CandleStore &store);

    [[nodiscard]] Result<void> insert(const JobRow &row);
    [[nodiscard]] Result<std::optional<JobRow>> get(qint64 jobId);
    /// JOB-4: this node's largest job id, 0 when it has none.
    [[nodiscard]] Result<qint64> maxJobId(int nodeId);
    /// This node's queued jobs, FIFO by job_id (JOB-9).
    [[nodiscard]] Result<QList<JobRow>> queued(int nodeId);
    /// Running jobs: this node's (nodeId set) or every node's with a heartbeat before `staleBeforeMs`.
    [[nodiscard]] Result<QList<JobRow>> running(std::optional<int> nodeId, std::optional<qint64> staleBeforeMs);
    /// JOB-6 queued → running: attempts+1, heartbeat = started = now. False: no longer queued.
    [[nodiscard]] Result<bool> claim(qint64 jobId, qint64 nowMs);
    /// JOB-7: heartbeat and progress, fenced on (running, attempts); 0 rows = fenced.
    [[nodiscard]] Result<int> heartbeat(const JobRow &progress, qint64 nowMs);
    /// JOB-6 running → terminal, fenced on (running, attempts).
    [[nodiscard]] Result<int> finishRunning(const JobRow &final, qint64 nowMs);
    /// IDEM-13 running → queued with next_attempt_at_ms, fenced on (running, attempts).
    [[nodiscard]] Result<int> requeue(const JobRow &job, qint64 nextAttemptAtMs, const Error &error);
    /// JOB-10 queued → cancelled; 0 rows when it was not queued.
    [[nodiscard]] Result<int> cancelQueued(qint64 jobId, qint64 nowMs);
    /// Whether job_cancel reached a running job from elsewhere (another process, the CLI).
    [[nodiscard]] Result<bool> cancelRequested(qint64 jobId);
    /// JOB-10 on a running job: cancel_requested = true.
    [[nodiscard]] Result<int> requestCancel(qint64 jobId);
    /// JOB-8: running → failed `internal` whatever its attempts (a zombie has no live owner).
    [[nodiscard]] Result<int> failZombie(qint64 jobId, const QString &message, qint64 nowMs);
    /// jobs_list, newest first, `limit + 1` rows so the caller can tell has_more.
    [[nodiscard]] Result<QList<JobRow>> list(const JobFilter &filter);
    /// JOB-11 snapshot: non-terminal jobs and those finished since `finishedSinceMs`, ≤ 200.
    [[nodiscard]] Result<QList<JobRow>> snapshot(qint64 finishedSinceMs);

private:
    store::CandleStore &m_store;
};

} // namespace gapless::jobs
