// GapBackfill: the three levels of BF-2, the runs they submit and the result of BF-3.
#include "core/backfill/gapbackfill.h"

#include "core/backfill/gapbackfilloperation.h"
#include "core/backfill/progresstracker.h"
#include "core/domain/rollup.h"
#include "core/ingest/ingestwriter.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/binance/klinerows.h"
#include "core/store/candlestore.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

// The candles whose time is one of the (ascending) missing slots.
CandleList onlyMissing(const CandleList &candles, const QList<qint64> &missing)
{
    CandleList out;
    for (const Candle &c : candles) {
        if (std::binary_search(missing.begin(), missing.end(), c.time))
            out.append(c);
    }
    return out;
}

} // namespace

void GapBackfill::levelFiles(const std::shared_ptr<Operation> &op)
{
    auto next = [this, op] { levelRollup(op, [this, op] { levelRest(op); }); };
    if (op->missing.isEmpty() || !m_files.locate(op->series)) {
        next();
        return;
    }
    auto rows = m_files.read(op->series, op->from, op->to);
    if (!rows) {
        op->result.errors.append(u"files: "_s + rows.error().message);
        next();
        return;
    }
    const CandleList wanted = onlyMissing(*rows, op->missing);
    if (wanted.isEmpty()) {
        next();
        return;
    }
    ingest(op, op->series, wanted, u"backfill"_s, [this, op, next] { readMissing(op, next); });
}

void GapBackfill::levelRollup(const std::shared_ptr<Operation> &op, std::function<void()> next)
{
    if (op->missing.isEmpty() || op->tf() <= 60) {
        next();
        return;
    }
    const SeriesId base = op->series.withTimeframe(*Timeframe::fromSeconds(60));
    // BF-12: the minutes of the missing buckets only, (to - from)/tf + 1 buckets of tf/60.
    const qint64 first = op->missing.constFirst();
    const qint64 last = op->missing.constLast() + op->tf() - 60;
    m_writer->post([this, op, base, first, last, next = std::move(next)](store::CandleStore *store) {
        CandleList complete;
        if (store) {
            if (auto minutes = store->range(base, first, last))
                complete = rollUp(*minutes, base.timeframe(), op->series.timeframe()).complete;
        }
        QMetaObject::invokeMethod(this, [this, op, complete, next] {
            const CandleList wanted = onlyMissing(complete, op->missing);
            if (wanted.isEmpty()) {
                next();
                return;
            }
            // BF-10: derived rows carry the source `rollup`.
            ingest(op, op->series, wanted, u"rollup"_s, [this, op, next] { readMissing(op, next); });
        }, Qt::QueuedConnection);
    });
}

void GapBackfill::levelRest(const std::shared_ptr<Operation> &op)
{
    QList<qint64> wanted;
    for (const qint64 t : std::as_const(op->missing)) {
        if (isKnownSourceMissing(op->series, t))
            op->sourceMissing.insert(t);
        else
            wanted.append(t);
    }
    if (wanted.isEmpty() || !op->allowRest || !hasNetworkSource(op->series)) {
        finish(op);
        return;
    }
    if (!sources::binanceInterval(op->series.timeframe())) {
        levelRestViaBase(op, wanted); // BF-2 level 3: never a request for an interval the exchange lacks
        return;
    }
    fetchRuns(op, op->series, wanted);
    if (op->restPending == 0)
        finish(op);
}

void GapBackfill::fetchRuns(const std::shared_ptr<Operation> &op, const SeriesId &series, const QList<qint64> &times)
{
    // Only the missing sub-ranges are fetched (BF-8), each as one range of windows.
    const qint64 tf = series.timeframe().seconds();
    qsizetype start = 0;
    for (qsizetype i = 1; i <= times.size(); ++i) {
        if (i < times.size() && times.at(i) == times.at(i - 1) + tf)
            continue;
        const quint64 id = m_rest->fetchRange(series, times.at(start), times.at(i - 1));
        m_restRequests.insert(id, op);
        ++op->restPending;
        start = i;
    }
}

void GapBackfill::onWindow(const sources::RestWindowResult &window)
{
    const auto op = m_restRequests.value(window.request);
    if (!op)
        return;
    if (window.series != op->series) {
        onBaseWindow(op, window);
        return;
    }
    const qint64 expiry = m_clock.nowMs() + qint64(m_settings.sourceMissingTtlS) * 1000;
    for (const qint64 t : window.sourceMissing) {
        m_sourceMissing[op->series].insert(t, expiry); // BF-5: remembered, never invented
        op->sourceMissing.insert(t);
    }
    const CandleList wanted = onlyMissing(window.candles, op->missing);
    if (m_tracker && !window.sourceMissing.isEmpty())
        m_tracker->advance(op->series, 0, window.sourceMissing.size());
    if (wanted.isEmpty())
        return;
    // Windows arrive in order and the writer keeps submission order (SRC-4).
    ingest(op, op->series, wanted, u"backfill"_s, [this, op] { afterRest(op); });
}

void GapBackfill::afterRest(const std::shared_ptr<Operation> &op)
{
    if (!op->restDone || op->ingestPending > 0)
        return;
    if (!op->viaBase) {
        readMissing(op, [this, op] { finish(op); });
        return;
    }
    readMissing(op, [this, op] {
        levelRollup(op, [this, op] {
            markDerivedSourceMissing(op);
            finish(op);
        });
    });
}

void GapBackfill::ingest(const std::shared_ptr<Operation> &op, const SeriesId &series, const CandleList &candles,
                         const QString &source, std::function<void()> next)
{
    ingest::IngestRun run;
    run.runId = nextRunId();
    run.source = source == "rollup"_L1 || op->tag.source.isEmpty() ? source : op->tag.source;
    run.jobId = op->tag.jobId;
    run.add(series, candles);
    ++op->ingestPending;
    m_pendingRuns.insert(run.runId, [this, op, series, next = std::move(next)](const ingest::RunReport &report) {
        --op->ingestPending;
        qint64 inserted = 0;
        for (const ingest::SeriesOutcome &s : report.series) {
            inserted += s.inserted;
            if (!s.ok && s.error)
                op->result.errors.append(u"%1: %2"_s.arg(s.failedStep, s.error->message));
        }
        if (m_tracker && series == op->series) // base minutes are not the tracked slots
            m_tracker->advance(op->series, inserted, 0);
        next();
    });
    m_writer->submit(run);
}

void GapBackfill::onRunFinished(const ingest::RunReport &report)
{
    if (auto callback = m_pendingRuns.take(report.runId))
        callback(report);
}

void GapBackfill::finish(const std::shared_ptr<Operation> &op)
{
    GapResult &r = op->result;
    qint64 sourceMissing = 0;
    for (const qint64 t : std::as_const(op->missing))
        sourceMissing += op->sourceMissing.contains(t) || isKnownSourceMissing(op->series, t);
    r.sourceMissing = sourceMissing;
    r.stillMissing = op->missing.size() - sourceMissing;
    // Slots filled meanwhile by others count as filled, so the four counts add up (BF-3).
    r.filled = std::max<qint64>(0, r.slotCount - r.presentBefore - r.sourceMissing - r.stillMissing);
    if (m_tracker && m_tracker->isRunning(op->series)) {
        m_tracker->finish(op->series, r.stillMissing + r.sourceMissing,
                          op->reason + (r.stillMissing == 0 ? u"_done"_s : u"_partial"_s));
    }
    if (m_running.value(op->series) == op)
        m_running.remove(op->series);
    emit finished(op->series, op->expectedNext, op->actual, r);
    for (const Done &done : std::as_const(op->waiters))
        done(r);
}

} // namespace gapless::backfill
