#include "app/guioptions.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

constexpr int kMinSide = 320;
constexpr int kMaxSide = 8192;

Result<QSize> parseSize(const QString &text)
{
    static const QRegularExpression pattern(u"^([0-9]{1,5})x([0-9]{1,5})$"_s);
    const auto match = pattern.match(text);
    const int w = match.hasMatch() ? match.captured(1).toInt() : 0;
    const int h = match.hasMatch() ? match.captured(2).toInt() : 0;
    if (w < kMinSide || h < kMinSide || w > kMaxSide || h > kMaxSide)
        return Error::badRequest(u"--size '%1': expected WIDTHxHEIGHT in pixels, each from %2 to %3 (1280x800)"_s.arg(
            text, QString::number(kMinSide), QString::number(kMaxSide)));
    return QSize(w, h);
}

} // namespace

QStringList panelNames()
{
    return {u"main"_s,    u"health"_s, u"compensation"_s, u"progress"_s,
            u"gaps"_s,    u"review"_s, u"jobs"_s,         u"flags"_s};
}

Result<GuiOptions> parseGuiOptions(const GlobalOptions &options)
{
    GuiOptions out;
    if (!options.arguments.isEmpty())
        return Error::badRequest(u"argument '%1': unknown; expected gapless [--db URL | --connect ws://HOST:PORT] "
                                 u"[--token T] [--screenshot FILE [--size WxH] [--panel NAME]] or a subcommand"_s.arg(
                                     options.arguments.constFirst()));
    bool hasDb = false;
    for (const CliSetting &setting : options.settings) {
        if (setting.option == "--token"_L1)
            out.token = setting.text;
        hasDb = hasDb || setting.option == "--db"_L1;
    }
    bool sizeSet = false;
    bool panelSet = false;
    for (const CliSetting &option : options.guiOptions) {
        if (option.option == "--connect"_L1) {
            auto url = parseConnectUrl(option.text);
            if (!url)
                return url.error();
            out.connect = *url;
        } else if (option.option == "--screenshot"_L1) {
            if (option.text.isEmpty())
                return Error::badRequest(u"--screenshot '': empty; expected the PNG file to write"_s);
            out.screenshotFile = option.text;
        } else if (option.option == "--size"_L1) {
            auto size = parseSize(option.text);
            if (!size)
                return size.error();
            out.size = *size;
            sizeSet = true;
        } else if (option.option == "--panel"_L1) {
            if (!panelNames().contains(option.text))
                return Error::badRequest(
                    u"--panel '%1': unknown panel; expected one of %2"_s.arg(option.text, panelNames().join(u", "_s)));
            out.panel = option.text;
            panelSet = true;
        }
    }
    if (out.connect && hasDb)
        return Error::badRequest(u"--connect with --db: the remote core has its own database; expected one of them"_s);
    if (out.screenshotFile.isEmpty() && (sizeSet || panelSet))
        return Error::badRequest(
            u"%1: only applies to a screenshot; expected --screenshot FILE as well"_s.arg(sizeSet ? u"--size"_s
                                                                                                  : u"--panel"_s));
    return out;
}

} // namespace gapless::app
