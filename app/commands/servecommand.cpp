#include "app/commands/servecommand.h"

#include "app/exitcode.h"
#include "app/signalwatcher.h"
#include "app/storeaccess.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/core.h"
#include "core/runtime/sectionsettings.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

// Long enough for the close frames to leave, short enough for a service manager.
constexpr int kShutdownGraceMs = 2000;

} // namespace

int runServe(const CommandContext &ctx)
{
    if (!ctx.options.arguments.isEmpty())
        return ctx.out.fail(Error::badRequest(u"serve: unexpected argument '%1'; expected gapless serve [--listen "
                                              u"HOST:PORT] [--token T] [--node-id N]"_s.arg(
                                                  ctx.options.arguments.constFirst())),
                            ExitUsage);
    if (auto access = ServerSettings::from(ctx.settings).checkAccess(); !access)
        return ctx.out.fail(access.error(), ExitUsage);
    auto target = storeTarget(ctx, false);
    if (!target)
        return ctx.out.fail(target.error(), ExitUsage);

    Core core(ctx.settings, ctx.clock, target->url, target->options);
    SignalWatcher watcher;
    int exitCode = ExitOk;
    QObject::connect(&core, &Core::started, &core, [&](const QUrl &url) {
        if (ctx.options.json)
            ctx.out.document(QJsonObject{{u"url"_s, url.toString()}});
        else
            ctx.out.line(u"listening on %1"_s.arg(url.toString()));
    });
    QObject::connect(&core, &Core::startFailed, &core, [&](const Error &error) {
        exitCode = ctx.out.fail(error, ExitFailure);
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&watcher, &SignalWatcher::signalled, &core, [&](int number) {
        exitCode = number == SIGINT ? ExitInterrupted : ExitOk;
        protocol::MarketServer *server = core.server();
        if (!server || server->connectionCount() == 0) {
            QCoreApplication::exit(exitCode);
            return;
        }
        QObject::connect(server, &protocol::MarketServer::connectionCountChanged, &core, [&](int count) {
            if (count == 0)
                QCoreApplication::exit(exitCode);
        });
        server->shutdown();
        QTimer::singleShot(kShutdownGraceMs, &core, [&] { QCoreApplication::exit(exitCode); });
    });
    core.start();
    return QCoreApplication::exec();
}

} // namespace gapless::app
