#pragma once

#include "core/domain/result.h"

namespace gapless::store {
class CandleStore;
}

namespace gapless::ingest {

/// JOB-7: the `jobs` row a job's run must still own: running at this attempt.
struct JobFence
{
    qint64 jobId = 0;
    qint64 attempts = 0;

    friend bool operator==(const JobFence &, const JobFence &) = default;
};

/// Touches the job's row `WHERE job_id=? AND state='running' AND attempts=?` inside the
/// caller's transaction: true while the run owns the job. The touch takes the row's lock
/// (PostgreSQL), so a reaper or another owner waits until this transaction ends.
[[nodiscard]] Result<bool> holdFence(store::CandleStore &store, const JobFence &fence);

/// The error of a batch refused by its fence, naming the job and the attempt it ran as.
[[nodiscard]] Error fencedError(const JobFence &fence);

} // namespace gapless::ingest
