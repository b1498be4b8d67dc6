#include "core/backfill/fetchretry.h"

#include "core/domain/timearith.h"
#include "core/ingest/errorjournal.h"
#include "core/ingest/ingestwriter.h"
#include "core/store/candlestore.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

using Outcome = Result<std::optional<FetchRetryResult>>;

// The row's range, or BF-22's default one: after the head up to E(now), or `targetCandles`
// bars up to E(now) on an empty series. from > to when there is nothing to fetch.
Outcome rangeOf(const ingest::JournalEntry &entry, const SeriesId &series, store::CandleStore &store, qint64 nowS,
                int targetCandles)
{
    const qint64 tf = series.timeframe().seconds();
    FetchRetryResult r;
    r.errorId = entry.id;
    r.series = series;
    const auto latest = expectedLatestClosed(nowS, tf);
    if (!latest)
        return latest.error();
    if (!*latest) {
        r.from = 1;
        r.to = 0;
        return std::optional(r);
    }
    r.to = **latest;
    if (entry.firstTime && entry.lastTime) {
        r.from = series.timeframe().floor(*entry.firstTime);
        r.to = std::min(r.to, series.timeframe().floor(*entry.lastTime));
        return std::optional(r);
    }
    auto head = store.headTime(series);
    if (!head)
        return head.error();
    r.from = *head ? **head + tf : r.to - qint64(targetCandles - 1) * tf;
    return std::optional(r);
}

} // namespace

FetchRetry::FetchRetry(const Clock &clock, ingest::IngestWriter *writer, GapBackfill *gap, int targetCandles,
                       QObject *parent)
    : QObject(parent), m_clock(clock), m_writer(writer), m_gap(gap), m_targetCandles(targetCandles)
{
}

void FetchRetry::retry(qint64 errorId, qint64 runId, Done done)
{
    const qint64 nowS = m_clock.nowSeconds();
    QPointer<FetchRetry> guard(this);
    m_writer->post([this, guard, errorId, runId, nowS, done = std::move(done)](store::CandleStore *store) {
        Outcome outcome = std::optional<FetchRetryResult>();
        const QString what = u"ingest error %1"_s.arg(errorId);
        if (!store) {
            outcome = Error::unavailable(what + u": the store is not open; expected an open store"_s);
        } else if (auto entry = ingest::ErrorJournal(*store).get(errorId); !entry) {
            outcome = entry.error();
        } else if (entry->step != "fetch"_L1) {
            outcome = std::optional<FetchRetryResult>(); // ING-11's batch retry
        } else if (entry->status == "resolved"_L1) {
            outcome = Error::conflict(what + u": already resolved; expected an open or retried row"_s);
        } else if (auto series = SeriesId::parse(entry->seriesId); !series) {
            outcome = Error::badRequest(what + u": series_id: "_s + series.error().message);
        } else {
            outcome = rangeOf(*entry, *series, *store, nowS, m_targetCandles);
        }
        QMetaObject::invokeMethod(this, [this, guard, outcome, runId, done] {
            if (!guard)
                return;
            if (!outcome || !*outcome) {
                done(outcome);
                return;
            }
            run(**outcome, runId, done);
        }, Qt::QueuedConnection);
    });
}

void FetchRetry::run(FetchRetryResult result, qint64 runId, Done done)
{
    const qint64 tf = result.series.timeframe().seconds();
    QPointer<FetchRetry> guard(this);
    m_gap->run(result.series, result.from, result.to + tf, [this, guard, result, runId, done](const GapResult &gap) {
        if (!guard)
            return;
        FetchRetryResult r = result;
        r.gap = gap;
        if (gap.stillMissing > 0) {
            done(std::optional(r)); // the row stays as it is; new failures have rows of their own
            return;
        }
        const qint64 atMs = m_clock.nowMs();
        m_writer->post([this, guard, r, runId, atMs, done](store::CandleStore *store) mutable {
            Result<void> marked = store ? ingest::ErrorJournal(*store).markResolved(r.errorId, runId, atMs)
                                        : Result<void>(Error::unavailable(u"the store is not open"_s));
            QMetaObject::invokeMethod(this, [guard, r, marked, done]() mutable {
                if (!guard)
                    return;
                if (!marked) {
                    done(marked.error());
                    return;
                }
                r.resolved = true;
                done(std::optional(r));
            }, Qt::QueuedConnection);
        });
    });
}

} // namespace gapless::backfill
