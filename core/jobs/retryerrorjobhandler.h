#pragma once

#include "core/jobs/jobhandler.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <functional>

namespace gapless::backfill {
class FetchRetry;
}

namespace gapless::ingest {
class IngestWriter;
struct JournalEntry;
}

namespace gapless::sources {
class BinanceRestClient;
}

namespace gapless::jobs {

/// The `retry_error` job (ING-11, BF-23): args {id}, an `ingest_errors` row. Unknown → not_found,
/// step validate → bad_request, resolved → conflict. A `fetch` row backfills its range again
/// (FetchRetry); a `job` row runs a new job of the failed job's kind and args and resolves once
/// that one succeeds (D-JOB-10); any other row re-runs its batch (IngestWriter::retryError).
/// The result is what `gapless errors retry --json` prints plus `job_id`; a retry that leaves
/// the row open fails the job with a message naming the row. Lives on the scheduler's thread.
class RetryErrorJobHandler final : public JobHandler
{
public:
    /// `rest` may be null; it only counts the requests of a `fetch` retry. `workers` is read when
    /// a `job` row is retried (jobs.workers).
    RetryErrorJobHandler(const Clock &clock, ingest::IngestWriter *writer, backfill::FetchRetry *fetch,
                         const sources::BinanceRestClient *rest, JobScheduler *scheduler,
                         std::function<int()> workers);
    void run(JobContext &context) override;

private:
    void dispatch(JobContext &context, const ingest::JournalEntry &entry);
    void retryBatch(JobContext &context, qint64 errorId);
    void retryFetch(JobContext &context, qint64 errorId);
    void retryJob(JobContext &context, const ingest::JournalEntry &entry);
    void awaitJob(JobContext &context, const ingest::JournalEntry &entry, qint64 newJobId);
    [[nodiscard]] qint64 nextRunId();

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    backfill::FetchRetry *m_fetch;
    const sources::BinanceRestClient *m_rest;
    JobScheduler *m_scheduler;
    std::function<int()> m_workers;
    qint64 m_runCounter = 0;
};

} // namespace gapless::jobs
