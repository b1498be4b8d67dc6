#include "core/sources/csvparser.h"

#include "core/sources/fieldparser.h"
#include "core/sources/textscan.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kColumnCount = 6;
constexpr std::array<std::string_view, kColumnCount> kColumns{"time", "open", "high", "low", "close", "volume"};
constexpr std::string_view kDelimiters = ",;\t";
constexpr QStringView kHeaderExpectation
    = u"expected 'time,open,high,low,close,volume' (any case, 'date' for 'time', separated by ',', ';' or TAB)";

using Fields = std::array<std::string_view, kColumnCount>;

struct Header
{
    char delimiter = ',';
    std::array<QString, kColumnCount> names;
};

QString delimiterName(char delimiter)
{
    return delimiter == '\t' ? u"TAB"_s : u"'%1'"_s.arg(QLatin1Char(delimiter));
}

/// Splits `line` on `delimiter` into `fields` (at most six kept) and returns the column count.
qsizetype splitFields(std::string_view line, char delimiter, Fields *fields)
{
    qsizetype count = 0;
    const char *p = line.data();
    const char *end = p + line.size();
    while (true) {
        const auto *next = static_cast<const char *>(std::memchr(p, delimiter, size_t(end - p)));
        const char *fieldEnd = next ? next : end;
        if (count < kColumnCount)
            (*fields)[count] = std::string_view(p, size_t(fieldEnd - p));
        ++count;
        if (!next)
            return count;
        p = next + 1;
    }
}

bool equalsIgnoringCase(std::string_view text, std::string_view lowercase)
{
    return text.size() == lowercase.size()
        && std::equal(text.begin(), text.end(), lowercase.begin(),
                      [](char a, char b) { return (a >= 'A' && a <= 'Z' ? char(a - 'A' + 'a') : a) == b; });
}

bool isBlank(std::string_view line)
{
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

/// Yields the lines of a text without their LF or CRLF, numbering them from 1.
class LineReader
{
public:
    explicit LineReader(std::string_view text) : m_rest(text) {}

    bool next(std::string_view *line)
    {
        if (m_done)
            return false;
        const auto *newline = static_cast<const char *>(std::memchr(m_rest.data(), '\n', m_rest.size()));
        const size_t length = newline ? size_t(newline - m_rest.data()) : m_rest.size();
        *line = m_rest.substr(0, length);
        if (!line->empty() && line->back() == '\r')
            line->remove_suffix(1);
        if (newline) {
            m_rest.remove_prefix(length + 1);
            m_done = m_rest.empty();
        } else {
            m_done = true;
        }
        ++m_number;
        return true;
    }

    [[nodiscard]] qint64 number() const { return m_number; }

private:
    std::string_view m_rest;
    qint64 m_number = 0;
    bool m_done = false;
};

Result<Header> parseHeader(const QString &file, std::string_view line, qint64 number)
{
    Header header;
    const size_t at = line.find_first_of(kDelimiters);
    Fields fields;
    bool ok = at != std::string_view::npos;
    if (ok) {
        header.delimiter = line[at];
        ok = splitFields(line, header.delimiter, &fields) == kColumnCount;
    }
    for (qsizetype i = 0; ok && i < kColumnCount; ++i) {
        const std::string_view name = trimSpaces(fields[i]);
        if (equalsIgnoringCase(name, kColumns[i]))
            header.names[i] = QLatin1StringView(kColumns[i].data(), qsizetype(kColumns[i].size()));
        else if (i == 0 && equalsIgnoringCase(name, "date"))
            header.names[i] = u"date"_s;
        else
            ok = false;
    }
    if (ok)
        return header;
    const std::string_view first = trimSpaces(line);
    const bool looksLikeData
        = !first.empty() && ((first.front() >= '0' && first.front() <= '9') || first.front() == '-');
    const QString problem = looksLikeData ? u"missing header (the first line is data '%1')"_s : u"wrong header '%1'"_s;
    return Error::badRequest(u"%1:%2: "_s.arg(file).arg(number) + problem.arg(excerpt(line)) + u"; "_s
                             + kHeaderExpectation.toString());
}

QString columnCountDetail(std::string_view line, qsizetype count, char delimiter)
{
    QString detail = u"got %1 %2"_s.arg(count).arg(count == 1 ? u"column"_s : u"columns"_s);
    for (const char other : kDelimiters) {
        if (other != delimiter && line.find(other) != std::string_view::npos) {
            detail += u" (the line uses %1, the header %2)"_s.arg(delimiterName(other), delimiterName(delimiter));
            break;
        }
    }
    return detail + u"; expected %1"_s.arg(kColumnCount);
}

void parseRow(std::string_view line, qint64 number, const Header &header, ParsedFile *out)
{
    LineError error;
    if (const size_t quote = line.find('"'); quote != std::string_view::npos) {
        error = malformedLine(u"quote (\") at byte %1 of the line; expected unquoted fields"_s.arg(quote + 1));
    } else {
        Fields fields;
        const qsizetype count = splitFields(line, header.delimiter, &fields);
        ParsedRow row{number, {}};
        Candle &c = row.candle;
        std::array<double *, kColumnCount - 1> values{&c.open, &c.high, &c.low, &c.close, &c.volume};
        bool ok = count == kColumnCount;
        if (!ok)
            error = malformedLine(columnCountDetail(line, count, header.delimiter));
        else
            ok = parseTimeField(fields[0], header.names[0], &c.time, &error);
        for (qsizetype i = 1; ok && i < kColumnCount; ++i)
            ok = parseNumberField(fields[i], header.names[i], values[i - 1], &error);
        if (ok) {
            out->rows.append(row);
            return;
        }
    }
    error.line = number;
    out->errors.append(std::move(error));
}

/// File-level text checks (CLI-7): empty, UTF-16, NUL, invalid UTF-8.
Result<void> checkText(const QString &file, QByteArrayView bytes, qsizetype bomLength)
{
    const std::string_view text(bytes.data() + bomLength, size_t(bytes.size() - bomLength));
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Error::badRequest(u"%1: empty file; expected a header line and rows"_s.arg(file));
    if (bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF"))
        return Error::badRequest(u"%1:1: UTF-16 byte order mark; expected UTF-8 text"_s.arg(file));
    const qsizetype bad = findBadTextByte(QByteArrayView(text.data(), qsizetype(text.size())));
    if (bad < 0)
        return {};
    const TextPosition at = textPosition(bytes, bad + bomLength);
    if (text[bad] == '\0')
        return Error::badRequest(
            u"%1:%2: NUL byte at byte %3 of the line; expected UTF-8 text"_s.arg(file).arg(at.line).arg(at.column));
    return Error::badRequest(u"%1:%2: invalid UTF-8 (byte 0x%3) at byte %4 of the line; expected UTF-8 text"_s.arg(file)
                                 .arg(at.line)
                                 .arg(uint(uchar(text[bad])), 2, 16, QLatin1Char('0'))
                                 .arg(at.column));
}

} // namespace

Result<ParsedFile> parseCsv(const QString &displayName, QByteArrayView bytes)
{
    const qsizetype bomLength = bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    if (const Result<void> checked = checkText(displayName, bytes, bomLength); !checked)
        return checked.error();

    const std::string_view text(bytes.data() + bomLength, size_t(bytes.size() - bomLength));
    ParsedFile out;
    out.file = displayName;
    out.format = FileFormat::Csv;
    out.rows.reserve(std::count(text.begin(), text.end(), '\n') + 1);

    LineReader lines(text);
    std::string_view line;
    std::optional<Header> header;
    while (lines.next(&line)) {
        if (isBlank(line))
            continue;
        if (header) {
            parseRow(line, lines.number(), *header, &out);
            continue;
        }
        Result<Header> parsed = parseHeader(displayName, line, lines.number());
        if (!parsed)
            return parsed.error();
        header = std::move(*parsed);
    }
    out.lineCount = lines.number();
    return out;
}

} // namespace gapless::sources
