#include "core/domain/anomaly.h"

#include "core/domain/numberformat.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

constexpr std::array<std::pair<AnomalyKind, QStringView>, kAnomalyKindCount> kNames{{
    {AnomalyKind::HighBelowLow, u"high_below_low"},
    {AnomalyKind::NegativeVolume, u"negative_volume"},
    {AnomalyKind::NonpositivePrice, u"nonpositive_price"},
    {AnomalyKind::TimeNotAligned, u"time_not_aligned"},
    {AnomalyKind::DuplicateTime, u"duplicate_time"},
    {AnomalyKind::TimeNotIncreasing, u"time_not_increasing"},
    {AnomalyKind::OpenAboveHigh, u"open_above_high"},
    {AnomalyKind::OpenBelowLow, u"open_below_low"},
    {AnomalyKind::CloseAboveHigh, u"close_above_high"},
    {AnomalyKind::CloseBelowLow, u"close_below_low"},
    {AnomalyKind::ZeroVolume, u"zero_volume"},
}};

QString num(double value)
{
    return QString::fromLatin1(formatNumber(value));
}

// Names every price that is <= 0, e.g. `open 0, low -1 are not positive`.
QString nonpositivePrices(const Candle &c)
{
    const std::array<std::pair<QStringView, double>, 4> prices{{
        {u"open", c.open}, {u"high", c.high}, {u"low", c.low}, {u"close", c.close}}};
    QStringList bad;
    for (const auto &[name, value] : prices) {
        if (value <= 0)
            bad.append(name + u' ' + num(value));
    }
    return bad.join(u", "_s) + (bad.size() == 1 ? u" is"_s : u" are"_s) + u" not positive"_s;
}

QString notAligned(const Candle &c, Timeframe tf)
{
    const qint64 below = tf.floor(c.time);
    return u"time %1 is not aligned to %2; expected a multiple of %3 s (%4 or %5)"_s.arg(
        QString::number(c.time), tf.toString(), QString::number(tf.seconds()), QString::number(below),
        QString::number(below + tf.seconds()));
}

} // namespace

QString anomalyKindName(AnomalyKind kind)
{
    for (const auto &[value, name] : kNames) {
        if (value == kind)
            return name.toString();
    }
    return QString();
}

bool anomalyKindFromName(QStringView name, AnomalyKind *kind)
{
    for (const auto &[value, text] : kNames) {
        if (text == name) {
            *kind = value;
            return true;
        }
    }
    return false;
}

QString anomalyDetail(AnomalyKind kind, const Candle &c, Timeframe tf, std::optional<qint64> previousTime)
{
    switch (kind) {
    case AnomalyKind::HighBelowLow:
        return u"high %1 is below low %2; expected high >= low"_s.arg(num(c.high), num(c.low));
    case AnomalyKind::NegativeVolume:
        return u"volume %1 is negative; expected volume >= 0"_s.arg(num(c.volume));
    case AnomalyKind::NonpositivePrice:
        return nonpositivePrices(c) + u"; expected open, high, low and close > 0"_s;
    case AnomalyKind::TimeNotAligned:
        return notAligned(c, tf);
    case AnomalyKind::DuplicateTime:
        return u"time %1 repeats an earlier row's; expected each time once"_s.arg(c.time);
    case AnomalyKind::TimeNotIncreasing:
        if (previousTime)
            return u"time %1 is before the preceding row's %2; expected increasing times"_s.arg(
                QString::number(c.time), QString::number(*previousTime));
        return u"time %1 is before the preceding row's; expected increasing times"_s.arg(c.time);
    case AnomalyKind::OpenAboveHigh:
        return u"open %1 is above high %2; expected open <= high"_s.arg(num(c.open), num(c.high));
    case AnomalyKind::OpenBelowLow:
        return u"open %1 is below low %2; expected open >= low"_s.arg(num(c.open), num(c.low));
    case AnomalyKind::CloseAboveHigh:
        return u"close %1 is above high %2; expected close <= high"_s.arg(num(c.close), num(c.high));
    case AnomalyKind::CloseBelowLow:
        return u"close %1 is below low %2; expected close >= low"_s.arg(num(c.close), num(c.low));
    case AnomalyKind::ZeroVolume:
        return u"volume is 0; expected volume > 0"_s;
    }
    return QString();
}

QList<AnomalyKind> AnomalySet::kinds() const
{
    return QList<AnomalyKind>(begin(), end());
}

QStringList AnomalySet::names() const
{
    QStringList result;
    result.reserve(size());
    for (const AnomalyKind kind : *this)
        result.append(anomalyKindName(kind));
    return result;
}

} // namespace gapless
