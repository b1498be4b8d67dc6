// CandleChart: pan, zoom, keys, crosshair and tooltips (UI-7, UI-8, UI-11, UI-18).
#include "ui/chart/candlechart.h"
#include "ui/chart/charttick.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QTimeZone>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

constexpr double kZoomStep = 1.15;

} // namespace

void CandleChart::setBarSpacing(double spacing, std::optional<double> anchorX)
{
    if (!std::isfinite(spacing))
        return;
    spacing = std::clamp(spacing, kMinSpacing, kMaxSpacing);
    const ChartFrame f = frame();
    const double x = anchorX.value_or(f.plot.right());
    const double slot = f.slotAtX(x);
    const bool follow = m_follow && !anchorX;
    m_spacing = spacing;
    m_rightSlot = follow ? defaultRightSlot() : slot + (f.plot.right() - x) / m_spacing;
    viewMoved();
}

void CandleChart::scrollBars(double bars)
{
    m_rightSlot += bars;
    viewMoved();
}

void CandleChart::scrollToEnd()
{
    m_rightSlot = defaultRightSlot();
    viewMoved();
}

void CandleChart::scrollToStart()
{
    m_rightSlot = m_model.firstSlot() + plotRect().width() / m_spacing - 2;
    viewMoved();
}

void CandleChart::centreOnTime(qint64 time)
{
    if (m_model.candles().isEmpty())
        return;
    double slot = m_model.slotOfTime(time) + 0.5;
    if (const qsizetype i = m_model.candles().indexOf(time); i < 0) {
        // Not a bar: a gap starting at `time` or holding it.
        for (const ChartGap &gap : m_model.loadedGaps()) {
            if (time >= gap.prevTime && time < gap.nextTime) {
                const auto [a, b] = m_model.gapSlots(gap);
                slot = (a + b) / 2;
                break;
            }
        }
    }
    m_rightSlot = slot + plotRect().width() / m_spacing / 2;
    viewMoved();
}

bool CandleChart::jumpToGap(bool forward)
{
    const double centre = m_rightSlot - plotRect().width() / m_spacing / 2;
    const std::vector<ChartGap> &gaps = m_model.loadedGaps();
    const ChartGap *target = nullptr;
    for (const ChartGap &gap : gaps) {
        const auto [a, b] = m_model.gapSlots(gap);
        const double mid = (a + b) / 2;
        if (forward && mid > centre + 0.5) {
            target = &gap;
            break;
        }
        if (!forward && mid < centre - 0.5)
            target = &gap;
    }
    if (!target)
        return false;
    const auto [a, b] = m_model.gapSlots(*target);
    m_rightSlot = (a + b) / 2 + plotRect().width() / m_spacing / 2;
    viewMoved();
    return true;
}

void CandleChart::resetPriceScale()
{
    m_manualRange.reset();
    update();
}

QString CandleChart::readoutAt(double x) const
{
    const ChartFrame f = frame();
    const double slot = std::floor(f.slotAtX(x));
    const CandleBuffer &candles = m_model.candles();
    const qsizetype index = m_model.indexAtSlot(slot);
    if (index < candles.size() && m_model.slotOf(index) == slot) {
        const Candle &c = candles.at(index);
        const double reference = index > 0 ? candles.at(index - 1).close : c.open;
        const double change = reference != 0 ? (c.close - reference) / reference * 100 : 0;
        const int decimals = charttick::valueDecimals(charttick::priceStep(f.high - f.low, int(f.plot.height())).decimals);
        const QDateTime dt = m_utc ? QDateTime::fromSecsSinceEpoch(c.time, QTimeZone::utc())
                                   : QDateTime::fromSecsSinceEpoch(c.time);
        auto price = [decimals](double v) { return charttick::formatPrice(v, decimals); };
        return u"%1  O %2  H %3  L %4  C %5  V %6  %7%8%"_s.arg(dt.toString(u"yyyy-MM-dd HH:mm"_s), price(c.open),
                                                                  price(c.high), price(c.low), price(c.close),
                                                                  QString::number(c.volume, 'f', 2),
                                                                  change >= 0 ? u"+"_s : QString(),
                                                                  QString::number(change, 'f', 2));
    }
    if (const auto gap = m_model.gapAtSlot(slot + 0.5))
        return tr("gap: %1 missing bars").arg(gap->missingBars);
    return {};
}

void CandleChart::setCrosshairX(double x, std::optional<double> y)
{
    const ChartFrame f = frame();
    const double slot = std::floor(f.slotAtX(x));
    m_crosshair = QPointF(f.xOfSlot(slot + 0.5), y.value_or(f.plot.center().y()));
    m_readout = readoutAt(m_crosshair->x());
}

void CandleChart::moveKeyboardCrosshair(int bars)
{
    const ChartFrame f = frame();
    if (!m_crosshair)
        m_crosshair = f.plot.center();
    double x = m_crosshair->x() + bars * m_spacing;
    // Keep it on screen: scroll the view under it instead.
    if (x < f.plot.left() || x > f.plot.right()) {
        m_rightSlot += bars;
        x = m_crosshair->x();
    }
    setCrosshairX(x, m_crosshair->y());
    viewMoved();
}

void CandleChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const ChartFrame f = frame();
    m_dragStart = event->position();
    m_dragStartSlot = m_rightSlot;
    m_dragPriceAxis = f.priceAxis.contains(event->position());
    m_dragStartRange = {f.low, f.high};
}

void CandleChart::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (m_dragStart && (event->buttons() & Qt::LeftButton)) {
        const QPointF delta = pos - *m_dragStart;
        if (m_dragPriceAxis) {
            // UI-6: dragging the price axis scales about the range's centre.
            const auto [low, high] = m_dragStartRange;
            const double mid = (low + high) / 2;
            const double half = (high - low) / 2 * std::exp(delta.y() / 120.0);
            m_manualRange = std::pair(mid - half, mid + half);
            update();
            return;
        }
        m_rightSlot = m_dragStartSlot - delta.x() / m_spacing;
    }
    if (!m_keyboardCrosshair && plotRect().contains(pos))
        setCrosshairX(pos.x(), pos.y());
    else if (!m_keyboardCrosshair)
        m_crosshair.reset();
    viewMoved();
}

void CandleChart::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragStart.reset();
    QWidget::mouseReleaseEvent(event);
}

void CandleChart::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (frame().priceAxis.contains(event->position()))
        resetPriceScale();
}

void CandleChart::leaveEvent(QEvent *event)
{
    if (!m_keyboardCrosshair) {
        m_crosshair.reset();
        m_readout.clear();
        update();
    }
    QWidget::leaveEvent(event);
}

void CandleChart::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        setBarSpacing(m_spacing * std::pow(kZoomStep, steps), event->position().x());
    event->accept();
}

void CandleChart::keyPressEvent(QKeyEvent *event)
{
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    const double screen = plotRect().width() / m_spacing;
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right: {
        const int bars = (event->key() == Qt::Key_Left ? -1 : 1) * (shift ? 10 : 1);
        if (m_keyboardCrosshair)
            moveKeyboardCrosshair(bars);
        else
            scrollBars(bars);
        break;
    }
    case Qt::Key_PageUp: scrollBars(-screen); break;
    case Qt::Key_PageDown: scrollBars(screen); break;
    case Qt::Key_Home: scrollToStart(); break;
    case Qt::Key_End: scrollToEnd(); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: setBarSpacing(m_spacing * kZoomStep); break;
    case Qt::Key_Minus: setBarSpacing(m_spacing / kZoomStep); break;
    case Qt::Key_0:
        if (!(event->modifiers() & Qt::ControlModifier))
            return QWidget::keyPressEvent(event);
        m_manualRange.reset();
        m_spacing = kDefaultSpacing;
        scrollToEnd();
        break;
    case Qt::Key_I: setIndexAxis(!indexAxis()); break;
    case Qt::Key_T: setLocalTime(m_utc); break;
    case Qt::Key_G: jumpToGap(!shift); break;
    case Qt::Key_C:
        m_keyboardCrosshair = !m_keyboardCrosshair;
        if (m_keyboardCrosshair)
            moveKeyboardCrosshair(0);
        else {
            m_crosshair.reset();
            m_readout.clear();
            update();
        }
        break;
    default: return QWidget::keyPressEvent(event);
    }
    event->accept();
}

bool CandleChart::event(QEvent *event)
{
    if (event->type() == QEvent::NativeGesture) {
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            setBarSpacing(m_spacing * (1 + gesture->value()), gesture->position().x());
            return true;
        }
    }
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const ChartFrame f = frame();
        QString text;
        if (f.priceAxis.contains(help->pos()))
            text = tr("Drag to scale the prices; double-click for automatic scale");
        else if (const auto gap = m_model.gapAtSlot(f.slotAtX(help->pos().x())))
            text = tr("%1 missing bars").arg(gap->missingBars);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace gapless::ui
