#include "core/repair/reviewresolve.h"

#include "core/ingest/ingestwriter.h"
#include "core/repair/reviewqueue.h"
#include "core/repair/writerbridge.h"
#include "core/store/candlestore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::repair {

namespace {

/// Checks, then `mark`s, in one transaction of the writer's store.
Result<QJsonObject> checkAndMark(store::CandleStore &store, const QList<qint64> &ids, const QString &state,
                                 const QString &resolvedBy, std::optional<qint64> jobId, qint64 nowMs, bool checkRows)
{
    if (auto ok = store.begin(); !ok)
        return ok.error();
    Result<void> done = Result<void>{};
    if (checkRows) {
        if (auto items = loadResolvable(store, ids); !items)
            done = items.error();
    }
    if (done)
        done = markResolved(store, ids, state, resolvedBy, jobId, nowMs);
    if (!done) {
        (void)store.rollback();
        return done.error();
    }
    if (auto ok = store.commit(); !ok)
        return ok.error();
    return QJsonObject{};
}

} // namespace

Result<ReviewAction> parseReviewAction(const QString &text)
{
    if (text == u"accept_source"_s)
        return ReviewAction::AcceptSource;
    if (text == u"keep_local"_s)
        return ReviewAction::KeepLocal;
    return Error::badRequest(u"action '%1': unknown; expected accept_source or keep_local"_s.arg(text));
}

Result<QJsonObject> resolveReview(ingest::IngestWriter *writer, RepairControl &control, const Clock &clock,
                                  const QList<qint64> &ids, ReviewAction action, const QString &resolvedBy)
{
    if (ids.isEmpty())
        return Error::badRequest(u"ids: empty; expected at least one review item id"_s);
    const qint64 jobId = control.jobId();
    QJsonObject result{{u"ids"_s, QJsonArray()}, {u"rows_inserted"_s, 0}, {u"rows_updated"_s, 0}};
    QJsonArray idList;
    for (const qint64 id : ids)
        idList.append(double(id));
    result.insert(u"ids"_s, idList);
    if (action == ReviewAction::KeepLocal) {
        auto done = onWriter(writer, [&](store::CandleStore &store) {
            return checkAndMark(store, ids, u"kept_local"_s, resolvedBy, std::nullopt, clock.nowMs(), true);
        });
        if (!done)
            return done.error();
        result.insert(u"action"_s, u"keep_local"_s);
        result.insert(u"resolved"_s, double(ids.size()));
        return result;
    }
    QList<ReviewItem> items;
    auto checked = onWriter(writer, [&](store::CandleStore &store) -> Result<QJsonObject> {
        auto loaded = loadResolvable(store, ids);
        if (!loaded)
            return loaded.error();
        items = *loaded;
        return QJsonObject{};
    });
    if (!checked)
        return checked.error();
    if (!control.checkpoint())
        return Error::conflict(u"review_resolve job %1: cancelled"_s.arg(jobId));
    ingest::IngestRun run;
    run.runId = clock.nowMs() * 1000;
    run.source = u"review"_s;
    run.jobId = jobId;
    run.fence = control.fence();
    for (const ReviewItem &item : items) {
        const auto source = candleFromOhlcv(item.candleTime, item.source);
        if (!source)
            return Error::internal(u"review item %1: unreadable source_json; expected OHLCV"_s.arg(item.id));
        run.add(*SeriesId::parse(item.seriesId), CandleList{*source});
    }
    for (auto &[series, candles] : run.batches)
        std::sort(candles.begin(), candles.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    const ingest::RunReport report = runAndWait(writer, run);
    if (auto failed = runFailure(report))
        return *failed;
    qint64 inserted = 0;
    qint64 updated = 0;
    for (const ingest::SeriesOutcome &o : report.series) {
        inserted += o.inserted;
        updated += o.updated;
    }
    auto marked = onWriter(writer, [&](store::CandleStore &store) {
        return checkAndMark(store, ids, u"accepted_source"_s, resolvedBy, jobId, clock.nowMs(), false);
    });
    if (!marked)
        return marked.error();
    control.progress(ids.size(), ids.size(), u"rows"_s, u"write"_s);
    result.insert(u"action"_s, u"accept_source"_s);
    result.insert(u"resolved"_s, double(ids.size()));
    result.insert(u"rows_inserted"_s, double(inserted));
    result.insert(u"rows_updated"_s, double(updated));
    result.insert(u"job_id"_s, QString::number(jobId));
    return result;
}

} // namespace gapless::repair
