#pragma once

#include <QString>

#include <string_view>

namespace gapless::sources {

/// A strict RFC 8259 reader over UTF-8 text that walks values without building a tree, so a
/// year of 1m rows parses without a QJsonDocument per element. Numbers come back as their
/// text for std::from_chars. The first syntax error is kept with its byte offset.
class JsonScanner
{
public:
    enum class Kind { Array, Object, String, Number, True, False, Null, None };

    static constexpr int kMaxDepth = 256;

    /// `text` starts at byte `baseOffset` of the file (after a BOM), for error offsets.
    JsonScanner(std::string_view text, qsizetype baseOffset);

    /// Skips whitespace and tells what the next value is by its first byte.
    [[nodiscard]] Kind peekKind();
    /// Skips whitespace; if the next byte is `c`, consumes it.
    [[nodiscard]] bool consume(char c);
    /// Skips whitespace; true at the end of the text.
    [[nodiscard]] bool atEnd();
    /// Reads a number (the next value must be one) and checks its grammar.
    [[nodiscard]] bool readNumber(std::string_view *token);
    /// Reads and checks any value; `depth` = arrays and objects already open around it.
    [[nodiscard]] bool skipValue(int depth);

    /// Records the error `found <what is here>; expected <expected>` and returns false.
    bool failExpecting(const QString &expected);

    [[nodiscard]] qsizetype errorOffset() const { return m_errorOffset; }
    /// `<problem>; expected <what>`.
    [[nodiscard]] const QString &errorText() const { return m_error; }

private:
    void skipWhitespace();
    bool fail(const QString &problem, const QString &expected);
    [[nodiscard]] QString found() const;
    bool skipContainer(char close, int depth);
    bool skipString();
    bool skipLiteral(std::string_view literal);
    bool skipDigits();

    std::string_view m_text;
    qsizetype m_base = 0;
    qsizetype m_pos = 0;
    qsizetype m_errorOffset = -1;
    QString m_error;
};

/// `an array`, `an object`, `a string`, `null`, … for messages.
[[nodiscard]] QString jsonKindName(JsonScanner::Kind kind);

} // namespace gapless::sources
