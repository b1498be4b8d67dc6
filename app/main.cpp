#include "app/cli.h"
#include "app/exitcode.h"
#include "app/globaloptions.h"
#include "app/output.h"
#include "core/version.h"

#include <QCoreApplication>

#ifdef GAPLESS_WITH_UI
#include "app/guimain.h"
#endif

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QStringList arguments(int argc, char *argv[])
{
    QStringList list;
    for (int i = 1; i < argc; ++i)
        list << QString::fromLocal8Bit(argv[i]);
    return list;
}

void exitOnInterrupt(int)
{
    std::_Exit(gapless::app::ExitInterrupted); // CLI-2: 130 on SIGINT
}

} // namespace

int main(int argc, char *argv[])
{
    using namespace gapless::app;
    QCoreApplication::setApplicationName(u"gapless"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(gapless::kVersion));

    auto options = extractGlobalOptions(arguments(argc, argv));
    if (!options)
        return Output(false).fail(options.error(), ExitUsage);
    if (options->version) {
        printVersion();
        return ExitOk;
    }
    if (options->help) {
        printHelp();
        return ExitOk;
    }
#ifdef GAPLESS_WITH_UI
    // BF-24: a bare `gapless demo` opens the window on the demo; its options need --headless.
    if (options->subcommand == "demo"_L1 && options->arguments.isEmpty() && options->guiOptions.isEmpty())
        return runGui(*options, argc, argv, true);
#endif
    if (!options->subcommand.isEmpty()) {
        std::signal(SIGINT, exitOnInterrupt);
        QCoreApplication app(argc, argv);
        return runCommand(*options);
    }
#ifdef GAPLESS_WITH_UI
    return runGui(*options, argc, argv);
#else
    return Output(options->json)
        .fail(gapless::Error::badRequest(u"no subcommand; expected one of %1 (this build has no user interface)"_s.arg(
                  commandNames())),
              ExitUsage);
#endif
}
