#pragma once

#include "core/domain/result.h"
#include "core/ingest/journalentry.h"
#include "core/jobs/idempotencystore.h"
#include "core/jobs/jobstore.h"

namespace gapless::jobs {

/// What a transition did: the job's new row (for a `job` event) and the journal rows it wrote.
struct Transition
{
    bool applied = false; ///< false: fenced (JOB-7), or nothing to do
    JobRow job;
    QList<ingest::JournalEntry> journal;
};

/// The job system's transactions on the writer thread (JOB-6..10, IDEM-7/9/12): each keeps a
/// job's row, its key and its journal row consistent by committing them together.
class JobLedger final
{
public:
    JobLedger(store::CandleStore &store, const Clock &clock, int nodeId, int ttlS);

    [[nodiscard]] IdempotencyStore &keys() { return m_keys; }
    [[nodiscard]] JobStore &jobs() { return m_jobs; }
    /// The writer's connection, for a keyed command whose work commits with its key (IDEM-8).
    [[nodiscard]] store::CandleStore &store() { return m_store; }

    /// JOB-6 queued → running; the running row, or none when it is no longer queued.
    [[nodiscard]] Result<std::optional<JobRow>> claim(qint64 jobId);
    /// JOB-6 running → succeeded/failed/cancelled with the key's IDEM-7 transition in the same
    /// transaction: succeeded caches {job_id, state, result}; a business error or a cancel fails
    /// the key; a system error releases it and journals (step `job`). Fenced: nothing applied.
    [[nodiscard]] Result<Transition> finish(const JobRow &running, const QString &state,
                                            const Result<QJsonValue> &outcome);
    /// IDEM-13 running → queued, due at `nextAttemptAtMs`; the key stays in_progress.
    [[nodiscard]] Result<Transition> defer(const JobRow &running, const Error &error, qint64 nextAttemptAtMs);
    /// JOB-10: queued → cancelled (key failed) at once; running → cancel_requested.
    [[nodiscard]] Result<Transition> cancel(qint64 jobId);
    /// JOB-8 and IDEM-12: this node's running jobs and orphan keys at startup (`nodeId`), or
    /// any node's stale ones (`staleBeforeMs`): failed/deleted and journaled.
    [[nodiscard]] Result<QList<Transition>> reapZombies(std::optional<int> nodeId, qint64 staleBeforeMs);

    /// The journal row of a failed job (IDEM-9): step `job`, the job id and the key.
    [[nodiscard]] ingest::JournalEntry journalEntry(const JobRow &job, const QString &message) const;

private:
    [[nodiscard]] Result<Transition> inTransaction(const std::function<Result<Transition>()> &work);
    [[nodiscard]] Result<void> appendJournal(Transition &t, const JobRow &job, const QString &message);

    store::CandleStore &m_store;
    const Clock &m_clock;
    IdempotencyStore m_keys;
    JobStore m_jobs;
};

/// The `ingest_errors.source` of a job kind (STORE-7).
[[nodiscard]] QString journalSourceOf(const QString &kind);

} // namespace gapless::jobs
