#include "core/domain/seriesid.h"

#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

bool isLowerAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

bool isAsciiLetterOrDigit(QChar c)
{
    return isLowerAlnum(c) || (c >= u'A' && c <= u'Z');
}

// exchange and market: [a-z0-9][a-z0-9_-]{0,31}
bool isValidName(QStringView s)
{
    if (s.isEmpty() || s.size() > 32 || !isLowerAlnum(s.front()))
        return false;
    for (const QChar c : s) {
        if (!isLowerAlnum(c) && c != u'_' && c != u'-')
            return false;
    }
    return true;
}

bool isValidSymbol(QStringView s)
{
    static constexpr QStringView kPunctuation = u"._-/:+=^@";
    if (s.isEmpty() || s.size() > 64)
        return false;
    for (const QChar c : s) {
        if (!isAsciiLetterOrDigit(c) && !kPunctuation.contains(c))
            return false;
    }
    return true;
}

bool hasWhitespace(QStringView s)
{
    for (const QChar c : s) {
        if (c.isSpace())
            return true;
    }
    return false;
}

} // namespace

Result<SeriesId> SeriesId::parse(QStringView text)
{
    const QString trimmed = text.trimmed().toString();
    const auto fail = [&](const QString &problem, const QString &expected) {
        return Error::badRequest(u"series id '%1': %2; expected %3"_s.arg(trimmed, problem, expected));
    };
    const QStringList parts = trimmed.split(u':');
    if (parts.size() < 4)
        return fail(u"%1 components"_s.arg(parts.size()),
                    u"exchange:market:symbol:timeframe, e.g. binance:spot:BTC/USDT:1m"_s);

    const QString symbol = parts.mid(2, parts.size() - 3).join(u':');
    const std::array<std::pair<QString, QString>, 4> components{{
        {u"exchange"_s, parts.front()},
        {u"market"_s, parts.at(1)},
        {u"symbol"_s, symbol},
        {u"timeframe"_s, parts.back()},
    }};
    for (const auto &[name, value] : components) {
        if (value.isEmpty())
            return fail(u"empty %1"_s.arg(name), u"a non-empty %1"_s.arg(name));
        if (hasWhitespace(value))
            return fail(u"%1 '%2' contains whitespace"_s.arg(name, value), u"no whitespace inside the id"_s);
    }
    if (!isValidName(parts.front()))
        return fail(u"exchange '%1' is not valid"_s.arg(parts.front()), u"[a-z0-9][a-z0-9_-]{0,31}"_s);
    if (!isValidName(parts.at(1)))
        return fail(u"market '%1' is not valid"_s.arg(parts.at(1)), u"[a-z0-9][a-z0-9_-]{0,31}"_s);
    if (!isValidSymbol(symbol))
        return fail(u"symbol '%1' is not valid"_s.arg(symbol), u"1-64 letters, digits or ._-/:+=^@"_s);
    const Result<Timeframe> tf = Timeframe::parse(parts.back());
    if (!tf)
        return fail(u"timeframe '%1' is not valid"_s.arg(parts.back()),
                    u"n followed by m, h or d, from 1m to 7d (1m, 5m, 1h, 1d)"_s);

    SeriesId id;
    id.m_exchange = parts.front();
    id.m_market = parts.at(1);
    id.m_symbol = symbol;
    id.m_timeframe = *tf;
    id.m_text = id.m_exchange + u':' + id.m_market + u':' + id.m_symbol + u':' + tf->toString();
    if (id.m_text.size() > kMaxLength)
        return fail(u"%1 characters"_s.arg(id.m_text.size()), u"at most %1"_s.arg(kMaxLength));
    return id;
}

SeriesId SeriesId::withTimeframe(Timeframe timeframe) const
{
    SeriesId id = *this;
    id.m_timeframe = timeframe;
    id.m_text = m_exchange + u':' + m_market + u':' + m_symbol + u':' + timeframe.toString();
    return id;
}

} // namespace gapless
