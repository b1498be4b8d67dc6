#include "app/commands/errorsretry.h"

#include "app/writersession.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

namespace gapless::app {

int runErrorsRetry(const CommandContext &ctx, const QStringList &args)
{
    const QString synopsis = u"errors retry ID"_s;
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

    WriterSession session(ctx);
    if (auto ok = session.open(); !ok)
        return ctx.out.fail(ok.error(), ExitFailure);
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
    const qint64 runId = ctx.clock.nowMs();
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
        ctx.out.document(QJsonObject{{u"id"_s, id},
                                     {u"status"_s, u"resolved"_s},
                                     {u"run_id"_s, runId},
                                     {u"series_id"_s, s.series.toString()},
                                     {u"inserted"_s, s.inserted},
                                     {u"updated"_s, s.updated},
                                     {u"identical"_s, s.identical}});
    } else {
        ctx.out.line(u"ingest error %1 resolved by run %2: %3 inserted, %4 updated, %5 identical"_s.arg(id)
                         .arg(runId)
                         .arg(s.inserted)
                         .arg(s.updated)
                         .arg(s.identical));
    }
    return ExitOk;
}

} // namespace gapless::app
