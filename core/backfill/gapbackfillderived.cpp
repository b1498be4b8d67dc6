// GapBackfill: level 3 of BF-2 for a timeframe Binance does not serve (BF-10..12). The missing
// buckets' minutes come from REST on the 1m base, then the roll-up writes the complete buckets.
#include "core/backfill/gapbackfill.h"

#include "core/backfill/gapbackfilloperation.h"
#include "core/ingest/ingestwriter.h"
#include "core/sources/binance/restwindow.h"
#include "core/store/candlestore.h"

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

SeriesId baseOf(const SeriesId &series)
{
    return series.withTimeframe(*Timeframe::fromSeconds(60));
}

} // namespace

void GapBackfill::levelRestViaBase(const std::shared_ptr<Operation> &op, const QList<qint64> &wanted)
{
    op->viaBase = true;
    const SeriesId base = baseOf(op->series);
    const qint64 first = wanted.constFirst();
    const qint64 last = wanted.constLast() + op->tf() - 60;
    // The stored minutes of the wanted buckets are not fetched again.
    m_writer->post([this, op, base, wanted, first, last](store::CandleStore *store) {
        QSet<qint64> present;
        QString error;
        if (!store) {
            error = u"store: not open"_s;
        } else if (auto rows = store->range(base, first, last); rows) {
            for (const Candle &c : *rows)
                present.insert(c.time);
        } else if (rows.error().code != ErrorCode::NotFound) {
            error = u"store: "_s + rows.error().message;
        }
        QMetaObject::invokeMethod(this, [this, op, base, wanted, present, error] {
            if (!error.isEmpty()) {
                op->result.errors.append(error);
                finish(op);
                return;
            }
            for (const qint64 bucket : wanted) {
                for (qint64 m = bucket; m < bucket + op->tf(); m += 60) {
                    if (!present.contains(m) && !isKnownSourceMissing(base, m))
                        op->baseMissing.append(m);
                }
            }
            fetchRuns(op, base, op->baseMissing);
            if (op->restPending == 0) {
                op->restDone = true;
                afterRest(op);
            }
        }, Qt::QueuedConnection);
    });
}

void GapBackfill::onBaseWindow(const std::shared_ptr<Operation> &op, const sources::RestWindowResult &window)
{
    const qint64 expiry = m_clock.nowMs() + qint64(m_settings.sourceMissingTtlS) * 1000;
    for (const qint64 t : window.sourceMissing) {
        m_sourceMissing[window.series].insert(t, expiry); // BF-5 for the base's own slots
        op->baseSourceMissing.insert(t);
    }
    CandleList wanted;
    for (const Candle &c : window.candles) {
        if (std::binary_search(op->baseMissing.cbegin(), op->baseMissing.cend(), c.time))
            wanted.append(c);
    }
    if (wanted.isEmpty())
        return;
    ingest(op, window.series, wanted, u"backfill"_s, [this, op] { afterRest(op); });
}

void GapBackfill::markDerivedSourceMissing(const std::shared_ptr<Operation> &op)
{
    // A bucket one of whose minutes the exchange has no row for can never be complete: it is
    // source_missing for the derived series too (BF-5, D-BF-7), remembered like the minutes.
    const SeriesId base = baseOf(op->series);
    const qint64 expiry = m_clock.nowMs() + qint64(m_settings.sourceMissingTtlS) * 1000;
    for (const qint64 bucket : std::as_const(op->missing)) {
        for (qint64 m = bucket; m < bucket + op->tf(); m += 60) {
            if (op->baseSourceMissing.contains(m) || isKnownSourceMissing(base, m)) {
                op->sourceMissing.insert(bucket);
                m_sourceMissing[op->series].insert(bucket, expiry);
                break;
            }
        }
    }
}

} // namespace gapless::backfill
