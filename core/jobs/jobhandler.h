#pragma once

#include "core/domain/result.h"
#include "core/ingest/ingestrun.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace gapless::jobs {

class JobScheduler;
struct RunningJob;

/// What a handler learns at a batch boundary (JOB-7, JOB-10).
enum class Checkpoint {
    Continue,  ///< go on
    Cancelled, ///< job_cancel arrived: call stop(); committed batches stay
    Fenced,    ///< another owner has the job (0 rows matched): write nothing more, call stop()
};

/// A running job as its handler sees it. Lives on the scheduler's thread; every method is
/// called there. Exactly one of succeed(), fail(), defer() or stop() ends the job; later
/// calls are ignored. Async work started by the handler should use guard() as its context,
/// which is deleted when the job ends.
class JobContext final
{
public:
    JobContext(JobScheduler &scheduler, RunningJob &job);
    Q_DISABLE_COPY_MOVE(JobContext)

    [[nodiscard]] qint64 jobId() const;
    [[nodiscard]] QString kind() const;
    [[nodiscard]] QString seriesId() const;
    [[nodiscard]] const QJsonObject &args() const;
    [[nodiscard]] QString idempotencyKey() const;
    /// 1 for the first run, +1 per delayed retry (IDEM-13).
    [[nodiscard]] qint64 attempt() const;
    /// Deleted when the job ends: the context object for the handler's connections and timers.
    [[nodiscard]] QObject *guard() const;

    /// JOB-5 progress; `unit` ∈ candles, buckets, rows, bytes. Published ≤ 4/s (JOB-11) and
    /// stored with the next heartbeat.
    void progress(qint64 done, std::optional<qint64> total, const QString &unit, const QString &note = {});
    /// Call at each batch boundary (≤ 10k rows, JOB-10) before writing.
    [[nodiscard]] Checkpoint checkpoint() const;
    /// Queues `run` on the store writer tagged with this job (IngestRun::jobId, source of the
    /// job's kind); `done` gets its report on the scheduler's thread unless the job ended. A
    /// fenced or cancelled job submits nothing and `done` is not called: check checkpoint().
    void submit(ingest::IngestRun run, std::function<void(const ingest::RunReport &)> done);

    /// Done: the job succeeds and its key caches {job_id, state, result} in one transaction.
    void succeed(const QJsonValue &result);
    /// Failed: a business error fails the key, a system error releases it and is journaled (IDEM-9).
    void fail(const Error &error);
    /// IDEM-13: a precondition is not met yet (source unreachable, rate limited, series owned
    /// elsewhere); the job is queued again after a capped, jittered backoff, or fails once
    /// `jobs.max_attempts` is reached.
    void defer(const Error &error);
    /// Ends the job after checkpoint() said Cancelled (state cancelled, key failed "cancelled")
    /// or Fenced (nothing written).
    void stop();

private:
    JobScheduler &m_scheduler;
    RunningJob &m_job;
};

/// One job kind (JOB-5): registered with JobScheduler::registerHandler(kind, handler).
class JobHandler
{
public:
    virtual ~JobHandler() = default;
    /// Starts the job on the scheduler's thread. Must not block: long work goes to a thread or
    /// runs in slices. The handler validates args here; bad ones are fail(bad_request …).
    virtual void run(JobContext &context) = 0;
};

} // namespace gapless::jobs
