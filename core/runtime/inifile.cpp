#include "core/runtime/inifile.h"

#include <QFile>
#include <QHash>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

QString unquoted(QStringView value)
{
    if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
        return value.sliced(1, value.size() - 2).trimmed().toString();
    return value.toString();
}

} // namespace

Result<IniFile> IniFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::badRequest(u"%1: cannot read: %2; expected a readable INI file"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.read(kMaxBytes + 1);
    if (bytes.size() > kMaxBytes)
        return Error::badRequest(
            u"%1: larger than %2 bytes; expected a small INI file"_s.arg(path, QString::number(kMaxBytes)));
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return Error::badRequest(u"%1: invalid UTF-8; expected a UTF-8 text file"_s.arg(path));
    return parse(text, path);
}

Result<IniFile> IniFile::parse(QStringView text, const QString &name)
{
    IniFile ini;
    QString section;
    QHash<QString, int> firstLine; // "section.key" → line
    int lineNo = 0;
    if (text.startsWith(QChar::ByteOrderMark))
        text = text.sliced(1);
    for (const QStringView raw : text.split(u'\n')) {
        ++lineNo;
        const auto fail = [&](const QString &problem) {
            return Error::badRequest(u"%1:%2: %3"_s.arg(name, QString::number(lineNo), problem));
        };
        const QStringView line = raw.trimmed();
        if (line.contains(QChar(0)))
            return fail(u"NUL character; expected text"_s);
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[')) {
            if (!line.endsWith(u']'))
                return fail(u"unterminated section header; expected [section]"_s);
            section = line.sliced(1, line.size() - 2).trimmed().toString();
            if (section.isEmpty())
                return fail(u"empty section name; expected [section]"_s);
            ini.m_sections.append({section, lineNo});
            continue;
        }
        const qsizetype eq = line.indexOf(u'=');
        // The line itself is not echoed: it may hold a token or a password (SEC-4).
        if (eq < 0)
            return fail(u"no '=' in the line; expected [section], key = value or a # comment"_s);
        const QString key = line.first(eq).trimmed().toString();
        if (key.isEmpty())
            return fail(u"empty key; expected key = value"_s);
        if (section.isEmpty())
            return fail(u"key %1 outside a section; expected a [section] line first"_s.arg(key));
        const QString fullKey = section + u'.' + key;
        if (const auto it = firstLine.constFind(fullKey); it != firstLine.cend())
            return fail(
                u"duplicate key %1 (first at line %2); expected each key once"_s.arg(fullKey, QString::number(*it)));
        firstLine.insert(fullKey, lineNo);
        ini.m_entries.append({section, key, unquoted(line.sliced(eq + 1).trimmed()), lineNo});
    }
    return ini;
}

} // namespace gapless
