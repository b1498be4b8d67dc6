#pragma once

#include "core/repair/conflictpolicy.h"
#include "core/repair/repaircontrol.h"
#include "core/repair/sourcefetcher.h"
#include "core/repair/verifyreport.h"
#include "core/repair/verifyrequest.h"

#include <QJsonObject>

namespace gapless::ingest {
class IngestWriter;
}
namespace gapless::store {
class CandleStore;
}

namespace gapless::repair {

class KnownSeries;

/// What a verify, repair or review_resolve run works with. Runs block their thread (never the
/// GUI thread) and spin local event loops while the source or the writer answers.
struct RepairServices
{
    store::CandleStore &reader;            ///< a read connection of the calling thread
    SourceFetcher &source;
    RepairControl &control;
    const Clock &clock;
    ingest::IngestWriter *writer = nullptr; ///< the single writer; repair and review_resolve only
    const KnownSeries *known = nullptr;     ///< REP-12; unknown series answer not_found without a query
};

/// A verify's findings with the rows it compared.
struct VerifyOutcome
{
    VerifyReport report;
    CandleList local;
    SourceRows source;
};

/// REP-1..5: reads the local rows and the source over the request's day buckets and compares
/// them. Read-only. `reportJson(outcome.report)` is the job result.
[[nodiscard]] Result<VerifyOutcome> runVerify(RepairServices &services, const VerifyRequest &request);

/// REP-6: the range form (`target`) or the verify_job_id form; the policy resolved per REP-8.
struct RepairRequest
{
    VerifyRequest target;                ///< range form
    std::optional<qint64> verifyJobId;   ///< verify_job_id form: range and source from that job
    std::optional<ConflictPolicy> policy; ///< the command's own
    RepairSettings settings;             ///< `repair.conflict_policy` and its overrides
};

/// REP-6..8, REP-11: verify → fetch → write → recheck. Returns the REP-5 result plus rows_inserted,
/// rows_updated, rows_identical, kept_local, review_items, extra_kept, write_amplification,
/// residual_buckets, policy and job_id. A cancelled or fenced run stops at a batch boundary
/// with conflict "cancelled"; committed batches stay.
[[nodiscard]] Result<QJsonObject> runRepair(RepairServices &services, const RepairRequest &request);

/// The verify_job_id form's source: the range, source and REP-5 result of a succeeded verify
/// job in the `jobs` table.
struct StoredVerify
{
    VerifyRequest request;
    QJsonObject result;
};
[[nodiscard]] Result<StoredVerify> readVerifyJob(store::CandleStore &store, qint64 jobId);

/// The local rows of [from, to), ascending; an unknown series is not_found (REP-12 first).
[[nodiscard]] Result<CandleList> readLocal(RepairServices &services, const SeriesId &series, qint64 from, qint64 to);

} // namespace gapless::repair
