#include "app/commands/flagscommand.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

int runFlags(const CommandContext &ctx)
{
    if (!ctx.options.arguments.isEmpty())
        return ctx.out.fail(Error::badRequest(u"flags: unexpected argument '%1'; expected gapless flags [--json]"_s.arg(
                                ctx.options.arguments.constFirst())),
                            ExitUsage);
    const QList<SettingRow> rows = ctx.settings.rows();
    if (ctx.options.json) {
        QJsonArray flags;
        for (const SettingRow &row : rows)
            flags.append(QJsonObject{{u"key"_s, row.key},
                                     {u"value"_s, row.value},
                                     {u"default"_s, row.defaultValue},
                                     {u"source"_s, settingSourceName(row.source)},
                                     {u"rt"_s, row.runtime}});
        ctx.out.document(QJsonObject{{u"flags"_s, flags}});
        return ExitOk;
    }
    for (const SettingRow &row : rows)
        ctx.out.line(u"%1\t%2\t%3"_s.arg(row.key, row.value, settingSourceName(row.source)));
    return ExitOk;
}

} // namespace gapless::app
