#include "app/commands/jobscommand.h"

#include "app/commandline.h"
#include "app/commands/jobscommandledger.h"
#include "app/storeaccess.h"
#include "core/jobs/jobstore.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kListSynopsis = u"jobs [--all] [--limit N]"_s;
const QString kSynopsis = kListSynopsis + u" | jobs cancel ID"_s;

QString isoMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

QString textLine(const jobs::JobRow &j)
{
    const QString total = j.progressTotal ? QString::number(*j.progressTotal) : u"?"_s;
    const QString error = j.errorCode.isEmpty() ? u"-"_s : u"%1: %2"_s.arg(j.errorCode, j.errorMessage.simplified());
    return QStringList{QString::number(j.jobId), j.kind, j.seriesId.isEmpty() ? u"-"_s : j.seriesId, j.state,
                       u"%1/%2 %3"_s.arg(QString::number(j.progressDone), total, j.progressUnit),
                       QString::number(j.attempts), isoMs(j.createdAtMs), error}
        .join(u'\t');
}

int runList(const CommandContext &ctx, const QStringList &arguments)
{
    CommandLine cl(u"jobs"_s, kListSynopsis);
    cl.addOption({u"all"_s}, u"Every job, finished ones too (default: queued and running)"_s);
    cl.addOption({u"limit"_s}, u"At most N jobs, newest first (default 100)"_s, u"N"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (!cl.positional().isEmpty())
        return ctx.out.fail(cl.usage(u"unexpected argument '%1'"_s.arg(cl.positional().constFirst())), ExitUsage);
    jobs::JobFilter filter;
    filter.activeOnly = !cl.isSet(u"all"_s);
    if (cl.isSet(u"limit"_s)) {
        bool ok = false;
        filter.limit = cl.value(u"limit"_s).toInt(&ok);
        if (!ok || filter.limit < 1 || filter.limit > 1000)
            return ctx.out.fail(Error::badRequest(u"jobs: --limit '%1': expected an integer in [1, 1000]"_s.arg(
                                    cl.value(u"limit"_s))),
                                ExitUsage);
    }
    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);
    auto rows = jobs::JobStore(**store).list(filter);
    if (!rows)
        return ctx.out.fail(rows.error(), ExitFailure);
    const bool hasMore = rows->size() > filter.limit;
    if (hasMore)
        rows->removeLast();
    if (ctx.out.json()) {
        QJsonArray items;
        for (const jobs::JobRow &j : std::as_const(*rows))
            items.append(j.toListJson());
        ctx.out.document(QJsonObject{{u"items"_s, items}, {u"has_more"_s, hasMore}});
        return ExitOk;
    }
    ctx.out.line(u"job_id\tkind\tseries_id\tstate\tprogress\tattempts\tcreated\terror"_s);
    for (const jobs::JobRow &j : std::as_const(*rows))
        ctx.out.line(textLine(j));
    if (hasMore)
        ctx.out.warning(u"gapless: warning: showing the newest %1 jobs; more match (raise --limit)"_s.arg(filter.limit));
    return ExitOk;
}

int runCancel(const CommandContext &ctx, const QStringList &args)
{
    if (args.size() != 1)
        return ctx.out.fail(Error::badRequest(u"jobs cancel: %1 arguments; expected gapless jobs cancel ID"_s.arg(
                                args.size())),
                            ExitUsage);
    bool ok = false;
    const qint64 id = args.constFirst().toLongLong(&ok);
    if (!ok || id <= 0)
        return ctx.out.fail(Error::badRequest(u"jobs cancel: ID '%1': not a job id; expected a positive integer from "
                                              u"gapless jobs"_s.arg(args.constFirst())),
                            ExitUsage);
    const auto answer = onLedger(ctx, [id](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto t = l.cancel(id);
        if (!t)
            return t.error();
        return QJsonValue(t->job.toEventJson());
    });
    if (!answer)
        return ctx.out.fail(answer.error(), ExitFailure);
    const QJsonObject job = answer->toObject();
    if (ctx.out.json()) {
        ctx.out.document(job);
        return ExitOk;
    }
    const QString state = job.value("state"_L1).toString();
    ctx.out.line(state == "running"_L1 ? u"job %1: cancel requested; it stops at its next batch"_s.arg(id)
                                       : u"job %1: %2"_s.arg(QString::number(id), state));
    return ExitOk;
}

} // namespace

int runJobs(const CommandContext &ctx)
{
    const QStringList &args = ctx.options.arguments;
    if (args.value(0) == u"cancel"_s)
        return runCancel(ctx, args.mid(1));
    if (!args.isEmpty() && !args.constFirst().startsWith(u'-'))
        return ctx.out.fail(Error::badRequest(u"jobs: verb '%1': unknown; expected gapless %2"_s.arg(args.constFirst(),
                                                                                                    kSynopsis)),
                            ExitUsage);
    return runList(ctx, args);
}

} // namespace gapless::app
