#include "app/guimain.h"

#include "app/commandcontext.h"
#include "app/exitcode.h"
#include "app/guioptions.h"
#include "app/guisession.h"
#include "app/output.h"
#include "app/storeaccess.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QDir>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

/// UI-2: 128 random bits as hex, handed to the embedded core and the client in-process.
QString randomToken()
{
    std::array<quint32, 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    QString token;
    for (const quint32 word : words)
        token += u"%1"_s.arg(word, 8, 16, QChar(u'0'));
    return token;
}

QString statePath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    QDir().mkpath(dir);
    return dir + u"/gapless-ui.ini"_s;
}

} // namespace

int runGui(const GlobalOptions &options, int &argc, char **argv, bool demo)
{
    const Output out(options.json);
    auto gui = parseGuiOptions(options);
    if (!gui)
        return out.fail(gui.error(), ExitUsage);
    gui->demo = demo;
    if (!gui->screenshotFile.isEmpty() && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // UI-16
    QApplication app(argc, argv);

    SettingsSources sources;
    sources.configFile = options.configFile;
    sources.environment = Settings::systemEnvironment();
    sources.cli = options.settings;
    // BF-24: without --db the demo runs on a store of its own that goes when the window closes.
    QTemporaryDir demoDir;
    const bool hasDb = std::any_of(options.settings.cbegin(), options.settings.cend(),
                                   [](const CliSetting &s) { return s.option == "--db"_L1; });
    if (demo && !hasDb) {
        if (!demoDir.isValid())
            return out.fail(Error::unavailable(u"demo: no temporary directory for its store; expected a "
                                               u"writable TMPDIR, or --db URL"_s),
                            ExitFailure);
        sources.cli.append({u"--db"_s, demoDir.filePath(u"demo.db"_s)});
    }
    protocol::ClientOptions client;
    if (gui->connect) {
        client.url = *gui->connect;
        client.token = gui->token;
        sources.cli.removeIf([](const CliSetting &s) { return s.option == "--token"_L1; });
    } else {
        client.token = gui->token.isEmpty() ? randomToken() : gui->token;
        sources.cli.append({u"--token"_s, client.token});
    }
    auto settings = Settings::load(sources);
    if (!settings)
        return out.fail(settings.error(), ExitUsage);
    for (const QString &warning : settings->warnings())
        out.warning(u"gapless: warning: "_s + warning);
    client.reconnectBaseMs = int(settings->intValue(u"client.reconnect_base_ms"));
    client.reconnectCapMs = int(settings->intValue(u"client.reconnect_cap_ms"));

    ui::MainWindowOptions window;
    window.dark = ui::applyTheme(app, settings->stringValue(u"ui.theme"));
    window.indexAxis = settings->stringValue(u"ui.axis_mode") == "index"_L1;
    window.localTime = settings->stringValue(u"ui.time_zone") == "local"_L1;
    window.statePath = statePath();
    window.coreLabel = gui->connect ? gui->connect->authority() : u"the embedded core"_s;
    window.offerDemo = !gui->connect && gui->screenshotFile.isEmpty() && !demo;
    window.remember = gui->screenshotFile.isEmpty(); // a screenshot leaves the user's layout alone

    GuiSession session(*gui, sources, client, window);
    int exitCode = ExitOk;
    QObject::connect(&session, &GuiSession::finished, &app, [&](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    if (gui->connect) {
        session.connectRemote();
    } else {
        const SystemClock clock;
        const CommandContext ctx{options, *settings, out, clock};
        auto target = storeTarget(ctx, false);
        if (!target)
            return out.fail(target.error(), ExitUsage);
        session.startEmbedded(*settings, target->url, target->options);
    }
    const int loopCode = QApplication::exec();
    return exitCode != ExitOk ? exitCode : loopCode;
}

} // namespace gapless::app
