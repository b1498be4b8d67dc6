#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/ingest/ingestrun.h"

#include <QList>

#include <optional>

namespace gapless::store {
class CandleStore;
}

namespace gapless::backfill {

/// BF-11: after a 1m batch commits, every derived timeframe's touched buckets are read back
/// from the store and the complete ones go into one roll-up run (source `rollup`). Stateless,
/// so it is right after a restart and under out-of-order backfill. Runs on the writer thread
/// with the writer's store.
class DerivedFanout
{
public:
    /// `timeframes`: backfill.derived_timeframes, for the bases in `bases` (live or sync
    /// series); derived series already stored are kept up to date for any base.
    DerivedFanout(QList<Timeframe> timeframes, QList<SeriesId> bases);

    void addBase(const SeriesId &base);
    /// The roll-up run for `committed` 1m candles of `base` (ascending); empty batches when
    /// nothing is complete. A base that is not 1m gives an empty run.
    [[nodiscard]] Result<ingest::IngestRun> derive(store::CandleStore &store, const SeriesId &base,
                                                   const CandleList &committed) const;

    /// The timeframes derived from `base`: configured ones (for a listed base) and stored ones.
    [[nodiscard]] Result<QList<Timeframe>> targets(store::CandleStore &store, const SeriesId &base) const;

private:
    QList<Timeframe> m_timeframes;
    QList<SeriesId> m_bases;
};

/// The IngestWriter follow-up of BF-11: the roll-up run of every 1m series the run committed
/// (a roll-up run itself has none). A failed read is logged; the next commit of that bucket
/// derives it again.
[[nodiscard]] std::optional<ingest::IngestRun> rollUpCommitted(const DerivedFanout &fanout, store::CandleStore &store,
                                                               const ingest::IngestRun &run,
                                                               const ingest::RunReport &report);

} // namespace gapless::backfill
