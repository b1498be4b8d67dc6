// ChartPainter: grid, axes, last-price tag and crosshair (UI-8, UI-9).
#include "ui/chart/chartmodel.h"
#include "ui/chart/chartpainter.h"
#include "ui/chart/charttick.h"

#include <QDateTime>
#include <QPainter>
#include <QTimeZone>

#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

QString crosshairTime(qint64 time, bool utc)
{
    const QDateTime dt = utc ? QDateTime::fromSecsSinceEpoch(time, QTimeZone::utc())
                             : QDateTime::fromSecsSinceEpoch(time);
    return dt.toString(u"yyyy-MM-dd HH:mm"_s);
}

} // namespace

/// The time ticks in view. Time axis: the step-aligned times. Index axis: where the aligned
/// time changes between two bars, at least 80 px apart, so that session breaks and gaps still
/// get labels.
std::vector<ChartPainter::TimeTick> ChartPainter::timeTicks(const ChartModel &model, const ChartFrame &frame)
{
    std::vector<TimeTick> ticks;
    const CandleBuffer &candles = model.candles();
    if (candles.isEmpty())
        return ticks;
    const qint64 tf = model.timeframe();
    const qint64 step = charttick::timeStep(frame.spacing / double(tf));
    const double leftSlot = frame.slotAtX(frame.plot.left());
    if (!model.indexAxis()) {
        const qint64 last = candles.last().time;
        auto timeAt = [&](double slot) { return last + qint64(std::floor(slot - model.lastSlot())) * tf; };
        const qint64 from = timeAt(leftSlot);
        for (qint64 t : charttick::timeTicks(from, timeAt(frame.rightSlot), step, frame.utc))
            ticks.push_back({frame.xOfSlot(model.slotOfTime(t) + 0.5), t, t - step});
        return ticks;
    }
    const qsizetype from = std::max<qsizetype>(1, model.indexAtSlot(leftSlot));
    const qsizetype to = model.indexAtSlot(frame.rightSlot);
    double lastX = -1e9;
    // A bar starts a tick when it reaches the next aligned time: one calendar step per tick,
    // not per bar.
    qint64 boundary = charttick::nextTick(candles.at(std::min(from, candles.size()) - 1).time, step, frame.utc);
    qint64 prevTick = charttick::alignTime(candles.at(std::min(from, candles.size()) - 1).time, step, frame.utc);
    candles.forRange(from, to, [&](const Candle &c, qsizetype index) {
        if (c.time < boundary)
            return;
        boundary = charttick::nextTick(c.time, step, frame.utc);
        const double x = frame.xOfSlot(model.slotOf(c, index) + 0.5);
        if (x - lastX >= 80) {
            ticks.push_back({x, c.time, prevTick});
            lastX = x;
            prevTick = c.time;
        }
    });
    return ticks;
}

void ChartPainter::drawGrid(QPainter &painter) const
{
    const charttick::PriceStep step = charttick::priceStep(m_frame.high - m_frame.low, int(m_frame.plot.height()));
    std::vector<QLineF> lines;
    for (double price : charttick::priceTicks(m_frame.low, m_frame.high, step.step)) {
        const double y = std::floor(m_frame.yOf(price)) + 0.5;
        lines.emplace_back(m_frame.plot.left(), y, m_frame.plot.right(), y);
    }
    for (const TimeTick &tick : m_timeTicks) {
        const double x = std::floor(tick.x) + 0.5;
        lines.emplace_back(x, m_frame.plot.top(), x, m_frame.plot.bottom());
    }
    painter.setPen(m_frame.linePen(m_palette.grid));
    painter.drawLines(lines.data(), int(lines.size()));
}

void ChartPainter::drawPriceAxis(QPainter &painter) const
{
    const QRectF &axis = m_frame.priceAxis;
    painter.fillRect(axis, m_palette.axisBackground);
    painter.setPen(m_frame.linePen(m_palette.grid));
    painter.drawLine(QPointF(axis.left() + 0.5, axis.top()), QPointF(axis.left() + 0.5, axis.bottom()));
    const charttick::PriceStep step = charttick::priceStep(m_frame.high - m_frame.low, int(m_frame.plot.height()));
    painter.setPen(m_palette.text);
    const QFontMetricsF fm(painter.font());
    const CandleBuffer &candles = m_model.candles();
    const double tagY = candles.isEmpty() ? -1e9 : m_frame.yOf(candles.last().close);
    for (double price : charttick::priceTicks(m_frame.low, m_frame.high, step.step)) {
        const double y = m_frame.yOf(price);
        if (y < axis.top() + fm.height() / 2 || y > m_frame.plot.bottom() - fm.height() / 2
            || std::abs(y - tagY) < fm.height()) // the last-price tag covers it
            continue;
        painter.drawLine(QPointF(axis.left(), std::floor(y) + 0.5), QPointF(axis.left() + 4, std::floor(y) + 0.5));
        painter.drawText(QRectF(axis.left() + 8, y - fm.height() / 2, axis.width() - 10, fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, charttick::formatPrice(price, step.decimals));
    }
}

void ChartPainter::drawTimeAxis(QPainter &painter) const
{
    const QRectF &axis = m_frame.timeAxis;
    painter.fillRect(axis, m_palette.axisBackground);
    painter.setPen(m_frame.linePen(m_palette.grid));
    painter.drawLine(QPointF(axis.left(), axis.top() + 0.5), QPointF(axis.right(), axis.top() + 0.5));
    painter.setPen(m_palette.text);
    for (const TimeTick &tick : m_timeTicks) {
        const QString label = charttick::timeLabel(tick.time, tick.previous, m_frame.utc);
        painter.drawText(QRectF(tick.x - 40, axis.top() + 2, 80, axis.height() - 2), Qt::AlignCenter, label);
    }
}

void ChartPainter::drawLastPrice(QPainter &painter) const
{
    const CandleBuffer &candles = m_model.candles();
    if (candles.isEmpty())
        return;
    const Candle &last = candles.last();
    const double y = m_frame.yOf(last.close);
    if (y < m_frame.plot.top() || y > m_frame.plot.bottom())
        return;
    const charttick::PriceStep step = charttick::priceStep(m_frame.high - m_frame.low, int(m_frame.plot.height()));
    const QColor colour = last.close >= last.open ? m_palette.up : m_palette.down;
    const QFontMetricsF fm(painter.font());
    const QRectF tag(m_frame.priceAxis.left() + 1, y - fm.height() / 2 - 2, m_frame.priceAxis.width() - 1,
                     fm.height() + 4);
    painter.fillRect(tag, colour);
    painter.setPen(Qt::white);
    painter.drawText(tag.adjusted(7, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                     charttick::formatPrice(last.close, charttick::valueDecimals(step.decimals)));
}

void ChartPainter::drawCrosshair(QPainter &painter) const
{
    if (!m_frame.crosshair)
        return;
    const QPointF p = *m_frame.crosshair;
    painter.setPen(m_frame.linePen(m_palette.crosshair, Qt::DashLine));
    const double x = std::floor(p.x()) + 0.5;
    const double y = std::floor(p.y()) + 0.5;
    painter.drawLine(QPointF(x, m_frame.plot.top()), QPointF(x, m_frame.plot.bottom()));
    if (p.y() >= m_frame.plot.top() && p.y() <= m_frame.plot.bottom())
        painter.drawLine(QPointF(m_frame.plot.left(), y), QPointF(m_frame.plot.right(), y));

    const QFontMetricsF fm(painter.font());
    const charttick::PriceStep step = charttick::priceStep(m_frame.high - m_frame.low, int(m_frame.plot.height()));
    if (p.y() >= m_frame.plot.top() && p.y() <= m_frame.plot.bottom()) {
        const QRectF tag(m_frame.priceAxis.left() + 1, p.y() - fm.height() / 2 - 2, m_frame.priceAxis.width() - 1,
                         fm.height() + 4);
        painter.fillRect(tag, m_palette.crosshair);
        painter.setPen(m_palette.background);
        painter.drawText(tag.adjusted(7, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         charttick::formatPrice(m_frame.priceAtY(p.y()), charttick::valueDecimals(step.decimals)));
    }
    const double slot = std::floor(m_frame.slotAtX(p.x()));
    const qsizetype index = m_model.indexAtSlot(slot);
    qint64 time = 0;
    if (index < m_model.candles().size() && m_model.slotOf(index) == slot)
        time = m_model.candles().at(index).time;
    else if (!m_model.indexAxis())
        time = m_model.candles().isEmpty()
                   ? 0
                   : m_model.candles().last().time + qint64(slot - m_model.lastSlot()) * m_model.timeframe();
    if (time == 0)
        return;
    const QString label = crosshairTime(time, m_frame.utc);
    const double w = fm.horizontalAdvance(label) + 12;
    const QRectF tag(p.x() - w / 2, m_frame.timeAxis.top() + 1, w, m_frame.timeAxis.height() - 1);
    painter.fillRect(tag, m_palette.crosshair);
    painter.setPen(m_palette.background);
    painter.drawText(tag, Qt::AlignCenter, label);
}

} // namespace gapless::ui
