#include "app/commands/democommand.h"

#include "app/commandline.h"
#include "app/exitcode.h"
#include "app/signalwatcher.h"
#include "core/backfill/healthmonitor.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/core.h"
#include "core/runtime/livejobs.h"
#include "core/sources/replay/replayexchange.h"
#include "core/sources/replay/replayfaultspec.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"demo [--headless] [--data CSV] [--speed X] [--outage-every D] [--outage-for D] "
                          u"[--duration D] [--db URL]"_s;
const QString kSymbol = u"DEMOUSDT"_s;
const QStringList kSeries{u"binance:spot:DEMO/USDT:1m"_s, u"binance:spot:DEMO/USDT:5m"_s,
                          u"binance:spot:DEMO/USDT:15m"_s, u"binance:spot:DEMO/USDT:1h"_s};

/// The bundled sample: beside the installed binary, else in the source tree it was built from.
QString defaultData()
{
    const QString installed = QCoreApplication::applicationDirPath() + u"/../share/gapless/data/sse_000001_1m.csv"_s;
    if (QFileInfo::exists(installed))
        return QDir::cleanPath(installed);
    return QStringLiteral(GAPLESS_SOURCE_DATA_DIR) + u"/sse_000001_1m.csv"_s;
}

Result<qint64> durationOption(const CommandLine &line, const QString &name, qint64 fallbackMs)
{
    if (!line.isSet(name))
        return fallbackMs;
    auto ms = sources::parseReplayDuration(line.value(name));
    if (!ms)
        return Error::badRequest(u"--%1 '%2': %3"_s.arg(name, line.value(name), ms.error().message));
    return *ms;
}

void event(const CommandContext &ctx, const Clock &clock, const QString &name, const QString &detail)
{
    const QString iso = QDateTime::fromMSecsSinceEpoch(clock.nowMs(), Qt::UTC).toString(Qt::ISODate);
    ctx.out.line(u"%1 %2 %3"_s.arg(iso, name, detail));
}

/// The demo's own settings: the user's, then the replay's URLs, the sync series and the store.
Result<Settings> demoSettings(const CommandContext &ctx, const QUrl &replay, const QString &db)
{
    SettingsSources sources;
    sources.configFile = ctx.options.configFile;
    sources.environment = Settings::systemEnvironment();
    sources.cli = ctx.options.settings;
    QString ws = replay.toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    const QStringList pairs{u"source.binance_spot_rest="_s + replay.toString(), u"source.binance_spot_ws="_s + ws,
                            u"sync.series="_s + kSeries.join(u','), u"store.url="_s + db};
    for (const QString &pair : pairs)
        sources.cli.append({u"--set"_s, pair});
    return Settings::load(sources);
}

void printEvents(const CommandContext &ctx, const Clock &clock, Core &core, sources::ReplayExchange &replay)
{
    QObject::connect(&replay, &sources::ReplayExchange::streamClosed, &core,
                     [&](const QString &symbol) { event(ctx, clock, u"outage"_s, u"stream %1 closed"_s.arg(symbol)); });
    QObject::connect(core.liveJobs(), &LiveJobs::jobStateChanged, &core, [&](const SeriesId &s, const QString &state) {
        event(ctx, clock, u"stream"_s, u"%1 %2"_s.arg(s.toString(), state));
    });
    QObject::connect(core.writer(), &ingest::IngestWriter::candlesCommitted, &core,
                     [&](const SeriesId &s, const CandleList &candles) {
                         event(ctx, clock, u"stored"_s, u"%1 %2 bar(s) up to %3"_s.arg(s.toString())
                                                            .arg(candles.size())
                                                            .arg(QDateTime::fromSecsSinceEpoch(candles.constLast().time,
                                                                                               Qt::UTC)
                                                                     .toString(Qt::ISODate)));
                     });
    auto *last = new QHash<QString, QString>;
    QObject::connect(&core, &QObject::destroyed, [last] { delete last; });
    QObject::connect(core.health(), &backfill::HealthMonitor::healthChanged, &core,
                     [&ctx, &clock, last](const SeriesId &s, const QJsonObject &f) {
                         const QString lamp = f.value("lamp"_L1).toString() + u' ' + f.value("reason"_L1).toString();
                         if (last->value(s.toString()) == lamp)
                             return;
                         last->insert(s.toString(), lamp);
                         event(ctx, clock, u"health"_s, u"%1 %2 lag=%3"_s.arg(s.toString(), lamp)
                                                            .arg(f.value("lag_candles"_L1).toInteger()));
                     });
}

} // namespace

int runDemo(const CommandContext &ctx)
{
    CommandLine line(u"demo"_s, kSynopsis);
    line.addOption({u"headless"_s}, u"Print the events instead of opening the window"_s);
    line.addOption({u"data"_s}, u"A 1m CSV tape (default: the bundled sample)"_s, u"CSV"_s);
    line.addOption({u"speed"_s}, u"Virtual time per wall time (default 10)"_s, u"X"_s);
    line.addOption({u"outage-every"_s}, u"Wall time between stream outages (default 60s)"_s, u"D"_s);
    line.addOption({u"outage-for"_s}, u"Length of each outage (default 20s)"_s, u"D"_s);
    line.addOption({u"duration"_s}, u"Stop after this wall time (default: until interrupted)"_s, u"D"_s);
    if (auto parsed = line.parse(ctx.options.arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    if (!line.positional().isEmpty())
        return ctx.out.fail(line.usage(u"unexpected argument '%1'"_s.arg(line.positional().constFirst())), ExitUsage);
    if (!line.isSet(u"headless"_s)) {
#ifdef GAPLESS_WITH_UI
        return ctx.out.fail(line.usage(u"the window takes no demo options; expected --headless with them, or "
                                       u"`gapless demo` alone"_s),
                            ExitUsage);
#else
        return ctx.out.fail(line.usage(u"this build has no window; expected --headless"_s), ExitUsage);
#endif
    }
    bool speedOk = true;
    const double speed = line.isSet(u"speed"_s) ? line.value(u"speed"_s).toDouble(&speedOk) : 10.0;
    if (!speedOk || !(speed > 0) || speed > 3600)
        return ctx.out.fail(line.usage(u"--speed '%1': expected a number above 0 and at most 3600"_s.arg(
                                line.value(u"speed"_s))),
                            ExitUsage);
    const auto every = durationOption(line, u"outage-every"_s, 60000);
    const auto length = durationOption(line, u"outage-for"_s, 20000);
    const auto duration = durationOption(line, u"duration"_s, -1);
    for (const auto *d : {&every, &length, &duration}) {
        if (!*d)
            return ctx.out.fail(d->error(), ExitUsage);
    }
    const QString data = line.isSet(u"data"_s) ? line.value(u"data"_s) : defaultData();
    auto rows = sources::ReplayTape::readCsv(data);
    if (!rows)
        return ctx.out.fail(rows.error(), ExitUsage);

    sources::ReplayOptions options;
    options.speed = speed;
    auto faults = sources::parseReplayFaults(
        u"disconnect:every=%1ms,for=%2ms"_s.arg(*every).arg(*length), u"--outage-every/--outage-for"_s);
    if (!faults)
        return ctx.out.fail(faults.error(), ExitUsage);
    options.faults = *faults;
    sources::ReplayExchange replay(ctx.clock, {{kSymbol, *rows}}, options);
    const auto replayUrl = replay.listen();
    if (!replayUrl)
        return ctx.out.fail(replayUrl.error(), ExitFailure);

    QTemporaryDir tmp;
    bool userDb = false;
    for (const CliSetting &s : ctx.options.settings)
        userDb = userDb || s.option == "--db"_L1;
    const QString db = userDb ? ctx.settings.stringValue(u"store.url") : tmp.filePath(u"demo.db"_s);
    auto settings = demoSettings(ctx, *replayUrl, db);
    if (!settings)
        return ctx.out.fail(settings.error(), ExitUsage);
    auto url = store::StoreUrl::parse(db);
    if (!url)
        return ctx.out.fail(url.error(), ExitUsage);
    // source.clock = exchange: the core runs on the replay's virtual time.
    Core core(*settings, replay.clock(), *url, {});
    int exitCode = ExitOk;
    QObject::connect(&core, &Core::startFailed, &core, [&](const Error &e) {
        exitCode = ctx.out.fail(e, ExitFailure);
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&core, &Core::started, &core, [&](const QUrl &serverUrl) {
        event(ctx, replay.clock(), u"listening"_s, serverUrl.toString());
        event(ctx, replay.clock(), u"replay"_s, u"%1 at %2x, outage %3 ms every %4 ms"_s.arg(replayUrl->toString())
                                                      .arg(speed)
                                                      .arg(*length)
                                                      .arg(*every));
        printEvents(ctx, replay.clock(), core, replay);
    });
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::signalled, &core, [&](int number) {
        exitCode = number == SIGINT ? ExitInterrupted : ExitOk;
        QCoreApplication::exit(exitCode);
    });
    if (*duration >= 0)
        QTimer::singleShot(*duration, &core, [] { QCoreApplication::exit(ExitOk); });
    core.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace gapless::app
