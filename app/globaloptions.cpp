#include "app/globaloptions.h"

#include <array>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

// Options that become settings (CFG-2); their errors name the option.
constexpr std::array<QStringView, 5> kSettingOptions{u"--db", u"--set", u"--listen", u"--token", u"--node-id"};

// Options of the GUI (CLI-5) that take a value, so that `--screenshot FILE` is no subcommand.
constexpr std::array<QStringView, 4> kGuiOptions{u"--connect", u"--screenshot", u"--size", u"--panel"};

bool isSettingOption(QStringView name)
{
    return std::find(kSettingOptions.begin(), kSettingOptions.end(), name) != kSettingOptions.end();
}

bool isGuiOption(QStringView name)
{
    return std::find(kGuiOptions.begin(), kGuiOptions.end(), name) != kGuiOptions.end();
}

} // namespace

Result<QUrl> parseConnectUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != "ws"_L1 || url.host().isEmpty() || url.port() <= 0
        || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment()
        || !(url.path().isEmpty() || url.path() == "/"_L1 || url.path() == "/ws/market"_L1))
        return Error::badRequest(u"--connect '%1': not a core address; expected ws://HOST:PORT"_s.arg(text));
    QUrl market = url;
    market.setPath(u"/ws/market"_s);
    return market;
}

Result<GlobalOptions> extractGlobalOptions(const QStringList &args)
{
    GlobalOptions out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        const qsizetype eq = arg.indexOf(u'=');
        const QString name = arg.startsWith(u"--"_s) && eq > 0 ? arg.left(eq) : arg;
        const auto takeValue = [&](QString *value) -> Result<void> {
            if (eq > 0 && name != arg) {
                *value = arg.mid(eq + 1);
                return {};
            }
            if (i + 1 >= args.size())
                return Error::badRequest(u"option %1: missing value; expected %1 VALUE"_s.arg(name));
            *value = args.at(++i);
            return {};
        };
        QString value;
        if (isSettingOption(name)) {
            if (auto ok = takeValue(&value); !ok)
                return ok.error();
            out.settings.append(CliSetting{name, value});
        } else if (isGuiOption(name)) {
            if (auto ok = takeValue(&value); !ok)
                return ok.error();
            out.guiOptions.append(CliSetting{name, value});
        } else if (name == u"--config"_s) {
            if (auto ok = takeValue(&value); !ok)
                return ok.error();
            out.configFile = value;
        } else if (name == u"--idempotency-key"_s) {
            if (auto ok = takeValue(&value); !ok)
                return ok.error();
            out.idempotencyKey = value;
        } else if (arg == u"--json"_s) {
            out.json = true;
        } else if (arg == u"--no-progress"_s) {
            out.noProgress = true;
        } else if (arg == u"--version"_s) {
            out.version = true;
        } else if (arg == u"--help"_s || arg == u"-h"_s) {
            out.help = true;
        } else if (out.subcommand.isEmpty() && !arg.startsWith(u'-')) {
            out.subcommand = arg;
        } else {
            out.arguments << arg;
        }
    }
    if (!out.subcommand.isEmpty()) {
        // Job subcommands take their own --connect (CLI-14).
        for (const CliSetting &option : std::as_const(out.guiOptions))
            out.arguments << option.option << option.text;
        out.guiOptions.clear();
    }
    return out;
}

} // namespace gapless::app
