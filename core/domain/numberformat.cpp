#include "core/domain/numberformat.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace gapless {

namespace {

// Doubles represent every integer up to 2^53 exactly; beyond it whole numbers are sparse
// and to_chars' shortest form is the honest one.
constexpr double kExactIntegerLimit = 9007199254740992.0;

// from_chars reports both overflow and underflow as result_out_of_range without a value.
// Tell them apart by the decimal order of magnitude of the text, which the caller has
// already checked to be a complete decimal number.
bool isUnderflow(QByteArrayView text)
{
    qsizetype i = text.startsWith('-') ? 1 : 0;
    qint64 order = 0; // digits before the point after leading zeros, or minus zeros after it
    bool seenNonZero = false;
    bool afterPoint = false;
    for (; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '.') {
            afterPoint = true;
        } else if (c >= '0' && c <= '9') {
            if (c != '0')
                seenNonZero = true;
            if (!afterPoint && seenNonZero)
                ++order;
            else if (afterPoint && !seenNonZero)
                --order;
            if (seenNonZero && afterPoint)
                break;
        } else {
            break;
        }
    }
    if (!seenNonZero)
        return true;
    while (i < text.size() && text.at(i) != 'e' && text.at(i) != 'E')
        ++i;
    if (i < text.size()) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text.at(i) == '-' || text.at(i) == '+'))
            negative = text.at(i++) == '-';
        qint64 exponent = 0;
        for (; i < text.size() && exponent < std::numeric_limits<qint32>::max(); ++i)
            exponent = exponent * 10 + (text.at(i) - '0');
        order += negative ? -exponent : exponent;
    }
    return order <= 0;
}

} // namespace

QByteArray formatNumber(double value)
{
    if (value == 0)
        return QByteArrayLiteral("0"); // -0 too
    if (std::abs(value) < kExactIntegerLimit && std::trunc(value) == value)
        return QByteArray::number(static_cast<qint64>(value));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

ParsedNumber parseNumber(QByteArrayView text)
{
    // from_chars already refuses a leading '+' or space and reads "0x1" as 0 followed by garbage.
    double value = 0;
    const char *begin = text.data();
    const char *end = begin + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (text.isEmpty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range))
        return {NumberParse::Malformed, 0};
    if (ec == std::errc::result_out_of_range) {
        if (isUnderflow(text))
            return {NumberParse::Ok, text.startsWith('-') ? -0.0 : 0.0};
        return {NumberParse::NotFinite, 0};
    }
    if (!std::isfinite(value))
        return {NumberParse::NotFinite, 0};
    return {NumberParse::Ok, value};
}

} // namespace gapless
