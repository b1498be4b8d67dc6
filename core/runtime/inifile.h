#pragma once

#include "core/domain/result.h"

#include <QList>
#include <QString>

namespace gapless {

/// A minimal INI reader for gapless.ini (CFG-1): `[section]`, `key = value`, whole-line `#`/`;`
/// comments and blank lines. Not QSettings, which splits commas into lists and percent-decodes.
///
/// Values are trimmed; one pair of surrounding double quotes is removed (`key = ""` is empty).
/// There are no inline comments: `#` and `;` inside a value are kept (tokens, passwords).
class IniFile
{
public:
    struct Section
    {
        QString name;
        int line = 0;
    };
    struct Entry
    {
        QString section;
        QString key;
        QString value;
        int line = 0;
    };

    /// Larger files are refused rather than read (a config is a few kilobytes).
    static constexpr qint64 kMaxBytes = 1024 * 1024;

    /// Reads and parses `path`; errors name `path` and, for syntax, `path:LINE`.
    [[nodiscard]] static Result<IniFile> read(const QString &path);
    /// Parses `text`; `name` is the input named in error messages.
    [[nodiscard]] static Result<IniFile> parse(QStringView text, const QString &name);

    /// Every `[section]` header in file order (a section may appear more than once).
    [[nodiscard]] const QList<Section> &sections() const { return m_sections; }
    /// Every `key = value` in file order. A key appears at most once per section.
    [[nodiscard]] const QList<Entry> &entries() const { return m_entries; }

private:
    QList<Section> m_sections;
    QList<Entry> m_entries;
};

} // namespace gapless
