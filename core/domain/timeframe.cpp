#include "core/domain/timeframe.h"

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

QString rangeError(QStringView text)
{
    return u"timeframe '%1': out of range; expected 60 s to 604800 s, as n followed by m, h or d (1m, 5m, 1h, 1d)"_s
        .arg(text);
}

} // namespace

Result<Timeframe> Timeframe::parse(QStringView text)
{
    const auto syntaxError = [&] {
        return Error::badRequest(
            u"timeframe '%1': not a timeframe; expected a number 1-999999 followed by m, h or d (1m, 5m, 1h, 1d)"_s
                .arg(text));
    };
    if (text.size() < 2 || text.size() > 7)
        return syntaxError();
    const QChar unit = text.back();
    qint64 unitSeconds = 0;
    if (unit == u'm')
        unitSeconds = 60;
    else if (unit == u'h')
        unitSeconds = 3600;
    else if (unit == u'd')
        unitSeconds = 86400;
    else
        return syntaxError();
    const QStringView digits = text.first(text.size() - 1);
    if (digits.front() < u'1' || digits.front() > u'9')
        return syntaxError();
    qint64 count = 0;
    for (const QChar c : digits) {
        if (c < u'0' || c > u'9')
            return syntaxError();
        count = count * 10 + (c.unicode() - u'0');
    }
    const qint64 seconds = count * unitSeconds;
    if (seconds < kMinSeconds || seconds > kMaxSeconds)
        return Error::badRequest(rangeError(text));
    return Timeframe(seconds);
}

Result<Timeframe> Timeframe::fromSeconds(qint64 seconds)
{
    if (seconds < kMinSeconds || seconds > kMaxSeconds || seconds % 60 != 0)
        return Error::badRequest(
            u"timeframe %1 s: not a timeframe; expected a multiple of 60 s from 60 s to 604800 s"_s.arg(seconds));
    return Timeframe(seconds);
}

QString Timeframe::toString() const
{
    if (m_seconds % 86400 == 0)
        return QString::number(m_seconds / 86400) + u'd';
    if (m_seconds % 3600 == 0)
        return QString::number(m_seconds / 3600) + u'h';
    return QString::number(m_seconds / 60) + u'm';
}

} // namespace gapless
