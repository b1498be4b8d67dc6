#include "app/commandline.h"

#include "core/sources/fieldparser.h"

using namespace Qt::StringLiterals;

namespace gapless::app {

CommandLine::CommandLine(const QString &command, const QString &synopsis)
    : m_command(command)
    , m_synopsis(synopsis)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
}

void CommandLine::addOption(const QStringList &names, const QString &description, const QString &valueName)
{
    m_parser.addOption(QCommandLineOption(names, description, valueName));
}

Result<void> CommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(QStringList{u"gapless"_s} + arguments))
        return usage(m_parser.errorText().remove(u'.'));
    return {};
}

Error CommandLine::usage(const QString &problem) const
{
    return Error::badRequest(u"%1: %2; expected gapless %3"_s.arg(m_command, problem, m_synopsis));
}

Result<QString> CommandLine::required(const QString &name) const
{
    if (!m_parser.isSet(name))
        return usage(u"missing --%1"_s.arg(name));
    return m_parser.value(name);
}

Result<qint64> parseTimeArgument(const QString &option, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    qint64 time = 0;
    sources::LineError error;
    if (!sources::parseTimeField(std::string_view(bytes.constData(), size_t(bytes.size())), option, &time, &error))
        return Error::badRequest(u"%1 '%2': %3"_s.arg(option, text, error.detail));
    return time;
}

} // namespace gapless::app
