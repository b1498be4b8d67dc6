#include "app/commands/servecommand.h"

#include "app/exitcode.h"
#include "app/signalwatcher.h"
#include "app/storeaccess.h"
#include "core/protocol/marketserver.h"
#include "core/runtime/core.h"
#include "core/runtime/sectionsettings.h"
#include "core/sources/binance/exchangetimeclock.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

// Long enough for the close frames to leave, short enough for a service manager.
constexpr int kShutdownGraceMs = 2000;
// How long serve waits for the exchange's first /time reply before it starts on the local clock.
constexpr int kFirstSyncWaitMs = 10000;

// SRC-3 `source.clock = exchange`: the core runs on xnow of the spot REST host, once its first
// /time reply came (or, after kFirstSyncWaitMs, on the local clock until one comes, D-BF-11).
std::unique_ptr<sources::ExchangeTimeClock> exchangeClock(const CommandContext &ctx)
{
    const SourceSettings source = SourceSettings::from(ctx.settings);
    if (source.clock != SourceSettings::Clock::Exchange)
        return nullptr;
    auto clock = std::make_unique<sources::ExchangeTimeClock>(ctx.clock, source.binanceSpotRest, false);
    QEventLoop loop;
    QObject::connect(clock.get(), &sources::ExchangeTimeClock::synced, &loop, &QEventLoop::quit);
    QTimer::singleShot(kFirstSyncWaitMs, &loop, &QEventLoop::quit);
    clock->start();
    loop.exec();
    if (!clock->isSynced())
        ctx.out.warning(u"gapless: warning: source.clock = exchange: no reply from %1 within %2 ms; the local clock "
                        u"stands in until one comes"_s.arg(clock->timeUrl().toString())
                            .arg(kFirstSyncWaitMs));
    return clock;
}

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

    const auto exchange = exchangeClock(ctx);
    Core core(ctx.settings, exchange ? static_cast<const Clock &>(*exchange) : ctx.clock, target->url, target->options);
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
