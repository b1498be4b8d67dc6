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
            flags.append(settingRowJson(row));
        ctx.out.document(QJsonObject{{u"flags"_s, flags}});
        return ExitOk;
    }
    for (const SettingRow &row : rows)
        ctx.out.line(u"%1\t%2\t%3"_s.arg(row.key, row.value, settingSourceName(row.source)));
    return ExitOk;
}

} // namespace gapless::app
