#include "core/sources/fieldparser.h"

#include "core/domain/numberformat.h"
#include "core/sources/textscan.h"

#include <charconv>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}


qint64 daysFromCivil(qint64 year, qint64 month, qint64 day)
{
    // Howard Hinnant's days_from_civil: proleptic Gregorian, day 0 = 1970-01-01.
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

qint64 daysInMonth(qint64 year, qint64 month)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

bool readDigits(std::string_view text, qsizetype at, qsizetype count, qint64 *value)
{
    if (at + count > qsizetype(text.size()))
        return false;
    qint64 v = 0;
    for (qsizetype i = at; i < at + count; ++i) {
        if (!isDigit(text[i]))
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
}

enum class IsoProblem { None, Syntax, NoOffset, Fraction };

/// Seconds east of UTC from `Z` or `±HH:MM` at the end of `text` from `at`.
std::optional<qint64> parseOffset(std::string_view text, qsizetype at)
{
    const std::string_view rest = text.substr(at);
    if (rest == "Z" || rest == "z")
        return 0;
    qint64 hours = 0;
    qint64 minutes = 0;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' || !readDigits(rest, 1, 2, &hours)
        || !readDigits(rest, 4, 2, &minutes) || hours > 23 || minutes > 59)
        return std::nullopt;
    const qint64 seconds = hours * 3600 + minutes * 60;
    return rest[0] == '-' ? -seconds : seconds;
}

IsoProblem parseIso(std::string_view text, qint64 *time)
{
    qint64 year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        || text[13] != ':' || text[16] != ':' || !readDigits(text, 0, 4, &year) || !readDigits(text, 5, 2, &month)
        || !readDigits(text, 8, 2, &day) || !readDigits(text, 11, 2, &hour) || !readDigits(text, 14, 2, &minute)
        || !readDigits(text, 17, 2, &second))
        return IsoProblem::Syntax;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        return IsoProblem::Syntax;
    qsizetype at = 19;
    bool fractionIsZero = true;
    if (at < qsizetype(text.size()) && text[at] == '.') {
        const qsizetype start = ++at;
        for (; at < qsizetype(text.size()) && isDigit(text[at]); ++at)
            fractionIsZero = fractionIsZero && text[at] == '0';
        if (at == start)
            return IsoProblem::Syntax;
    }
    if (at == qsizetype(text.size()))
        return IsoProblem::NoOffset;
    const std::optional<qint64> offset = parseOffset(text, at);
    if (!offset)
        return IsoProblem::Syntax;
    if (!fractionIsZero)
        return IsoProblem::Fraction;
    *time = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - *offset;
    return IsoProblem::None;
}

QString rangeDetail(QStringView column, const QString &shown)
{
    return u"%1 %2 out of range; expected 0 <= %1 < %3"_s.arg(column, shown).arg(kTimeLimit);
}

} // namespace

std::string_view trimSpaces(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return text;
}

LineError malformedLine(const QString &detail)
{
    return {0, u"malformed"_s, detail};
}

LineError notFiniteLine(const QString &detail)
{
    return {0, u"not_finite"_s, detail};
}

bool parseNumberField(std::string_view text, QStringView column, double *value, LineError *error)
{
    const std::string_view t = trimSpaces(text);
    if (t.empty()) {
        *error = malformedLine(u"%1 is empty; expected a number"_s.arg(column));
        return false;
    }
    // std::to_chars never writes '+', but people and spreadsheets do; the number rule does not.
    const std::string_view digits = t.front() == '+' && t.size() > 1 && t[1] != '-' ? t.substr(1) : t;
    const ParsedNumber parsed = parseNumber(QByteArrayView(digits.data(), qsizetype(digits.size())));
    switch (parsed.status) {
    case NumberParse::Ok:
        *value = parsed.value;
        return true;
    case NumberParse::NotFinite: {
        // A number that starts with a digit got too large; otherwise it spelled NaN or Inf.
        const char first = digits.front() == '-' && digits.size() > 1 ? digits[1] : digits.front();
        const bool overflow = isDigit(first) || first == '.';
        *error = notFiniteLine((overflow ? u"%1 '%2' overflows a double; expected a finite number"_s
                                         : u"%1 '%2' is not finite; expected a finite number"_s)
                                   .arg(column, excerpt(t)));
        return false;
    }
    case NumberParse::Malformed:
        break;
    }
    *error = malformedLine(
        u"%1 '%2' is not a number; expected a decimal number such as 3485 or 1.5e-3"_s.arg(column, excerpt(t)));
    return false;
}

bool parseTimeField(std::string_view text, QStringView column, qint64 *time, LineError *error)
{
    const std::string_view t = trimSpaces(text);
    if (t.empty()) {
        *error = malformedLine(u"%1 is empty; expected integer seconds or ISO-8601"_s.arg(column));
        return false;
    }
    const bool integer
        = t.find_first_not_of("0123456789", t.front() == '-' ? 1 : 0) == std::string_view::npos && t != "-";
    if (integer) {
        qint64 v = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || v < 0 || v >= kTimeLimit) {
            *error = malformedLine(rangeDetail(column, excerpt(t)));
            return false;
        }
        *time = v;
        return true;
    }
    qint64 v = 0;
    switch (parseIso(t, &v)) {
    case IsoProblem::None:
        if (v < 0 || v >= kTimeLimit) {
            *error = malformedLine(rangeDetail(column, u"'%1'"_s.arg(excerpt(t))));
            return false;
        }
        *time = v;
        return true;
    case IsoProblem::NoOffset:
        *error = malformedLine(
            u"%1 '%2' has no UTC offset; expected Z or ±HH:MM after the time"_s.arg(column, excerpt(t)));
        return false;
    case IsoProblem::Fraction:
        *error = malformedLine(u"%1 '%2' has fractional seconds; expected whole seconds"_s.arg(column, excerpt(t)));
        return false;
    case IsoProblem::Syntax:
        break;
    }
    *error = malformedLine(u"%1 '%2' is not a time; expected integer seconds or ISO-8601 "
                           u"YYYY-MM-DDTHH:MM:SS with Z or ±HH:MM"_s.arg(column, excerpt(t)));
    return false;
}

} // namespace gapless::sources
