#include "core/sources/freqtradeparser.h"

#include "core/sources/fieldparser.h"
#include "core/sources/jsonscanner.h"
#include "core/sources/textscan.h"

#include <array>
#include <charconv>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kFieldCount = 6;
constexpr std::array<QStringView, kFieldCount> kFields{u"ms", u"open", u"high", u"low", u"close", u"volume"};
constexpr QStringView kElementShape = u"[ms, open, high, low, close, volume]";
// A year of 1m rows pretty-printed by pandas takes about this many bytes per element.
constexpr qsizetype kBytesPerElementGuess = 48;

/// One element as the scanner saw it: up to six number tokens, or why it is not a row.
struct Element
{
    std::array<std::string_view, kFieldCount> numbers;
    qsizetype count = 0;
    qsizetype badField = -1;
    JsonScanner::Kind badKind = JsonScanner::Kind::None;
};

bool parseMilliseconds(std::string_view token, qint64 *time, LineError *error)
{
    double ms = 0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), ms);
    const QString shown = excerpt(token);
    const auto limitMs = double(kTimeLimit) * 1000;
    if (ec != std::errc() || !(ms >= 0 && ms < limitMs)) {
        *error = malformedLine(u"ms %1 out of range; expected 0 <= ms < %2"_s.arg(shown).arg(kTimeLimit * 1000));
        return false;
    }
    const auto whole = qint64(ms);
    if (double(whole) != ms || whole % 1000 != 0) {
        *error = malformedLine(u"ms %1 is not a multiple of 1000; expected whole seconds in milliseconds"_s.arg(shown));
        return false;
    }
    *time = whole / 1000;
    return true;
}

/// Turns a scanned element into a row or a line error (CLI-8, DOM-6).
void addElement(const Element &element, qint64 index, ParsedFile *out)
{
    LineError error;
    ParsedRow row{index, {}};
    Candle &c = row.candle;
    std::array<double *, kFieldCount - 1> values{&c.open, &c.high, &c.low, &c.close, &c.volume};
    bool ok = false;
    if (element.count != kFieldCount) {
        error = malformedLine(u"got %1 %2; expected 6: %3"_s.arg(element.count)
                                  .arg(element.count == 1 ? u"value"_s : u"values"_s, kElementShape));
    } else if (element.badField >= 0 && element.badKind == JsonScanner::Kind::Null) {
        error = notFiniteLine(
            u"%1 is null (NaN in pandas output); expected a finite number"_s.arg(kFields[element.badField]));
    } else if (element.badField >= 0) {
        error = malformedLine(
            u"%1 is %2; expected a number"_s.arg(kFields[element.badField], jsonKindName(element.badKind)));
    } else {
        ok = parseMilliseconds(element.numbers[0], &c.time, &error);
        for (qsizetype i = 1; ok && i < kFieldCount; ++i)
            ok = parseNumberField(element.numbers[i], kFields[i], values[i - 1], &error);
    }
    if (ok) {
        out->rows.append(row);
        return;
    }
    error.line = index;
    out->errors.append(std::move(error));
}

/// Scans one array element; false only on a JSON syntax error (the scanner holds it).
bool scanElement(JsonScanner &scanner, qint64 index, ParsedFile *out)
{
    using Kind = JsonScanner::Kind;
    const Kind kind = scanner.peekKind();
    if (kind != Kind::Array) {
        if (!scanner.skipValue(1))
            return false;
        out->errors.append(
            {index, u"malformed"_s, u"element is %1; expected an array %2"_s.arg(jsonKindName(kind), kElementShape)});
        return true;
    }
    Element element;
    (void)scanner.consume('[');
    if (!scanner.consume(']')) {
        while (true) {
            const Kind field = scanner.peekKind();
            std::string_view token;
            if (field == Kind::Number ? !scanner.readNumber(&token) : !scanner.skipValue(2))
                return false;
            if (element.count < kFieldCount) {
                element.numbers[element.count] = token;
                if (field != Kind::Number && element.badField < 0) {
                    element.badField = element.count;
                    element.badKind = field;
                }
            }
            ++element.count;
            if (scanner.consume(','))
                continue;
            if (scanner.consume(']'))
                break;
            return scanner.failExpecting(u"',' or ']'"_s);
        }
    }
    addElement(element, index, out);
    return true;
}

Error jsonError(const QString &file, QByteArrayView bytes, const JsonScanner &scanner)
{
    const TextPosition at = textPosition(bytes, scanner.errorOffset());
    return Error::badRequest(u"%1: invalid JSON at byte offset %2 (line %3, column %4): %5"_s.arg(file)
                                 .arg(scanner.errorOffset())
                                 .arg(at.line)
                                 .arg(at.column)
                                 .arg(scanner.errorText()));
}

/// File-level text checks: empty, NUL, invalid UTF-8 (RFC 8259 JSON is UTF-8).
Result<void> checkText(const QString &file, QByteArrayView bytes, qsizetype bomLength)
{
    const QByteArrayView text = bytes.sliced(bomLength);
    if (std::string_view(text.data(), size_t(text.size())).find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Error::badRequest(u"%1: empty file; expected a JSON array of %2 rows"_s.arg(file, kElementShape));
    const qsizetype bad = findBadTextByte(text);
    if (bad < 0)
        return {};
    const TextPosition at = textPosition(bytes, bad + bomLength);
    const QString problem = text[bad] == '\0'
        ? u"NUL byte"_s
        : u"invalid UTF-8 (byte 0x%1)"_s.arg(uint(uchar(text[bad])), 2, 16, QLatin1Char('0'));
    return Error::badRequest(
        u"%1: %2 at byte offset %3 (line %4, column %5); expected UTF-8 JSON text"_s.arg(file, problem)
            .arg(bad + bomLength)
            .arg(at.line)
            .arg(at.column));
}

} // namespace

Result<ParsedFile> parseFreqtrade(const QString &displayName, QByteArrayView bytes)
{
    const qsizetype bomLength = bytes.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    if (const Result<void> checked = checkText(displayName, bytes, bomLength); !checked)
        return checked.error();

    JsonScanner scanner(std::string_view(bytes.data() + bomLength, size_t(bytes.size() - bomLength)), bomLength);
    if (const JsonScanner::Kind top = scanner.peekKind(); top != JsonScanner::Kind::Array) {
        if (scanner.skipValue(0) && !scanner.atEnd())
            scanner.failExpecting(u"the end of the file"_s);
        if (scanner.errorOffset() >= 0)
            return jsonError(displayName, bytes, scanner);
        return Error::badRequest(u"%1: not a JSON array of rows (the top level is %2); expected [%3, ...]"_s.arg(
            displayName, jsonKindName(top), kElementShape));
    }

    ParsedFile out;
    out.file = displayName;
    out.format = FileFormat::Freqtrade;
    out.rows.reserve(bytes.size() / kBytesPerElementGuess + 1);
    (void)scanner.consume('[');
    qint64 index = 0;
    if (!scanner.consume(']')) {
        while (true) {
            if (!scanElement(scanner, ++index, &out))
                return jsonError(displayName, bytes, scanner);
            if (scanner.consume(','))
                continue;
            if (scanner.consume(']'))
                break;
            scanner.failExpecting(u"',' or ']'"_s);
            return jsonError(displayName, bytes, scanner);
        }
    }
    if (!scanner.atEnd()) {
        scanner.failExpecting(u"the end of the file after the top-level array"_s);
        return jsonError(displayName, bytes, scanner);
    }
    out.lineCount = index;
    return out;
}

} // namespace gapless::sources
