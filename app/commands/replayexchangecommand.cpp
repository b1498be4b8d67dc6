#include "app/commands/replayexchangecommand.h"

#include "app/commandline.h"
#include "app/exitcode.h"
#include "app/signalwatcher.h"
#include "core/runtime/settingvalue.h"
#include "core/sources/replay/replayexchange.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <csignal>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

using sources::ReplayOptions;
using sources::ReplaySymbol;

const QString kSynopsis = u"replay-exchange --data CSV[:SYMBOL]... [--listen 127.0.0.1:PORT] [--speed X] "
                          u"[--faults SPEC] [--time-mode contiguous|shift] [--seed N]"_s;
constexpr double kMaxSpeed = 3600;
// Long enough for the close frames to leave, short enough for a service manager.
constexpr int kShutdownGraceMs = 2000;

/// `CSV[:SYMBOL]`: SYMBOL is the text after the last `:` when it is `[A-Z0-9]+` (SRC-14).
std::pair<QString, QString> splitData(const QString &argument)
{
    const qsizetype colon = argument.lastIndexOf(u':');
    if (colon > 0) {
        const QString symbol = argument.mid(colon + 1);
        const bool valid = !symbol.isEmpty() && std::all_of(symbol.cbegin(), symbol.cend(), [](QChar c) {
            return (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        });
        if (valid)
            return {argument.left(colon), symbol};
    }
    return {argument, u"DEMOUSDT"_s};
}

Result<QList<ReplaySymbol>> readTapes(const QStringList &arguments)
{
    QList<ReplaySymbol> symbols;
    for (const QString &argument : arguments) {
        const auto [path, symbol] = splitData(argument);
        for (const ReplaySymbol &s : std::as_const(symbols)) {
            if (s.symbol == symbol)
                return Error::badRequest(u"--data %1: symbol %2 is given twice; expected one CSV per symbol (add "
                                         u":SYMBOL)"_s.arg(argument, symbol));
        }
        Result<CandleList> rows = sources::ReplayTape::readCsv(path);
        if (!rows)
            return rows.error();
        symbols.append({symbol, std::move(*rows)});
    }
    return symbols;
}

/// The last `--listen` given (a global option, CFG-2), which must be loopback.
Result<quint16> listenPort(const CommandContext &ctx)
{
    QString text;
    for (const CliSetting &setting : ctx.options.settings) {
        if (setting.option == "--listen"_L1)
            text = setting.text;
    }
    if (text.isEmpty())
        return quint16(0);
    const std::optional<HostPort> hp = parseHostPort(text);
    if (!hp)
        return Error::badRequest(u"--listen '%1': not HOST:PORT; expected 127.0.0.1:PORT"_s.arg(text));
    if (hp->host != "127.0.0.1"_L1 && hp->host != "localhost"_L1)
        return Error::badRequest(u"--listen %1: not loopback; expected 127.0.0.1:PORT"_s.arg(text));
    return hp->port;
}

Result<ReplayOptions> readOptions(const CommandLine &line, const CommandContext &ctx)
{
    ReplayOptions options;
    const Result<quint16> port = listenPort(ctx);
    if (!port)
        return port.error();
    options.port = *port;
    if (line.isSet(u"speed"_s)) {
        bool ok = false;
        options.speed = line.value(u"speed"_s).toDouble(&ok);
        if (!ok || !(options.speed > 0) || options.speed > kMaxSpeed)
            return Error::badRequest(u"--speed '%1': not a speed; expected a number above 0 and at most 3600"_s.arg(
                line.value(u"speed"_s)));
    }
    if (line.isSet(u"time-mode"_s)) {
        const Result<sources::ReplayTimeMode> mode = sources::parseReplayTimeMode(line.value(u"time-mode"_s));
        if (!mode)
            return mode.error();
        options.timeMode = *mode;
    }
    if (line.isSet(u"seed"_s)) {
        bool ok = false;
        options.seed = line.value(u"seed"_s).toULongLong(&ok);
        if (!ok)
            return Error::badRequest(u"--seed '%1': not a seed; expected a whole number >= 0"_s.arg(
                line.value(u"seed"_s)));
    }
    const Result<QList<sources::ReplayFaultItem>> faults
        = sources::parseReplayFaults(line.value(u"faults"_s), u"--faults"_s);
    if (!faults)
        return faults.error();
    options.faults = *faults;
    return options;
}

/// Listens, prints the URL (SRC-14) and runs until SIGINT (130) or SIGTERM (0), letting the
/// streams' close frames leave first.
int serve(const CommandContext &ctx, sources::ReplayExchange &exchange)
{
    const Result<QUrl> url = exchange.listen();
    if (!url)
        return ctx.out.fail(url.error(), ExitFailure);
    if (ctx.options.json)
        ctx.out.document(QJsonObject{{u"url"_s, url->toString()}});
    else
        ctx.out.line(u"listening %1"_s.arg(url->toString()));
    SignalWatcher watcher;
    int exitCode = ExitOk;
    QObject::connect(&watcher, &SignalWatcher::signalled, &exchange, [&](int number) {
        exitCode = number == SIGINT ? ExitInterrupted : ExitOk;
        if (exchange.streamCount() == 0) {
            QCoreApplication::exit(exitCode);
            return;
        }
        QObject::connect(&exchange, &sources::ReplayExchange::streamClosed, &exchange, [&] {
            if (exchange.streamCount() == 0)
                QCoreApplication::exit(exitCode);
        });
        exchange.close();
        QTimer::singleShot(kShutdownGraceMs, &exchange, [&] { QCoreApplication::exit(exitCode); });
    });
    QCoreApplication::exec();
    return exitCode;
}

} // namespace

int runReplayExchange(const CommandContext &ctx)
{
    CommandLine line(u"replay-exchange"_s, kSynopsis);
    line.addOption({u"data"_s}, u"A 1m CSV tape, optionally :SYMBOL (repeatable)"_s, u"CSV[:SYMBOL]"_s);
    line.addOption({u"speed"_s}, u"Virtual time per wall time"_s, u"X"_s);
    line.addOption({u"faults"_s}, u"Faults to inject"_s, u"SPEC"_s);
    line.addOption({u"time-mode"_s}, u"contiguous or shift"_s, u"MODE"_s);
    line.addOption({u"seed"_s}, u"Seed of the random faults"_s, u"N"_s);
    if (auto parsed = line.parse(ctx.options.arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    if (!line.positional().isEmpty())
        return ctx.out.fail(line.usage(u"unexpected argument '%1'"_s.arg(line.positional().constFirst())), ExitUsage);
    if (line.values(u"data"_s).isEmpty())
        return ctx.out.fail(line.usage(u"missing --data"_s), ExitUsage);
    const Result<ReplayOptions> options = readOptions(line, ctx);
    if (!options)
        return ctx.out.fail(options.error(), ExitUsage);
    const Result<QList<ReplaySymbol>> symbols = readTapes(line.values(u"data"_s));
    if (!symbols)
        return ctx.out.fail(symbols.error(), ExitUsage);

    sources::ReplayExchange exchange(ctx.clock, *symbols, *options);
    return serve(ctx, exchange);
}

} // namespace gapless::app
