#include "core/jobs/backfilljobhandler.h"

#include "core/backfill/gapbackfill.h"
#include "core/domain/timearith.h"
#include "core/ingest/ingestwriter.h"
#include "core/protocol/clientframe.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

// An optional whole number of seconds: none when absent, an error when not a whole number.
Result<std::optional<qint64>> optionalSeconds(const QJsonObject &args, QStringView field)
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return std::optional<qint64>();
    const double d = v.toDouble(-1.5);
    if (!v.isDouble() || d != std::floor(d) || d < 0 || d > 1e11)
        return Error::badRequest(protocol::gotExpected(field, v, u"whole seconds since 1970 (C-1)"));
    return std::optional<qint64>(qint64(d));
}

} // namespace

BackfillJobHandler::BackfillJobHandler(const Clock &clock, ingest::IngestWriter *writer, backfill::GapBackfill *gap,
                                       int targetCandles)
    : m_clock(clock)
    , m_writer(writer)
    , m_gap(gap)
    , m_targetCandles(targetCandles)
{
}

void BackfillJobHandler::run(JobContext &context)
{
    const QJsonValue id = context.args().value("series_id"_L1);
    const Result<SeriesId> series = SeriesId::parse(id.toString());
    if (!id.isString() || !series) {
        context.fail(id.isString() ? series.error()
                                   : Error::badRequest(protocol::gotExpected(u"series_id", id, u"a series id (DOM-3)")));
        return;
    }
    const auto from = optionalSeconds(context.args(), u"from");
    const auto to = optionalSeconds(context.args(), u"to");
    if (!from || !to) {
        context.fail(!from ? from.error() : to.error());
        return;
    }
    const qint64 tf = series->timeframe().seconds();
    const auto latest = expectedLatestClosed(m_clock.nowSeconds(), tf);
    if (!latest || !*latest) {
        context.fail(Error::badRequest(u"backfill %1: no closed bar yet; expected a later clock"_s.arg(id.toString())));
        return;
    }
    const qint64 end = to->has_value() ? std::min(floorTo(**to, tf), **latest) : **latest;
    if (from->has_value()) {
        const qint64 start = floorTo(**from, tf);
        if (start > end) {
            context.fail(Error::badRequest(u"backfill %1: from %2 is after to %3; expected from <= to"_s.arg(
                id.toString(), QString::number(start), QString::number(end))));
            return;
        }
        fill(context, *series, start, end);
        return;
    }
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    const SeriesId s = *series;
    m_writer->readHead(s, context.guard(), [this, guard, ctx, s, end, tf](std::optional<qint64> head) {
        if (!guard)
            return;
        const qint64 start = head ? *head + tf : end - qint64(std::max(m_targetCandles, 1) - 1) * tf;
        fill(*ctx, s, start, end);
    });
}

void BackfillJobHandler::fill(JobContext &context, const SeriesId &series, qint64 from, qint64 to)
{
    const qint64 tf = series.timeframe().seconds();
    QJsonObject report{{u"series_id"_s, series.toString()}, {u"from"_s, double(from)}, {u"to"_s, double(to)}};
    if (from > to) { // already up to date
        for (const char *field : {"slots", "present_before", "filled", "source_missing", "still_missing", "requests",
                                  "duration_ms"})
            report.insert(QLatin1String(field), 0);
        report.insert(u"errors"_s, QJsonArray());
        context.succeed(report);
        return;
    }
    const qint64 slotCount = (to - from) / tf + 1;
    context.progress(0, slotCount, u"candles"_s, u"backfill"_s);
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    QElapsedTimer timer;
    timer.start();
    const qint64 requestsBefore = m_requestCount ? m_requestCount() : 0;
    m_gap->run(series, from, to + tf, [this, guard, ctx, report, slotCount, timer,
                                       requestsBefore](const backfill::GapResult &r) mutable {
        if (!guard)
            return;
        ctx->progress(slotCount, slotCount, u"candles"_s, u"backfill"_s);
        if (ctx->checkpoint() != Checkpoint::Continue) {
            ctx->stop();
            return;
        }
        report.insert(u"slots"_s, double(r.slotCount));
        report.insert(u"present_before"_s, double(r.presentBefore));
        report.insert(u"filled"_s, double(r.filled));
        report.insert(u"source_missing"_s, double(r.sourceMissing));
        report.insert(u"still_missing"_s, double(r.stillMissing));
        report.insert(u"errors"_s, QJsonArray::fromStringList(r.errors));
        report.insert(u"requests"_s, double(m_requestCount ? m_requestCount() - requestsBefore : 0));
        report.insert(u"duration_ms"_s, double(timer.elapsed()));
        ctx->succeed(report);
    }, backfill::RunTag{context.jobId(), {}});
}

} // namespace gapless::jobs
