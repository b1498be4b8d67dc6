#include "app/commands/reviewcommand.h"

#include "app/commandline.h"
#include "app/commands/verifycommand.h"
#include "app/exitcode.h"
#include "app/jobrunner.h"
#include "app/storeaccess.h"
#include "core/domain/canonicaljson.h"
#include "core/repair/reviewqueue.h"
#include "core/repair/reviewresolve.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kListSynopsis = u"review list [--series ID] [--state open|accepted_source|kept_local|all] "
                              u"[--after-id N] [--limit N]"_s;
const QString kResolveSynopsis = u"review resolve ID... accept-source|keep-local [--actor A] "
                                 u"[--connect ws://H:P [--token T]]"_s;
const QString kSynopsis = kListSynopsis + u" | "_s + kResolveSynopsis;

Result<qint64> integerOption(const CommandLine &cl, const QString &name, qint64 min, qint64 max, qint64 fallback)
{
    if (!cl.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 v = cl.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max)
        return Error::badRequest(u"review list: --%1 '%2': out of range; expected an integer in [%3, %4]"_s.arg(name)
                                     .arg(cl.value(name))
                                     .arg(min)
                                     .arg(max));
    return v;
}

int runList(const CommandContext &ctx, const QStringList &arguments)
{
    CommandLine cl(u"review list"_s, kListSynopsis);
    cl.addOption({u"series"_s}, u"Only this series"_s, u"ID"_s);
    cl.addOption({u"state"_s}, u"open (default), accepted_source, kept_local or all"_s, u"S"_s);
    cl.addOption({u"after-id"_s}, u"Items with a larger id"_s, u"N"_s);
    cl.addOption({u"limit"_s}, u"At most N items (default 100, at most 1000)"_s, u"N"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (!cl.positional().isEmpty())
        return ctx.out.fail(cl.usage(u"unexpected argument '%1'"_s.arg(cl.positional().constFirst())), ExitUsage);
    repair::ReviewFilter filter;
    if (cl.isSet(u"series"_s)) {
        auto series = SeriesId::parse(cl.value(u"series"_s));
        if (!series)
            return ctx.out.fail(Error::badRequest(u"--series: "_s + series.error().message), ExitUsage);
        filter.seriesId = series->toString();
    }
    if (cl.isSet(u"state"_s)) {
        filter.state = cl.value(u"state"_s);
        if (!QStringList{u"open"_s, u"accepted_source"_s, u"kept_local"_s, u"all"_s}.contains(filter.state))
            return ctx.out.fail(Error::badRequest(u"review list: --state '%1': unknown; expected open, accepted_source, "
                                                  u"kept_local or all"_s.arg(filter.state)),
                                ExitUsage);
    }
    const auto after = integerOption(cl, u"after-id"_s, 0, std::numeric_limits<qint64>::max(), 0);
    const auto limit = integerOption(cl, u"limit"_s, 1, 1000, 100);
    if (!after || !limit)
        return ctx.out.fail(after ? limit.error() : after.error(), ExitUsage);
    filter.afterId = *after;
    filter.limit = *limit;
    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);
    auto items = repair::listReviewItems(**store, filter);
    if (!items)
        return ctx.out.fail(items.error(), ExitFailure);
    if (ctx.options.json) {
        QJsonArray list;
        for (const repair::ReviewItem &item : *items)
            list.append(item.toJson());
        ctx.out.document(QJsonObject{{u"items"_s, list}});
        return ExitOk;
    }
    ctx.out.line(u"id\tseries_id\tcandle_time\tstate\tlocal_json\tsource_json\tresolved_by"_s);
    for (const repair::ReviewItem &item : *items)
        ctx.out.line(QStringList{QString::number(item.id), item.seriesId, QString::number(item.candleTime), item.state,
                                 QString::fromUtf8(canonicalJson(item.local)),
                                 QString::fromUtf8(canonicalJson(item.source)), item.resolvedBy}
                         .join(u'\t'));
    return ExitOk;
}

int runResolve(const CommandContext &ctx, QStringList arguments)
{
    const auto route = takeJobRoute(ctx, &arguments);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    CommandLine cl(u"review resolve"_s, kResolveSynopsis);
    cl.addOption({u"actor"_s}, u"Who resolves (default: cli:$USER)"_s, u"A"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    QStringList words = cl.positional();
    if (words.size() < 2)
        return ctx.out.fail(cl.usage(u"expected at least one ID and an action"_s), ExitUsage);
    const QString actionText = words.takeLast();
    auto action = repair::parseReviewAction(QString(actionText).replace(u'-', u'_'));
    if (!action || actionText.contains(u'_'))
        return ctx.out.fail(cl.usage(u"action '%1': unknown; expected accept-source or keep-local"_s.arg(actionText)),
                            ExitUsage);
    QList<qint64> ids;
    for (const QString &w : words) {
        bool ok = false;
        const qint64 id = w.toLongLong(&ok);
        if (!ok || id <= 0)
            return ctx.out.fail(cl.usage(u"ID '%1': not an item id; expected a positive integer"_s.arg(w)), ExitUsage);
        ids.append(id);
    }
    const QString actor = cl.isSet(u"actor"_s) ? cl.value(u"actor"_s)
                                               : u"cli:"_s + qEnvironmentVariable("USER", u"unknown"_s);
    QJsonArray idList;
    for (const qint64 id : std::as_const(ids))
        idList.append(double(id));
    const QString actionName = *action == repair::ReviewAction::AcceptSource ? u"accept_source"_s : u"keep_local"_s;
    const QJsonObject args{{u"ids"_s, idList}, {u"action"_s, actionName}, {u"actor"_s, actor}};
    PhaseProgress progress(ctx);
    const JobOutcome outcome = runJob(ctx, *route, u"review_resolve"_s, args,
                                      [&progress](const QJsonObject &p) { progress.updateFrom(p); });
    return finishJob(ctx, outcome, [&](const QJsonObject &result) {
        if (ctx.options.json)
            ctx.out.document(result);
        else
            ctx.out.line(u"%1 items %2; %3 rows inserted, %4 updated"_s.arg(ids.size())
                             .arg(*action == repair::ReviewAction::AcceptSource ? u"accepted_source"_s
                                                                                : u"kept_local"_s)
                             .arg(result.value(u"rows_inserted"_s).toInteger())
                             .arg(result.value(u"rows_updated"_s).toInteger()));
        return ExitOk;
    });
}

} // namespace

int runReview(const CommandContext &ctx)
{
    QStringList arguments = ctx.options.arguments;
    const QString sub = arguments.isEmpty() ? QString() : arguments.takeFirst();
    if (sub == u"list"_s)
        return runList(ctx, arguments);
    if (sub == u"resolve"_s)
        return runResolve(ctx, arguments);
    return ctx.out.fail(Error::badRequest(u"review: subcommand '%1': unknown; expected %2"_s.arg(sub, kSynopsis)),
                        ExitUsage);
}

} // namespace gapless::app
