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

namespace {

// A cursor over the frame text; every read fails softly (false) on anything unexpected.
class Reader
{
public:
    explicit Reader(QByteArrayView text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_p < m_end && *m_p == c;
    }
    [[nodiscard]] bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }
    // A string of printable ASCII without escapes.
    bool string(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = m_p;
        while (m_p < m_end && *m_p != '"') {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c < 0x20 || c >= 0x80 || c == '\\')
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        *out = QByteArrayView(start, m_p - start);
        ++m_p;
        return true;
    }
    // A JSON number (RFC 8259 grammar), read as the codec reads it: an integer literal within
    // qint64 as that integer (also given in `integer`), anything else as the nearest double, and
    // a zero without its sign (the codec keeps a whole double as an integer).
    bool number(double *value, std::optional<qint64> *integer = nullptr)
    {
        skipSpace();
        const char *start = m_p;
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            integral = false;
            if (!digits())
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            integral = false;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        if (integral) {
            qint64 n = 0;
            if (std::from_chars(start, m_p, n).ec == std::errc()) {
                *value = static_cast<double>(n);
                if (integer)
                    *integer = n;
                return true;
            }
        }
        const auto [ptr, ec] = std::from_chars(start, m_p, *value);
        if (*value == 0)
            *value = 0;
        return ec == std::errc() && ptr == m_p && std::isfinite(*value);
    }

private:
    bool digits()
    {
        const char *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > start;
    }

    const char *m_p;
    const char *m_end;
};

bool readCandle(Reader &in, Candle *candle)
{
    if (!in.take('{'))
        return false;
    unsigned seen = 0;
    do {
        QByteArrayView key;
        if (!in.string(&key) || !in.take(':'))
            return false;
        double value = 0;
        std::optional<qint64> integer;
        if (!in.number(&value, &integer))
            return false;
        unsigned bit = 0;
        if (key == "time") {
            if (!integer || *integer < 0)
                return false;
            candle->time = *integer;
            bit = 1;
        } else {
            const std::pair<const char *, double Candle::*> fields[] = {{"open", &Candle::open},
                                                                         {"high", &Candle::high},
                                                                         {"low", &Candle::low},
                                                                         {"close", &Candle::close},
                                                                         {"volume", &Candle::volume}};
            for (size_t i = 0; i < std::size(fields) && !bit; ++i) {
                if (key == fields[i].first) {
                    candle->*fields[i].second = value;
                    bit = 2u << i;
                }
            }
        }
        if (!bit || (seen & bit))
            return false;
        seen |= bit;
    } while (in.take(','));
    return seen == 0x3f && in.take('}');
}

bool readCandles(Reader &in, CandleList *candles)
{
    if (!in.take('['))
        return false;
    if (in.take(']'))
        return true;
    do {
        Candle candle;
        if (!readCandle(in, &candle))
            return false;
        candles->append(candle);
    } while (in.take(','));
    return in.take(']');
}

} // namespace

std::optional<Batch> readCandlesBatch(QByteArrayView utf8)
{
    Reader in(utf8);
    if (!in.take('{'))
        return std::nullopt;
    Batch batch;
    unsigned seen = 0;
    do {
        QByteArrayView key;
        if (!in.string(&key) || !in.take(':'))
            return std::nullopt;
        unsigned bit = 0;
        bool ok = false;
        if (key == "type") {
            QByteArrayView type;
            ok = in.string(&type) && type == "candles_batch";
            bit = 1;
        } else if (key == "v") {
            double value = 0;
            ok = in.number(&value);
            bit = 2;
        } else if (key == "series_id") {
            QByteArrayView id;
            ok = in.string(&id);
            batch.seriesId = QString::fromLatin1(id);
            bit = 4;
        } else if (key == "candles") {
            ok = readCandles(in, &batch.candles);
            bit = 8;
        }
        if (!ok || !bit || (seen & bit))
            return std::nullopt;
        seen |= bit;
    } while (in.take(','));
    if (seen != 0xf || !in.take('}') || !in.atEnd())
        return std::nullopt;
    return batch;
}

} // namespace gapless::protocol::candletext
