#include "app/commands/backfillcommand.h"

#include "app/commandline.h"
#include "app/exitcode.h"
#include "app/storeaccess.h"
#include "app/writersession.h"
#include "core/backfill/gapbackfill.h"
#include "core/backfill/progresstracker.h"
#include "core/domain/timearith.h"
#include "core/ingest/journalentry.h"
#include "core/runtime/livejobs.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/filesource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"backfill --series ID [--from T] [--to T]"_s;

struct Range
{
    qint64 from = 0;
    qint64 to = 0;
};

/// BF-22: to = min(floor_tf(to), E(now)), default E(now); from = floor_tf(from), default the
/// bar after the head, or `sync.target_candles` bars back from `to` on an empty series.
Result<Range> backfillRange(const CommandContext &ctx, const CommandLine &line, const SeriesId &series)
{
    const Timeframe tf = series.timeframe();
    const auto latest = expectedLatestClosed(ctx.clock.nowSeconds(), tf.seconds());
    if (!latest || !*latest)
        return Error::badRequest(u"backfill: no closed bar yet at this time; expected a later clock"_s);
    Range r{0, **latest};
    if (line.isSet(u"to"_s)) {
        auto to = parseTimeArgument(u"--to"_s, line.value(u"to"_s));
        if (!to)
            return to.error();
        r.to = std::min(tf.floor(*to), r.to);
    }
    if (line.isSet(u"from"_s)) {
        auto from = parseTimeArgument(u"--from"_s, line.value(u"from"_s));
        if (!from)
            return from.error();
        r.from = tf.floor(*from + tf.seconds() - 1); // the first whole bar at or after --from
        return r;
    }
    auto store = openReadOnlyStore(ctx);
    std::optional<qint64> head;
    if (store) {
        if (auto h = (*store)->headTime(series))
            head = *h;
    }
    r.from = head ? *head + tf.seconds() : r.to - (ctx.settings.intValue(u"sync.target_candles") - 1) * tf.seconds();
    return r;
}

} // namespace

QString backfillReportLine(const SeriesId &series, qint64 from, qint64 to, const backfill::GapResult &r,
                           qint64 requests, qint64 ms)
{
    return u"%1 [%2..%3]: %4 slots, %5 present, %6 filled, %7 source-missing, %8 still missing; %9 requests, "
           u"%10 s"_s.arg(series.toString())
               .arg(from)
               .arg(to)
               .arg(r.slotCount)
               .arg(r.presentBefore)
               .arg(r.filled)
               .arg(r.sourceMissing)
               .arg(r.stillMissing)
               .arg(requests)
               .arg(QString::number(double(ms) / 1000.0, 'f', 1));
}

int runBackfill(const CommandContext &ctx)
{
    CommandLine line(u"backfill"_s, kSynopsis);
    line.addOption({u"series"_s}, u"The series to fill"_s, u"ID"_s);
    line.addOption({u"from"_s}, u"First bar (s or ISO-8601; default: after the head)"_s, u"T"_s);
    line.addOption({u"to"_s}, u"Last bar (default: the newest closed bar)"_s, u"T"_s);
    if (auto parsed = line.parse(ctx.options.arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    const auto id = line.required(u"series"_s);
    if (!id)
        return ctx.out.fail(id.error(), ExitUsage);
    const auto series = SeriesId::parse(*id);
    if (!series)
        return ctx.out.fail(Error::badRequest(u"--series: "_s + series.error().message), ExitUsage);
    const SourceSettings source = SourceSettings::from(ctx.settings);
    const sources::FileSource files(source.fileDirs);
    if (!LiveJobs::liveBase(*series) && !files.locate(*series))
        return ctx.out.fail(Error::badRequest(u"--series %1: no network source and no file in source.file_dirs; "
                                              u"expected binance:spot or binance:futures, or a file (DOM-3)"_s.arg(
                                                  series->toString())),
                            ExitUsage);
    const auto range = backfillRange(ctx, line, *series);
    if (!range)
        return ctx.out.fail(range.error(), ExitUsage);

    WriterSession session(ctx);
    if (auto ok = session.open(); !ok)
        return ctx.out.fail(ok.error(), ExitFailure);
    sources::BinanceRestClient rest(source, ctx.clock, [] { return QRandomGenerator::global()->generateDouble(); });
    // SRC-7: what the source gave up on is journalled (step fetch), to be retried later.
    QObject::connect(&rest, &sources::BinanceRestClient::fetchFailed, session.writer(),
                     [&](const SeriesId &s, const QString &message, qint64 from, qint64 to) {
                         session.writer()->journal(ingest::fetchFailureEntry(ctx.clock.nowMs(), u"backfill"_s,
                                                                             s.toString(), message, from, to));
                     });
    backfill::ProgressTracker tracker(ctx.clock);
    BackfillSettings settings = BackfillSettings::from(ctx.settings);
    backfill::GapBackfill gap(ctx.clock, session.writer(), &rest, files, &tracker, settings);
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    backfill::GapResult result;
    gap.run(*series, range->from, range->to + series->timeframe().seconds(), [&](const backfill::GapResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (ctx.options.json) {
        ctx.out.document(backfillReportJson(*series, range->from, range->to, result, rest.requestCount(),
                                            timer.elapsed()));
    } else {
        for (const QString &e : std::as_const(result.errors))
            ctx.out.warning(u"gapless: backfill: "_s + e);
        ctx.out.line(backfillReportLine(*series, range->from, range->to, result, rest.requestCount(),
                                        timer.elapsed()));
    }
    if (result.stillMissing > 0)
        return ExitProblems;
    return ExitOk;
}

} // namespace gapless::app
