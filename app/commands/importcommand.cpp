#include "app/commands/importcommand.h"

#include "app/commandline.h"
#include "app/commands/importretryjobs.h"
#include "app/progressbar.h"
#include "app/storeaccess.h"
#include "app/writersession.h"
#include "core/ingest/fileimport.h"
#include "core/ingest/ingestreportjson.h"
#include "core/sources/fileformat.h"

#include <QEventLoop>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"import FILE --series ID [--format csv|freqtrade] [--strict] [--reject-anomalies] "
                          u"[--connect ws://H:P [--token T]]"_s;

void reportRows(const Output &out, const ingest::ImportReport &report)
{
    // CLI-9: one stderr line per rejected row and per kept anomaly.
    for (const ingest::RejectedRow &row : report.rejected)
        out.warning(u"%1:%2: %3: %4"_s.arg(report.file).arg(row.line).arg(row.reasons.join(u','), row.detail));
    for (const ingest::AnomalyRow &row : report.anomalies)
        out.warning(u"%1:%2: warning: %3"_s.arg(report.file).arg(*row.line).arg(anomalyKindName(row.kind)));
}

} // namespace

int runImport(const CommandContext &ctx)
{
    QStringList arguments = ctx.options.arguments;
    const auto route = takeJobRoute(ctx, &arguments);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    CommandLine cl(u"import"_s, kSynopsis);
    cl.addOption({u"series"_s}, u"Series id to import into"_s, u"ID"_s);
    cl.addOption({u"format"_s}, u"csv or freqtrade"_s, u"FORMAT"_s);
    cl.addOption({u"strict"_s}, u"Write nothing if any row is rejected"_s);
    cl.addOption({u"reject-anomalies"_s}, u"Reject rows with any anomaly"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (cl.positional().size() != 1)
        return ctx.out.fail(cl.usage(u"%1 files given"_s.arg(cl.positional().size())), ExitUsage);
    auto seriesText = cl.required(u"series"_s);
    if (!seriesText)
        return ctx.out.fail(seriesText.error(), ExitUsage);
    auto series = SeriesId::parse(*seriesText);
    if (!series)
        return ctx.out.fail(series.error(), ExitUsage);
    const QString path = cl.positional().constFirst();
    if (auto format = sources::detectFormat(path, cl.value(u"format"_s)); !format)
        return ctx.out.fail(format.error(), ExitUsage);
    if (runsAsJob(ctx, *route)) {
        // A remote core reads the file on its own machine, from its own working directory.
        QJsonObject args{{u"file"_s, route->connect ? QFileInfo(path).absoluteFilePath() : path},
                         {u"series_id"_s, series->toString()}};
        if (cl.isSet(u"format"_s))
            args.insert(u"format"_s, cl.value(u"format"_s));
        if (cl.isSet(u"strict"_s))
            args.insert(u"strict"_s, true);
        if (cl.isSet(u"reject-anomalies"_s))
            args.insert(u"reject_anomalies"_s, true);
        return runImportJob(ctx, *route, args);
    }
    auto target = storeTarget(ctx, false);
    if (!target)
        return ctx.out.fail(target.error(), ExitUsage);

    ingest::ImportRequest request;
    request.path = path;
    request.format = cl.value(u"format"_s);
    request.series = *series;
    request.strict = cl.isSet(u"strict"_s);
    request.rejectSoftAnomalies = cl.isSet(u"reject-anomalies"_s) || ctx.settings.boolValue(u"ingest.reject_soft_anomalies");
    request.batchMax = ctx.settings.intValue(u"ingest.batch_max");
    request.nowSeconds = ctx.clock.nowSeconds();
    request.runId = ctx.clock.nowMs();

    WriterSession session(ctx);
    ingest::FileImport import(session.writer());
    if (auto ok = import.prepare(request); !ok)
        return ctx.out.fail(ok.error(), ExitFailure);
    const ingest::ImportReport &prepared = import.report();
    reportRows(ctx.out, prepared);
    if (prepared.strictRefused) {
        return ctx.out.fail(Error::badRequest(u"%1: %2 of %3 rows rejected; expected every row valid with --strict, "
                                              u"nothing was written"_s.arg(path).arg(prepared.rejected.size()).arg(prepared.rows)),
                            ExitFailure);
    }
    if (import.pendingRows() > 0) {
        if (auto ok = session.open(); !ok)
            return ctx.out.fail(ok.error(), ExitFailure);
    }

    ProgressBar bar(u"import"_s, u"rows"_s, ProgressBar::wanted(ctx.options.noProgress));
    QObject::connect(&import, &ingest::FileImport::progressed, &import,
                     [&bar](qint64 done, qint64 total) { bar.update(done, total); });
    QEventLoop loop;
    ingest::ImportReport report;
    QObject::connect(&import, &ingest::FileImport::finished, &loop, [&](const ingest::ImportReport &r) {
        report = r;
        loop.quit();
    });
    import.start();
    loop.exec();
    bar.finish();

    std::optional<Error> failure;
    if (report.runError) {
        QStringList ids;
        for (const qint64 id : std::as_const(report.journalIds))
            ids << QString::number(id);
        failure = *report.runError;
        failure->message = ids.isEmpty()
            ? u"%1: a run failed (%2); expected the store to accept the rows"_s.arg(path, report.runError->message)
            : u"%1: a run failed and was journalled as ingest error %2 (%3); expected a retry with gapless errors "
              u"retry %2"_s.arg(path, ids.join(u", "_s), report.runError->message);
    }
    // CLI-3: with --json a failed run prints only the error document.
    if (failure && ctx.options.json)
        return ctx.out.fail(*failure, ExitFailure);
    if (ctx.options.json)
        ctx.out.document(ingest::importReportJson(report));
    else
        ctx.out.line(u"%1 rows, %2 inserted, %3 updated, %4 identical, %5 rejected, %6 anomalies"_s.arg(report.rows)
                         .arg(report.inserted)
                         .arg(report.updated)
                         .arg(report.identical)
                         .arg(report.rejected.size())
                         .arg(report.anomalies.size()));
    if (failure)
        return ctx.out.fail(*failure, ExitFailure);
    return report.rejected.isEmpty() ? ExitOk : ExitProblems;
}

} // namespace gapless::app
