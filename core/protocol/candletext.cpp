#include "core/protocol/candletext.h"

#include <QLocale>

#include <charconv>
#include <cmath>
#include <cstring>

namespace gapless::protocol::candletext {

namespace {

// QJsonValue keeps a whole double below 2^53 as an integer and writes it so; beyond that it
// writes the shortest digits padded with zeros, which is QByteArray::number's 'g' shortest.
constexpr double kExactIntegerLimit = 9007199254740992.0;

char *writeNumber(char *out, char *end, double value)
{
    if (!std::isfinite(value)) {
        std::memcpy(out, "null", 4);
        return out + 4;
    }
    const double magnitude = std::abs(value);
    if (magnitude < kExactIntegerLimit && std::trunc(value) == value)
        return std::to_chars(out, end, static_cast<qint64>(value)).ptr;
    if (magnitude >= kExactIntegerLimit) {
        const QByteArray text = QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
        std::memcpy(out, text.constData(), size_t(text.size()));
        return out + text.size();
    }
    return std::to_chars(out, end, value).ptr;
}

template<size_t N>
char *writeLiteral(char *out, const char (&text)[N])
{
    std::memcpy(out, text, N - 1);
    return out + N - 1;
}

// The longest candle object: six numbers of at most 32 characters and the keys around them.
constexpr qsizetype kMaxCandleText = 64 + 6 * 32;

} // namespace

void appendNumber(QByteArray &out, double value)
{
    char buffer[40];
    out.append(buffer, writeNumber(buffer, buffer + sizeof buffer, value) - buffer);
}

void appendCandles(QByteArray &out, const Candle *first, qsizetype count)
{
    const qsizetype start = out.size();
    out.resize(start + 2 + count * kMaxCandleText);
    char *p = out.data() + start;
    char *const end = out.data() + out.size();
    *p++ = '[';
    for (qsizetype i = 0; i < count; ++i) {
        const Candle &c = first[i];
        if (i > 0)
            *p++ = ',';
        p = writeNumber(writeLiteral(p, "{\"close\":"), end, c.close);
        p = writeNumber(writeLiteral(p, ",\"high\":"), end, c.high);
        p = writeNumber(writeLiteral(p, ",\"low\":"), end, c.low);
        p = writeNumber(writeLiteral(p, ",\"open\":"), end, c.open);
        p = writeNumber(writeLiteral(p, ",\"time\":"), end, static_cast<double>(c.time));
        p = writeNumber(writeLiteral(p, ",\"volume\":"), end, c.volume);
        *p++ = '}';
    }
    *p++ = ']';
    out.truncate(p - out.constData());
}

} // namespace gapless::protocol::candletext
