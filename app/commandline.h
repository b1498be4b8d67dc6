#pragma once

#include "core/domain/result.h"

#include <QCommandLineParser>

namespace gapless::app {

/// A subcommand's own options: QCommandLineParser with errors worded per DOM-13 and the
/// subcommand's synopsis as the expectation.
class CommandLine
{
public:
    CommandLine(const QString &command, const QString &synopsis);

    void addOption(const QStringList &names, const QString &description, const QString &valueName = {});
    [[nodiscard]] Result<void> parse(const QStringList &arguments);

    [[nodiscard]] bool isSet(const QString &name) const { return m_parser.isSet(name); }
    [[nodiscard]] QString value(const QString &name) const { return m_parser.value(name); }
    /// Every value of a repeatable option, in order.
    [[nodiscard]] QStringList values(const QString &name) const { return m_parser.values(name); }
    [[nodiscard]] QStringList positional() const { return m_parser.positionalArguments(); }
    /// A usage error naming the subcommand and its synopsis.
    [[nodiscard]] Error usage(const QString &problem) const;
    /// A required option's value, or a usage error naming it.
    [[nodiscard]] Result<QString> required(const QString &name) const;

private:
    QString m_command;
    QString m_synopsis;
    QCommandLineParser m_parser;
};

/// A time argument (`--from`, `--to`): Unix seconds or ISO-8601 with `Z` or `±HH:MM`.
[[nodiscard]] Result<qint64> parseTimeArgument(const QString &option, const QString &text);

} // namespace gapless::app
