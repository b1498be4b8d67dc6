#include "core/sources/textscan.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kExcerptChars = 40;

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/// Length of the valid UTF-8 sequence at `p` (a byte >= 0x80), or 0 if it is invalid.
qsizetype validSequenceLength(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = *p;
    qsizetype length = 0;
    unsigned char secondMin = 0x80;
    unsigned char secondMax = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            secondMin = 0xA0; // overlong
        else if (c == 0xED)
            secondMax = 0x9F; // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            secondMin = 0x90; // overlong
        else if (c == 0xF4)
            secondMax = 0x8F; // above U+10FFFF
    } else {
        return 0;
    }
    if (end - p < length || p[1] < secondMin || p[1] > secondMax)
        return 0;
    for (qsizetype i = 2; i < length; ++i) {
        if (!isContinuation(p[i]))
            return 0;
    }
    return length;
}

/// True if none of the eight bytes is NUL or has its high bit set.
bool isCleanAsciiWord(const unsigned char *p)
{
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    constexpr std::uint64_t kLow = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const bool hasZero = ((word - kLow) & ~word & kHigh) != 0;
    return !hasZero && (word & kHigh) == 0;
}

} // namespace

qsizetype findBadTextByte(QByteArrayView bytes)
{
    const auto *begin = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = begin + bytes.size();
    const auto *p = begin;
    while (p < end) {
        if (end - p >= 8 && isCleanAsciiWord(p)) {
            p += 8;
            continue;
        }
        if (*p == 0)
            return p - begin;
        if (*p < 0x80) {
            ++p;
            continue;
        }
        const qsizetype length = validSequenceLength(p, end);
        if (length == 0)
            return p - begin;
        p += length;
    }
    return -1;
}

TextPosition textPosition(QByteArrayView bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    const QByteArrayView before = bytes.first(offset);
    TextPosition position;
    position.line = 1 + std::count(before.begin(), before.end(), '\n');
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    position.column = offset - lineStart + 1;
    return position;
}

QString excerpt(std::string_view text)
{
    const QString decoded = QString::fromUtf8(text.data(), qsizetype(text.size()));
    QString out;
    qsizetype shown = 0;
    for (qsizetype i = 0; i < decoded.size(); ++i) {
        if (shown == kExcerptChars) {
            out += u'…';
            break;
        }
        const QChar c = decoded.at(i);
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            out += u"\\x%1"_s.arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
        if (!c.isHighSurrogate())
            ++shown;
    }
    return out;
}

} // namespace gapless::sources
