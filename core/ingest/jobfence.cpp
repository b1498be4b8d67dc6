#include "core/ingest/jobfence.h"

#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

using namespace Qt::StringLiterals;

namespace gapless::ingest {

Result<bool> holdFence(store::CandleStore &store, const JobFence &fence)
{
    QSqlDatabase db = store.database();
    auto q = store::runBound(db,
                             u"UPDATE jobs SET attempts = attempts WHERE job_id = ? AND state = 'running' "
                             u"AND attempts = ?"_s,
                             {fence.jobId, fence.attempts}, u"job %1 fence"_s.arg(fence.jobId));
    if (!q)
        return q.error();
    return q->numRowsAffected() == 1;
}

Error fencedError(const JobFence &fence)
{
    return Error::conflict(u"job %1: fenced, its row is no longer running at attempt %2; expected the job to "
                           u"be owned by this run (JOB-7)"_s.arg(QString::number(fence.jobId))
                               .arg(fence.attempts));
}

} // namespace gapless::ingest
