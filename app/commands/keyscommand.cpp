#include "app/commands/keyscommand.h"

#include "app/commandline.h"
#include "app/commands/jobscommandledger.h"
#include "app/storeaccess.h"
#include "core/jobs/idempotencystore.h"
#include "core/runtime/sectionsettings.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kListSynopsis = u"keys list [--state in_progress|succeeded|failed] [--limit N]"_s;
const QString kSynopsis = kListSynopsis + u" | keys delete KEY"_s;

QString isoMs(std::optional<qint64> ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s) : u"-"_s;
}

QString textLine(const jobs::KeyRow &k)
{
    const QString error = k.errorCode.isEmpty() ? u"-"_s : u"%1: %2"_s.arg(k.errorCode, k.errorMessage.simplified());
    return QStringList{k.key, k.command, k.state, k.jobId ? QString::number(*k.jobId) : u"-"_s, isoMs(k.createdAtMs),
                       isoMs(k.expiresAtMs), error}
        .join(u'\t');
}

int runList(const CommandContext &ctx, const QStringList &arguments)
{
    CommandLine cl(u"keys list"_s, kListSynopsis);
    cl.addOption({u"state"_s}, u"Only keys in this state"_s, u"STATE"_s);
    cl.addOption({u"limit"_s}, u"At most N keys, newest first (default 100)"_s, u"N"_s);
    if (auto ok = cl.parse(arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    if (!cl.positional().isEmpty())
        return ctx.out.fail(cl.usage(u"unexpected argument '%1'"_s.arg(cl.positional().constFirst())), ExitUsage);
    const QString state = cl.value(u"state"_s);
    if (cl.isSet(u"state"_s) && !QStringList{u"in_progress"_s, u"succeeded"_s, u"failed"_s}.contains(state))
        return ctx.out.fail(Error::badRequest(u"keys list: --state '%1': expected in_progress, succeeded or failed"_s
                                                  .arg(state)),
                            ExitUsage);
    int limit = 100;
    if (cl.isSet(u"limit"_s)) {
        bool ok = false;
        limit = cl.value(u"limit"_s).toInt(&ok);
        if (!ok || limit < 1 || limit > 1000)
            return ctx.out.fail(Error::badRequest(u"keys list: --limit '%1': expected an integer in [1, 1000]"_s.arg(
                                    cl.value(u"limit"_s))),
                                ExitUsage);
    }
    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);
    jobs::IdempotencyStore keys(**store, ctx.clock, RuntimeSettings::from(ctx.settings).nodeId,
                                RepairSettings::from(ctx.settings).idempotencyTtlS);
    auto rows = keys.list(state, limit);
    if (!rows)
        return ctx.out.fail(rows.error(), ExitFailure);
    const bool hasMore = rows->size() > limit;
    if (hasMore)
        rows->removeLast();
    if (ctx.out.json()) {
        QJsonArray items;
        for (const jobs::KeyRow &k : std::as_const(*rows))
            items.append(k.toJson());
        ctx.out.document(QJsonObject{{u"items"_s, items}, {u"has_more"_s, hasMore}});
        return ExitOk;
    }
    ctx.out.line(u"key\tcommand\tstate\tjob_id\tcreated\texpires\terror"_s);
    for (const jobs::KeyRow &k : std::as_const(*rows))
        ctx.out.line(textLine(k));
    if (hasMore)
        ctx.out.warning(u"gapless: warning: showing the newest %1 keys; more match (raise --limit)"_s.arg(limit));
    return ExitOk;
}

int runDelete(const CommandContext &ctx, const QStringList &args)
{
    if (args.size() != 1)
        return ctx.out.fail(Error::badRequest(u"keys delete: %1 arguments; expected gapless keys delete KEY"_s.arg(
                                args.size())),
                            ExitUsage);
    const QString key = args.constFirst();
    if (auto ok = jobs::checkKey(key); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    const auto answer = onLedger(ctx, [key](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto ok = l.keys().remove(key);
        if (!ok)
            return ok.error();
        return QJsonValue(QJsonObject{{u"key"_s, key}, {u"deleted"_s, true}});
    });
    if (!answer)
        return ctx.out.fail(answer.error(), ExitFailure);
    if (ctx.out.json())
        ctx.out.document(answer->toObject());
    else
        ctx.out.line(u"key %1: deleted"_s.arg(key));
    return ExitOk;
}

} // namespace

int runKeys(const CommandContext &ctx)
{
    const QStringList &args = ctx.options.arguments;
    const QString verb = args.value(0);
    if (verb == u"list"_s)
        return runList(ctx, args.mid(1));
    if (verb == u"delete"_s)
        return runDelete(ctx, args.mid(1));
    return ctx.out.fail(Error::badRequest(u"keys: %1; expected gapless %2"_s.arg(
                            verb.isEmpty() ? u"missing verb"_s : u"verb '%1': unknown"_s.arg(verb), kSynopsis)),
                        ExitUsage);
}

} // namespace gapless::app
