#pragma once

#include "core/jobs/jobhandler.h"
#include "core/runtime/clock.h"

#include <functional>

namespace gapless::backfill {
class GapBackfill;
}

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::jobs {

/// The `backfill` job (BF-22): args {series_id, from?, to?} (seconds); to = min(floor_tf(to),
/// E(now)), default E(now); from = floor_tf(from), default head + tf (empty store:
/// to − (target − 1)·tf); then the gap backfill of BF-2 on [from, to].
class BackfillJobHandler final : public JobHandler
{
public:
    BackfillJobHandler(const Clock &clock, ingest::IngestWriter *writer, backfill::GapBackfill *gap,
                       int targetCandles);
    void run(JobContext &context) override;
    /// The REST requests made so far (BF-23 `requests`: the growth while the job runs).
    void setRequestCount(std::function<qint64()> count) { m_requestCount = std::move(count); }

private:
    void fill(JobContext &context, const SeriesId &series, qint64 from, qint64 to);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    backfill::GapBackfill *m_gap;
    int m_targetCandles;
    std::function<qint64()> m_requestCount;
};

} // namespace gapless::jobs
