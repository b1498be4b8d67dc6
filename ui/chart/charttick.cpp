#include "ui/chart/charttick.h"

#include <QDateTime>
#include <QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::ui::charttick {

namespace {

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 3600;
constexpr qint64 kDay = 86400;
constexpr qint64 kWeek = 7 * kDay;
constexpr qint64 kMonth = kMonthSeconds;
constexpr qint64 kYear = 365 * kDay;

QDateTime dateTime(qint64 time, bool utc)
{
    return utc ? QDateTime::fromSecsSinceEpoch(time, QTimeZone::utc()) : QDateTime::fromSecsSinceEpoch(time);
}

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

} // namespace

PriceStep priceStep(double range, int heightPx)
{
    if (!std::isfinite(range) || range <= 0)
        return {};
    const int ticks = std::max(1, heightPx / 50);
    const double raw = range / ticks;
    int k = int(std::floor(std::log10(raw)));
    for (;; ++k) {
        for (double m : {1.0, 2.0, 2.5, 5.0}) {
            const double step = m * std::pow(10.0, k);
            // A relative tolerance, so 0.3 ÷ 3 picks 0.1 and not 0.2.
            if (step >= raw * (1 - 1e-9)) {
                const int decimals = std::max(0, -k) + (m == 2.5 && k <= 0 ? 1 : 0);
                return {step, m, k, decimals};
            }
        }
    }
}

QList<double> priceTicks(double low, double high, double step)
{
    QList<double> ticks;
    if (!(step > 0) || !std::isfinite(low) || !std::isfinite(high) || high < low)
        return ticks;
    const double first = std::ceil(low / step - 1e-9);
    for (double n = first; n * step <= high * (1 + 1e-12) + 1e-12 && ticks.size() < 1000; ++n)
        ticks.append(n * step);
    return ticks;
}

QString formatPrice(double price, int decimals)
{
    return QString::number(price, 'f', decimals);
}

const QList<qint64> &timeSteps()
{
    static const QList<qint64> steps{kMinute,      2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute,
                                     30 * kMinute, kHour,       2 * kHour,   3 * kHour,    4 * kHour,
                                     6 * kHour,    12 * kHour,  kDay,        2 * kDay,     kWeek,
                                     kMonth,       3 * kMonth,  6 * kMonth,  kYear};
    return steps;
}

qint64 timeStep(double pxPerSecond, double minPx)
{
    for (qint64 step : timeSteps()) {
        if (double(step) * pxPerSecond >= minPx)
            return step;
    }
    return timeSteps().constLast();
}

qint64 alignTime(qint64 time, qint64 step, bool utc)
{
    const QDateTime dt = dateTime(time, utc);
    if (step >= kMonth) {
        const int months = step >= kYear ? 12 : int(step / kMonth);
        const int index = dt.date().year() * 12 + dt.date().month() - 1;
        const int aligned = index - index % months;
        const QDate first(aligned / 12, aligned % 12 + 1, 1);
        return (utc ? first.startOfDay(QTimeZone::utc()) : first.startOfDay()).toSecsSinceEpoch();
    }
    return alignTimeAt(time, step, qint64(utc ? 0 : dt.offsetFromUtc()));
}

qint64 alignTimeAt(qint64 time, qint64 step, qint64 utcOffset)
{
    // 1970-01-01 was a Thursday; weeks start on Monday, 4 days later.
    const qint64 base = step == kWeek ? 4 * kDay : 0;
    return floorDiv(time + utcOffset - base, step) * step + base - utcOffset;
}

qint64 nextTick(qint64 time, qint64 step, bool utc)
{
    const qint64 t = alignTime(time, step, utc);
    const qint64 next = alignTime(t + step + (step >= kMonth ? 3 * kDay : 0), step, utc);
    return next > t ? next : t + step;
}

QList<qint64> timeTicks(qint64 from, qint64 to, qint64 step, bool utc)
{
    QList<qint64> ticks;
    if (step <= 0 || to < from)
        return ticks;
    qint64 t = alignTime(from, step, utc);
    if (t < from)
        t = nextTick(t, step, utc);
    while (t <= to && ticks.size() < 10000) {
        ticks.append(t);
        t = nextTick(t, step, utc);
    }
    return ticks;
}

QString timeLabel(qint64 time, qint64 previous, bool utc)
{
    const QDateTime dt = dateTime(time, utc);
    const QDateTime prev = dateTime(previous, utc);
    if (dt.date().year() != prev.date().year())
        return dt.toString(u"yyyy-MM-dd"_s);
    if (dt.date() != prev.date())
        return dt.toString(u"MM-dd"_s);
    return dt.toString(u"HH:mm"_s);
}

} // namespace gapless::ui::charttick
