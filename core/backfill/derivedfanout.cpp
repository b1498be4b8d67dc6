#include "core/backfill/derivedfanout.h"

#include "core/domain/rollup.h"
#include "core/runtime/logging.h"
#include "core/store/candlestore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

bool sameInstrument(const SeriesId &a, const SeriesId &b)
{
    return a.exchange() == b.exchange() && a.market() == b.market() && a.symbol() == b.symbol();
}

// The bucket starts touched by `candles`, ascending and unique.
QList<qint64> touchedBuckets(const CandleList &candles, Timeframe target)
{
    QList<qint64> buckets;
    for (const Candle &c : candles) {
        const qint64 b = target.floor(c.time);
        if (buckets.isEmpty() || buckets.constLast() != b)
            buckets.append(b);
    }
    std::sort(buckets.begin(), buckets.end());
    buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
    return buckets;
}

} // namespace

DerivedFanout::DerivedFanout(QList<Timeframe> timeframes, QList<SeriesId> bases)
    : m_timeframes(std::move(timeframes)), m_bases(std::move(bases))
{
}

void DerivedFanout::addBase(const SeriesId &base)
{
    if (!m_bases.contains(base))
        m_bases.append(base);
}

Result<QList<Timeframe>> DerivedFanout::targets(store::CandleStore &store, const SeriesId &base) const
{
    QList<Timeframe> out;
    if (m_bases.contains(base))
        out = m_timeframes;
    auto ids = store.seriesIds();
    if (!ids)
        return ids.error();
    for (const SeriesId &id : *ids) {
        if (sameInstrument(id, base) && checkRollup(base.timeframe(), id.timeframe()) && !out.contains(id.timeframe()))
            out.append(id.timeframe());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<ingest::IngestRun> DerivedFanout::derive(store::CandleStore &store, const SeriesId &base,
                                                const CandleList &committed) const
{
    ingest::IngestRun run;
    run.source = u"rollup"_s;
    if (base.timeframe().seconds() != 60 || committed.isEmpty())
        return run;
    auto tfs = targets(store, base);
    if (!tfs)
        return tfs.error();
    for (const Timeframe target : std::as_const(*tfs)) {
        const QList<qint64> buckets = touchedBuckets(committed, target);
        // One read over the touched buckets: their minutes, complete or not.
        auto minutes = store.range(base, buckets.constFirst(), buckets.constLast() + target.seconds() - 60);
        if (!minutes)
            return minutes.error();
        CandleList complete;
        for (const Candle &c : rollUp(*minutes, base.timeframe(), target).complete) {
            if (std::binary_search(buckets.begin(), buckets.end(), c.time))
                complete.append(c);
        }
        if (!complete.isEmpty())
            run.add(base.withTimeframe(target), complete);
    }
    return run;
}

std::optional<ingest::IngestRun> rollUpCommitted(const DerivedFanout &fanout, store::CandleStore &store,
                                                 const ingest::IngestRun &run, const ingest::RunReport &report)
{
    if (run.source == "rollup"_L1)
        return std::nullopt;
    ingest::IngestRun out;
    out.source = u"rollup"_s;
    out.requestId = run.requestId;
    out.jobId = run.jobId;
    for (const ingest::SeriesOutcome &outcome : report.series) {
        if (!outcome.ok || outcome.published.isEmpty())
            continue;
        auto derived = fanout.derive(store, outcome.series, outcome.published);
        if (!derived) {
            qCWarning(lcBackfill) << "roll-up of" << outcome.series.toString() << "failed:" << derived.error().message;
            continue;
        }
        for (const auto &[series, candles] : std::as_const(derived->batches))
            out.add(series, candles);
    }
    if (out.batches.isEmpty())
        return std::nullopt;
    return out;
}

} // namespace gapless::backfill
