#include "app/commands/errorsretry.h"

#include "app/commands/backfillcommand.h"
#include "app/commands/importretryjobs.h"
#include "app/writersession.h"
#include "core/backfill/backfillreportjson.h"
#include "core/backfill/fetchretry.h"
#include "core/backfill/progresstracker.h"
#include "core/ingest/ingestreportjson.h"
#include "core/ingest/journalentry.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/filesource.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

// ING-11 for a row of step store, factor, overlay, commit or publish: its batch again.
int retryBatch(const CommandContext &ctx, WriterSession &session, qint64 id, qint64 runId)
{
    QEventLoop loop;
    std::optional<ingest::RunReport> report;
    std::optional<Error> refused;
    QObject::connect(session.writer(), &ingest::IngestWriter::retryFinished, &loop,
                     [&](qint64, const ingest::RunReport &r) {
                         report = r;
                         loop.quit();
                     });
    QObject::connect(session.writer(), &ingest::IngestWriter::retryFailed, &loop, [&](qint64, const Error &e) {
        refused = e;
        loop.quit();
    });
    session.writer()->retryError(id, runId);
    loop.exec();
    if (refused)
        return ctx.out.fail(*refused, ExitFailure);

    const ingest::SeriesOutcome &s = report->series.constFirst();
    if (!s.ok) {
        const QString again = s.journalId ? u"; journalled as ingest error %1"_s.arg(*s.journalId) : QString();
        return ctx.out.fail(Error{s.error ? s.error->code : ErrorCode::Internal,
                                  u"ingest error %1: retry failed (%2)%3; expected the fault to be cleared before a "
                                  u"retry"_s.arg(QString::number(id), s.error ? s.error->message : s.failedStep, again)},
                            ExitFailure);
    }
    if (ctx.out.json()) {
        ctx.out.document(ingest::batchRetryJson(id, runId, s));
    } else {
        ctx.out.line(u"ingest error %1 resolved by run %2: %3 inserted, %4 updated, %5 identical"_s.arg(id)
                         .arg(runId)
                         .arg(s.inserted)
                         .arg(s.updated)
                         .arg(s.identical));
    }
    return ExitOk;
}

// BF-23: a `fetch` row's range is backfilled again; R = 0 resolves the row (exit 0), else 3.
int reportFetch(const CommandContext &ctx, const backfill::FetchRetryResult &r, qint64 runId, qint64 requests,
                qint64 ms)
{
    if (ctx.out.json()) {
        ctx.out.document(backfill::fetchRetryJson(r, runId, requests, ms));
    } else {
        for (const QString &e : r.gap.errors)
            ctx.out.warning(u"gapless: errors retry: "_s + e);
        ctx.out.line(backfillReportLine(r.series, r.from, r.to, r.gap, requests, ms));
        ctx.out.line(r.resolved ? u"ingest error %1 resolved by run %2"_s.arg(r.errorId).arg(runId)
                                : u"ingest error %1 stays open: %2 still missing"_s.arg(r.errorId)
                                      .arg(r.gap.stillMissing));
    }
    return r.resolved ? ExitOk : ExitProblems;
}

} // namespace

int runErrorsRetry(const CommandContext &ctx, QStringList args)
{
    const auto route = takeJobRoute(ctx, &args);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    const QString synopsis = u"errors retry ID [--connect ws://H:P [--token T]]"_s;
    if (args.size() != 1)
        return ctx.out.fail(Error::badRequest(u"errors retry: %1 arguments; expected gapless %2"_s.arg(args.size()).arg(
                                synopsis)),
                            ExitUsage);
    bool isNumber = false;
    const qint64 id = args.constFirst().toLongLong(&isNumber);
    if (!isNumber || id <= 0)
        return ctx.out.fail(Error::badRequest(u"errors retry: ID '%1': not an ingest error id; expected a positive "
                                              u"integer from gapless errors list"_s.arg(args.constFirst())),
                            ExitUsage);

    if (runsAsJob(ctx, *route))
        return runErrorsRetryJob(ctx, *route, id);
    WriterSession session(ctx);
    if (auto ok = session.open(); !ok)
        return ctx.out.fail(ok.error(), ExitFailure);
    const SourceSettings source = SourceSettings::from(ctx.settings);
    sources::BinanceRestClient rest(source, ctx.clock, [] { return QRandomGenerator::global()->generateDouble(); });
    // SRC-7: what the source gives up on again is journalled as a row of its own.
    QObject::connect(&rest, &sources::BinanceRestClient::fetchFailed, session.writer(),
                     [&](const SeriesId &s, const QString &message, qint64 from, qint64 to) {
                         session.writer()->journal(ingest::fetchFailureEntry(ctx.clock.nowMs(), u"backfill"_s,
                                                                             s.toString(), message, from, to));
                     });
    backfill::ProgressTracker tracker(ctx.clock);
    backfill::GapBackfill gap(ctx.clock, session.writer(), &rest, sources::FileSource(source.fileDirs), &tracker,
                              BackfillSettings::from(ctx.settings));
    backfill::FetchRetry fetch(ctx.clock, session.writer(), &gap, int(ctx.settings.intValue(u"sync.target_candles")));
    const qint64 runId = ctx.clock.nowMs();
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    std::optional<Result<std::optional<backfill::FetchRetryResult>>> outcome;
    fetch.retry(id, runId, [&](const Result<std::optional<backfill::FetchRetryResult>> &o) {
        outcome = o;
        loop.quit();
    });
    loop.exec();
    if (!*outcome)
        return ctx.out.fail(outcome->error(), ExitFailure);
    if (!**outcome)
        return retryBatch(ctx, session, id, runId);
    return reportFetch(ctx, ***outcome, runId, rest.requestCount(), timer.elapsed());
}

} // namespace gapless::app
