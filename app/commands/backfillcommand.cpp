#include "app/commands/backfillcommand.h"

#include "app/commandline.h"
#include "app/exitcode.h"
#include "app/jobrunner.h"
#include "app/progressbar.h"
#include "core/runtime/livejobs.h"
#include "core/sources/filesource.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"backfill --series ID [--from T] [--to T] [--connect ws://H:P [--token T]]"_s;

/// BF-22's args from the options: `from` is the first whole bar at or after --from, `to` as
/// given (the job floors it and stops at E(now)); absent ones are the job's defaults. Only
/// the options go in, so that the same command line makes the same fingerprint (IDEM-3).
Result<QJsonObject> backfillArgs(const CommandLine &line, const SeriesId &series)
{
    const Timeframe tf = series.timeframe();
    QJsonObject args{{u"series_id"_s, series.toString()}};
    if (line.isSet(u"to"_s)) {
        auto to = parseTimeArgument(u"--to"_s, line.value(u"to"_s));
        if (!to)
            return to.error();
        args.insert(u"to"_s, double(*to));
    }
    if (line.isSet(u"from"_s)) {
        auto from = parseTimeArgument(u"--from"_s, line.value(u"from"_s));
        if (!from)
            return from.error();
        args.insert(u"from"_s, double(tf.floor(*from + tf.seconds() - 1)));
    }
    return args;
}

} // namespace

QString backfillResultLine(const QJsonObject &r)
{
    const auto n = [&r](const char *field) { return r.value(QLatin1String(field)).toInteger(); };
    return u"%1 [%2..%3]: %4 slots, %5 present, %6 filled, %7 source-missing, %8 still missing; %9 requests, "
           u"%10 s"_s.arg(r.value("series_id"_L1).toString())
               .arg(n("from"))
               .arg(n("to"))
               .arg(n("slots"))
               .arg(n("present_before"))
               .arg(n("filled"))
               .arg(n("source_missing"))
               .arg(n("still_missing"))
               .arg(n("requests"))
               .arg(QString::number(double(n("duration_ms")) / 1000.0, 'f', 1));
}

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
    QStringList arguments = ctx.options.arguments;
    const auto route = takeJobRoute(ctx, &arguments);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    CommandLine line(u"backfill"_s, kSynopsis);
    line.addOption({u"series"_s}, u"The series to fill"_s, u"ID"_s);
    line.addOption({u"from"_s}, u"First bar (s or ISO-8601; default: after the head)"_s, u"T"_s);
    line.addOption({u"to"_s}, u"Last bar (default: the newest closed bar)"_s, u"T"_s);
    if (auto parsed = line.parse(arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    const auto id = line.required(u"series"_s);
    if (!id)
        return ctx.out.fail(id.error(), ExitUsage);
    const auto series = SeriesId::parse(*id);
    if (!series)
        return ctx.out.fail(Error::badRequest(u"--series: "_s + series.error().message), ExitUsage);
    // The sources of a remote core are its own; here only the in-process core's are known.
    const SourceSettings source = SourceSettings::from(ctx.settings);
    if (!route->connect && !LiveJobs::liveBase(*series) && !sources::FileSource(source.fileDirs).locate(*series))
        return ctx.out.fail(Error::badRequest(u"--series %1: no network source and no file in source.file_dirs; "
                                              u"expected binance:spot or binance:futures, or a file (DOM-3)"_s.arg(
                                                  series->toString())),
                            ExitUsage);
    const auto args = backfillArgs(line, *series);
    if (!args)
        return ctx.out.fail(args.error(), ExitUsage);
    ProgressBar bar(u"backfill"_s, u"candles"_s, ProgressBar::wanted(ctx.options.noProgress));
    const JobOutcome outcome = runJob(ctx, *route, u"backfill"_s, *args, [&bar](const QJsonObject &p) {
        if (p.value("total"_L1).toInteger() > 0)
            bar.update(p.value("done"_L1).toInteger(), p.value("total"_L1).toInteger());
    });
    bar.finish();
    return finishJob(ctx, outcome, [&](const QJsonObject &r) {
        if (ctx.options.json) {
            QJsonObject doc = r;
            doc.insert(u"job_id"_s, outcome.jobId);
            ctx.out.document(doc);
        } else {
            for (const QJsonValue &e : r.value("errors"_L1).toArray())
                ctx.out.warning(u"gapless: backfill: "_s + e.toString());
            ctx.out.line(backfillResultLine(r));
        }
        return r.value("still_missing"_L1).toInteger() > 0 ? ExitProblems : ExitOk;
    });
}

} // namespace gapless::app
