#include "core/sources/jsonscanner.h"

#include "core/sources/textscan.h"

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Bytes in the UTF-8 sequence led by `c` (the text was validated beforehand).
qsizetype sequenceLength(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

} // namespace

QString jsonKindName(JsonScanner::Kind kind)
{
    switch (kind) {
    case JsonScanner::Kind::Array:
        return u"an array"_s;
    case JsonScanner::Kind::Object:
        return u"an object"_s;
    case JsonScanner::Kind::String:
        return u"a string"_s;
    case JsonScanner::Kind::Number:
        return u"a number"_s;
    case JsonScanner::Kind::True:
        return u"true"_s;
    case JsonScanner::Kind::False:
        return u"false"_s;
    case JsonScanner::Kind::Null:
        return u"null"_s;
    case JsonScanner::Kind::None:
        break;
    }
    return u"nothing"_s;
}

JsonScanner::JsonScanner(std::string_view text, qsizetype baseOffset) : m_text(text), m_base(baseOffset)
{}

void JsonScanner::skipWhitespace()
{
    while (m_pos < qsizetype(m_text.size())) {
        const char c = m_text[m_pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        ++m_pos;
    }
}

JsonScanner::Kind JsonScanner::peekKind()
{
    skipWhitespace();
    if (m_pos == qsizetype(m_text.size()))
        return Kind::None;
    switch (const char c = m_text[m_pos]) {
    case '[':
        return Kind::Array;
    case '{':
        return Kind::Object;
    case '"':
        return Kind::String;
    case 't':
        return Kind::True;
    case 'f':
        return Kind::False;
    case 'n':
        return Kind::Null;
    default:
        return c == '-' || isDigit(c) ? Kind::Number : Kind::None;
    }
}

bool JsonScanner::consume(char c)
{
    skipWhitespace();
    if (m_pos < qsizetype(m_text.size()) && m_text[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return false;
}

bool JsonScanner::atEnd()
{
    skipWhitespace();
    return m_pos == qsizetype(m_text.size());
}

bool JsonScanner::skipDigits()
{
    const qsizetype start = m_pos;
    while (m_pos < qsizetype(m_text.size()) && isDigit(m_text[m_pos]))
        ++m_pos;
    return m_pos > start || failExpecting(u"a digit"_s);
}

bool JsonScanner::readNumber(std::string_view *token)
{
    skipWhitespace();
    const qsizetype start = m_pos;
    const auto next = [this] { return m_pos < qsizetype(m_text.size()) ? m_text[m_pos] : '\0'; };
    if (next() == '-')
        ++m_pos;
    if (next() == '0')
        ++m_pos; // JSON allows no leading zeros: "01" stops after the 0
    else if (!skipDigits())
        return false;
    if (next() == '.') {
        ++m_pos;
        if (!skipDigits())
            return false;
    }
    if (next() == 'e' || next() == 'E') {
        ++m_pos;
        if (next() == '+' || next() == '-')
            ++m_pos;
        if (!skipDigits())
            return false;
    }
    *token = m_text.substr(start, m_pos - start);
    return true;
}

bool JsonScanner::skipValue(int depth)
{
    switch (peekKind()) {
    case Kind::Array:
        return skipContainer(']', depth + 1);
    case Kind::Object:
        return skipContainer('}', depth + 1);
    case Kind::String:
        return skipString();
    case Kind::True:
        return skipLiteral("true");
    case Kind::False:
        return skipLiteral("false");
    case Kind::Null:
        return skipLiteral("null");
    case Kind::Number: {
        std::string_view token;
        return readNumber(&token);
    }
    case Kind::None:
        break;
    }
    return failExpecting(u"a value"_s);
}

bool JsonScanner::skipContainer(char close, int depth)
{
    if (depth > kMaxDepth)
        return fail(u"arrays and objects nested %1 deep"_s.arg(depth), u"at most %1 levels"_s.arg(kMaxDepth));
    ++m_pos; // '[' or '{'
    if (consume(close))
        return true;
    while (true) {
        if (close == '}') {
            if (peekKind() != Kind::String)
                return failExpecting(u"a string key"_s);
            if (!skipString())
                return false;
            if (!consume(':'))
                return failExpecting(u"':'"_s);
        }
        if (!skipValue(depth))
            return false;
        if (consume(','))
            continue;
        if (consume(close))
            return true;
        return failExpecting(u"',' or '%1'"_s.arg(QLatin1Char(close)));
    }
}

bool JsonScanner::skipString()
{
    ++m_pos; // '"'
    while (m_pos < qsizetype(m_text.size())) {
        const char c = m_text[m_pos];
        if (c == '"') {
            ++m_pos;
            return true;
        }
        if (static_cast<unsigned char>(c) < 0x20)
            return fail(u"unescaped control character 0x%1 in a string"_s.arg(int(c), 2, 16, QLatin1Char('0')),
                        u"\\u00%1"_s.arg(int(c), 2, 16, QLatin1Char('0')));
        if (c == '\\') {
            const char e = m_pos + 1 < qsizetype(m_text.size()) ? m_text[m_pos + 1] : '\0';
            if (e == 'u') {
                for (qsizetype i = 2; i < 6; ++i) {
                    if (m_pos + i >= qsizetype(m_text.size()) || !isHexDigit(m_text[m_pos + i]))
                        return fail(u"bad \\u escape"_s, u"four hex digits after \\u"_s);
                }
                m_pos += 6;
                continue;
            }
            if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos || e == '\0')
                return fail(u"bad escape in a string"_s, u"one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"_s);
            m_pos += 2;
            continue;
        }
        ++m_pos;
    }
    return fail(u"found end of file in a string"_s, u"a closing '\"'"_s);
}

bool JsonScanner::skipLiteral(std::string_view literal)
{
    if (m_text.substr(m_pos, literal.size()) != literal)
        return failExpecting(u"a value"_s);
    m_pos += qsizetype(literal.size());
    return true;
}

QString JsonScanner::found() const
{
    if (m_pos >= qsizetype(m_text.size()))
        return u"found end of file"_s;
    const auto c = static_cast<unsigned char>(m_text[m_pos]);
    if (c < 0x20 || c == 0x7F)
        return u"found byte 0x%1"_s.arg(int(c), 2, 16, QLatin1Char('0'));
    return u"found '%1'"_s.arg(excerpt(m_text.substr(m_pos, sequenceLength(c))));
}

bool JsonScanner::failExpecting(const QString &expected)
{
    return fail(found(), expected);
}

bool JsonScanner::fail(const QString &problem, const QString &expected)
{
    if (m_errorOffset < 0) {
        m_errorOffset = m_base + m_pos;
        m_error = problem + u"; expected "_s + expected;
    }
    return false;
}

} // namespace gapless::sources
