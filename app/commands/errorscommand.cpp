#include "app/commands/errorscommand.h"

#include "app/commandline.h"
#include "app/commands/errorsretry.h"
#include "app/storeaccess.h"
#include "core/domain/seriesid.h"
#include "core/ingest/errorjournal.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kListSynopsis = u"errors list [--series ID] [--status open|retried|resolved|all] [--limit N]"_s;
const QString kSynopsis = kListSynopsis + u" | errors retry ID"_s;

QString isoMs(qint64 ms)
{
    // C-2's ISO twin has whole seconds; the exact at_ms is in --json.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

// One TAB-separated line per row: control characters in the message would break it.
QString oneLine(QString text)
{
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    return text;
}

QString textLine(const ingest::JournalEntry &e)
{
    const QString range = e.firstTime && e.lastTime ? u"[%1..%2]"_s.arg(*e.firstTime).arg(*e.lastTime) : u"-"_s;
    return QStringList{QString::number(e.id), isoMs(e.atMs), e.source, e.step, e.seriesId, range,
                       u"%1 candles"_s.arg(e.candleCount), e.status, oneLine(e.message)}
        .join(u'\t');
}

Result<ingest::JournalFilter> parseFilter(const CommandLine &cl)
{
    ingest::JournalFilter filter;
    if (cl.isSet(u"series"_s)) {
        auto series = SeriesId::parse(cl.value(u"series"_s));
        if (!series)
            return series.error();
        filter.seriesId = series->toString();
    }
    if (cl.isSet(u"status"_s))
        filter.status = cl.value(u"status"_s);
    if (cl.isSet(u"limit"_s)) {
        bool ok = false;
        const QString text = cl.value(u"limit"_s);
        filter.limit = text.toInt(&ok);
        if (!ok)
            return Error::badRequest(u"errors list: --limit '%1': not an integer; expected an integer in [1, %2]"_s
                                         .arg(text)
                                         .arg(ingest::JournalFilter::kMaxListLimit));
    }
    if (auto ok = ingest::checkJournalFilter(filter); !ok)
        return Error::badRequest(u"errors list: --"_s + ok.error().message);
    return filter;
}

int runList(const CommandContext &ctx, const QStringList &arguments)
{
    CommandLine cl(u"errors list"_s, kListSynopsis);
    cl.addOption({u"series"_s}, u"Only this series"_s, u"ID"_s);
    cl.addOption({u"status"_s}, u"open (default), retried, resolved or all"_s, u"STATUS"_s);
    cl.addOption({u"limit"_s}, u"At most N rows, newest first (default 100)"_s, u"N"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (!cl.positional().isEmpty())
        return ctx.out.fail(cl.usage(u"unexpected argument '%1'"_s.arg(cl.positional().constFirst())), ExitUsage);
    auto filter = parseFilter(cl);
    if (!filter)
        return ctx.out.fail(filter.error(), ExitUsage);

    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);
    ingest::ErrorJournal journal(**store);
    auto entries = journal.list(*filter);
    if (!entries)
        return ctx.out.fail(entries.error(), ExitFailure);
    // Whether rows remain beyond the limit: one more look past the last row listed.
    bool hasMore = false;
    if (entries->size() == filter->limit) {
        ingest::JournalFilter next = *filter;
        next.limit = 1;
        next.beforeId = entries->constLast().id;
        auto more = journal.list(next);
        if (!more)
            return ctx.out.fail(more.error(), ExitFailure);
        hasMore = !more->isEmpty();
    }

    if (ctx.out.json()) {
        QJsonArray items;
        for (const ingest::JournalEntry &e : std::as_const(*entries))
            items.append(e.toJson(false));
        ctx.out.document(QJsonObject{{u"items"_s, items}, {u"has_more"_s, hasMore}});
        return ExitOk;
    }
    ctx.out.line(u"id\tat\tsource\tstep\tseries_id\trange\tcandles\tstatus\tmessage"_s);
    for (const ingest::JournalEntry &e : std::as_const(*entries))
        ctx.out.line(textLine(e));
    if (hasMore)
        ctx.out.warning(u"gapless: warning: showing the newest %1 rows; more match (raise --limit)"_s.arg(filter->limit));
    return ExitOk;
}

} // namespace

int runErrors(const CommandContext &ctx)
{
    // The verb comes first among the subcommand's own arguments (global options are gone by now).
    const QStringList &args = ctx.options.arguments;
    const QString verb = args.value(0);
    const auto usage = [&](const QString &problem) {
        return ctx.out.fail(Error::badRequest(u"errors: %1; expected gapless %2"_s.arg(problem, kSynopsis)),
                            ExitUsage);
    };
    if (verb.isEmpty() || verb.startsWith(u'-'))
        return usage(u"missing verb"_s);
    if (verb == u"list"_s)
        return runList(ctx, args.mid(1));
    if (verb == u"retry"_s)
        return runErrorsRetry(ctx, args.mid(1));
    return usage(u"verb '%1': unknown"_s.arg(verb));
}

} // namespace gapless::app
