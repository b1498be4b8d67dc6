#include "app/cli.h"

#include "app/commandcontext.h"
#include "app/commands/backfillcommand.h"
#include "app/commands/democommand.h"
#include "app/commands/errorscommand.h"
#include "app/commands/jobscommand.h"
#include "app/commands/keyscommand.h"
#include "app/commands/exportcommand.h"
#include "app/commands/flagscommand.h"
#include "app/commands/gapscommand.h"
#include "app/commands/importcommand.h"
#include "app/commands/repaircommand.h"
#include "app/commands/replayexchangecommand.h"
#include "app/commands/reviewcommand.h"
#include "app/commands/servecommand.h"
#include "app/commands/verifycommand.h"
#include "core/protocol/protocolversion.h"
#include "core/store/migrations.h"
#include "core/version.h"

#include <QTextStream>

#include <array>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

struct CommandInfo
{
    QStringView name;
    QStringView synopsis;
    QStringView summary;
    int (*run)(const CommandContext &);
};

constexpr std::array<CommandInfo, 14> kCommands{{
    {u"import", u"import FILE --series ID [--format csv|freqtrade] [--strict] [--reject-anomalies]",
     u"Validate a candle file and store its rows", runImport},
    {u"export", u"export --series ID [--from T] [--to T] [--timeframe TF] [--format csv|freqtrade] [-o FILE]",
     u"Write a stored series (or its roll-up) as CSV or freqtrade JSON", runExport},
    {u"gaps", u"gaps (--series ID | FILE --timeframe TF) [--from T] [--to T] [--anomalies]",
     u"List every hole (and anomaly) of a stored series or a file", runGaps},
    {u"flags", u"flags", u"Show every setting, its value and where it came from", runFlags},
    {u"errors", u"errors list [--series ID] [--status open|retried|resolved|all] [--limit N] | errors retry ID",
     u"List journalled ingest failures, newest first; retry one", runErrors},
    {u"jobs", u"jobs [--all] [--limit N] | jobs cancel ID", u"List queued and running jobs (all with --all); cancel one",
     runJobs},
    {u"keys", u"keys list [--state in_progress|succeeded|failed] [--limit N] | keys delete KEY",
     u"List idempotency keys, newest first; delete one", runKeys},
    {u"backfill", u"backfill --series ID [--from T] [--to T]",
     u"Fill a range of a series from files, the 1m roll-up and Binance REST", runBackfill},
    {u"verify", u"verify --series ID --from T --to T [--source exchange|file:PATH]",
     u"Compare a stored range with the exchange or a file by daily checksums", runVerify},
    {u"repair",
     u"repair (--series ID --from T --to T [--source S] | --verify-job ID) [--policy source-wins|local-wins|manual-review]",
     u"Write only the rows that differ from the source, under a conflict policy", runRepair},
    {u"review", u"review list [--series ID] [--state S] [--after-id N] [--limit N] | review resolve ID... "
                u"accept-source|keep-local",
     u"List the review queue; accept the source's row or keep the local one", runReview},
    {u"demo", u"demo --headless [--data CSV] [--speed X] [--outage-every D] [--outage-for D] [--duration D]",
     u"Replay real bars through a local exchange with outages into a core; print what it does", runDemo},
    {u"serve", u"serve [--listen HOST:PORT] [--token T] [--node-id N]",
     u"Run the core headless and answer market-protocol clients on ws://HOST:PORT/ws/market", runServe},
    {u"replay-exchange",
     u"replay-exchange --data CSV[:SYMBOL]... [--listen 127.0.0.1:PORT] [--speed X] [--faults SPEC] "
     u"[--time-mode contiguous|shift] [--seed N]",
     u"Serve 1m CSV tapes as a local Binance spot and futures exchange, with faults on demand", runReplayExchange},
}};

const CommandInfo *findCommand(const QString &name)
{
    for (const CommandInfo &info : kCommands) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

} // namespace

QString commandNames()
{
    QStringList names;
    for (const CommandInfo &info : kCommands)
        names << info.name.toString();
    return names.join(u", "_s);
}

void printVersion()
{
    QTextStream(stdout) << "gapless " << kVersion << "\n"
                        << "git " << kGitSha << "\n"
                        << "Qt " << qVersion() << "\n"
                        << "protocol " << protocol::kProtocolVersion << " (min " << protocol::kMinProtocolVersion << ")\n"
                        << "schema " << store::migrations().constLast().version << "\n";
}

void printHelp()
{
    QTextStream out(stdout);
    out << "Usage: gapless [GLOBAL OPTIONS] [SUBCOMMAND] [OPTIONS]\n\n"
        << "Without a subcommand gapless opens the chart window (CLI-5):\n"
        << "  gapless [--db URL | --connect ws://HOST:PORT] [--token T]\n"
        << "          [--screenshot FILE [--size WxH] [--panel main|health|compensation|progress|gaps|review|jobs|flags]]\n"
        << "\nSubcommands:\n";
    for (const CommandInfo &info : kCommands)
        out << "  " << info.synopsis.toString() << "\n      " << info.summary.toString() << "\n";
    out << "\nGlobal options (before or after the subcommand):\n"
        << "  --db URL             store: a SQLite path, sqlite:///ABS/PATH or postgresql://USER@HOST[:PORT]/DB\n"
        << "  --config FILE        settings file (default: <config dir>/gapless.ini)\n"
        << "  --set KEY=VALUE      override one setting (repeatable); see `gapless flags`\n"
        << "  --json               one JSON document on stdout\n"
        << "  --no-progress        no progress bar\n"
        << "  --idempotency-key K  the key of a job subcommand's run (default: a new UUID); the same\n"
        << "                       key again replays the first run's result (IDEM-2, IDEM-8)\n"
        << "  --version, --help\n"
        << "\nbackfill, verify, repair and review resolve run as jobs in this process on --db, or in a\n"
        << "running core with --connect ws://HOST:PORT [--token T]; import and errors retry do so with\n"
        << "--connect or --idempotency-key (CLI-14).\n"
        << "\nExit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 done with problems reported.\n";
}

int runCommand(const GlobalOptions &options)
{
    const Output out(options.json);
    const CommandInfo *command = findCommand(options.subcommand);
    if (!command)
        return out.fail(Error::badRequest(u"subcommand '%1': unknown; expected one of %2"_s.arg(options.subcommand,
                                                                                                commandNames())),
                        ExitUsage);
    SettingsSources sources;
    sources.profile = options.subcommand == "serve"_L1 ? SettingsProfile::Serve : SettingsProfile::Embedded;
    sources.configFile = options.configFile;
    sources.environment = Settings::systemEnvironment();
    sources.cli = options.settings;
    auto settings = Settings::load(sources);
    if (!settings)
        return out.fail(settings.error(), ExitUsage);
    for (const QString &warning : settings->warnings())
        out.warning(u"gapless: warning: "_s + warning);
    const SystemClock clock;
    const CommandContext ctx{options, *settings, out, clock};
    return command->run(ctx);
}

} // namespace gapless::app
