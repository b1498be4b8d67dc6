#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace gapless::ui::charttick {

/// A price step m·10^k (UI-9) and the decimals its labels need.
struct PriceStep
{
    double step = 1;
    double mantissa = 1; ///< 1, 2, 2.5 or 5
    int exponent = 0;    ///< k
    int decimals = 0;    ///< max(0, −k), +1 when m = 2.5 and k ≤ 0
};

/// UI-9: the smallest m·10^k, m ∈ {1, 2, 2.5, 5}, ≥ range ÷ floor(heightPx / 50), at least one
/// tick. A range that is not positive and finite gives step 1.
[[nodiscard]] PriceStep priceStep(double range, int heightPx);
/// The multiples of `step` within [low, high], ascending.
[[nodiscard]] QList<double> priceTicks(double low, double high, double step);
[[nodiscard]] QString formatPrice(double price, int decimals);
/// Decimals of a price shown exactly (readout, last-price tag): one more than the axis, at
/// least two.
[[nodiscard]] constexpr int valueDecimals(int axisDecimals)
{
    return axisDecimals + 1 < 2 ? 2 : axisDecimals + 1;
}

/// The UI-9 time steps, in seconds; months and years are nominal (30 d, 365 d) for the choice
/// and calendar-aligned for the ticks.
[[nodiscard]] const QList<qint64> &timeSteps();
/// UI-9: the smallest step giving ≥ 80 px per tick at `pxPerSecond`; the largest if none.
[[nodiscard]] qint64 timeStep(double pxPerSecond, double minPx = 80);
/// The tick times in [from, to] for `step`, aligned in the displayed zone (UTC, or local with
/// `utcOffset` seconds east): minutes to days at multiples of the step, a week on Mondays,
/// months and years at the first of a month.
[[nodiscard]] QList<qint64> timeTicks(qint64 from, qint64 to, qint64 step, bool utc);
inline constexpr qint64 kMonthSeconds = 30 * 86400;
/// The step-aligned tick at or before `time` (the slot where a tick falls on an index axis).
[[nodiscard]] qint64 alignTime(qint64 time, qint64 step, bool utc);
/// alignTime for steps below a month with a fixed zone offset (seconds east): no calendar.
[[nodiscard]] qint64 alignTimeAt(qint64 time, qint64 step, qint64 utcOffset);
/// The first aligned tick after the one at or before `time`.
[[nodiscard]] qint64 nextTick(qint64 time, qint64 step, bool utc);
/// UI-9 label: `YYYY-MM-DD` when the year differs from `previous`, `MM-DD` when the day does,
/// else `HH:MM`.
[[nodiscard]] QString timeLabel(qint64 time, qint64 previous, bool utc);

} // namespace gapless::ui::charttick
