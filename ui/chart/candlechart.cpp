#include "ui/chart/candlechart.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

/// Empty space right of the newest bar, in px.
constexpr double kRightMarginPx = 48;

} // namespace

CandleChart::CandleChart(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_AcceptTouchEvents);
    setMinimumSize(200, 120);
    setAccessibleName(tr("Candlestick chart"));
    setAccessibleDescription(tr("Drag or use the arrow keys to pan, the wheel or +/- to zoom; C moves a crosshair "
                                "with the arrow keys, G jumps to the next gap, I switches index and time axis, "
                                "T switches UTC and local time"));
}

void CandleChart::setTimeframe(qint64 seconds)
{
    m_model.setTimeframe(seconds);
    update();
}

void CandleChart::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void CandleChart::clear()
{
    m_model.clear();
    m_spacing = kDefaultSpacing;
    m_rightSlot = 0;
    m_follow = true;
    m_startOfHistory = false;
    m_pageInFlight = false;
    m_manualRange.reset();
    m_crosshair.reset();
    m_readout.clear();
    update();
}

QRectF CandleChart::plotRect() const
{
    return QRectF(0, 0, std::max(1, width() - ChartPainter::kPriceAxisWidth),
                  std::max(1, height() - ChartPainter::kTimeAxisHeight));
}

ChartFrame CandleChart::frame() const
{
    ChartFrame f;
    f.plot = plotRect();
    f.priceAxis = QRectF(f.plot.right(), 0, width() - f.plot.right(), height());
    f.timeAxis = QRectF(0, f.plot.bottom(), f.plot.width(), height() - f.plot.bottom());
    f.spacing = m_spacing;
    f.rightSlot = m_rightSlot;
    std::tie(f.low, f.high) = m_manualRange ? *m_manualRange : autoRange();
    f.dpr = devicePixelRatioF();
    f.utc = m_utc;
    f.pivots = m_pivots;
    f.pen = m_pen;
    f.startOfHistory = m_startOfHistory;
    f.title = m_title;
    f.readout = m_readout;
    f.crosshair = m_crosshair;
    return f;
}

std::pair<qsizetype, qsizetype> CandleChart::visibleRange() const
{
    const QRectF plot = plotRect();
    const double left = m_rightSlot - plot.width() / m_spacing;
    return {m_model.indexAtSlot(std::floor(left)), m_model.indexAtSlot(m_rightSlot)};
}

std::pair<double, double> CandleChart::autoRange() const
{
    const auto [from, to] = visibleRange();
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    m_model.candles().forRange(from, to, [&](const Candle &c, qsizetype) {
        low = std::min(low, c.low);
        high = std::max(high, c.high);
    });
    if (low > high)
        return {0, 1};
    const double pad = high > low ? (high - low) * 0.05 : std::max(std::abs(high) * 0.05, 1e-9);
    return {low - pad, high + pad};
}

double CandleChart::xOfIndex(qsizetype index) const
{
    return frame().xOfSlot(m_model.slotOf(index) + 0.5);
}

double CandleChart::defaultRightSlot() const
{
    return m_model.candles().isEmpty() ? 0 : m_model.lastSlot() + 1 + kRightMarginPx / m_spacing;
}

bool CandleChart::lastBarVisible() const
{
    if (m_model.candles().isEmpty())
        return true;
    const double last = m_model.lastSlot();
    return last + 0.5 <= m_rightSlot && last + 0.5 >= m_rightSlot - plotRect().width() / m_spacing;
}

CandleChart::Anchor CandleChart::anchor() const
{
    const CandleBuffer &candles = m_model.candles();
    if (candles.isEmpty())
        return {};
    if (lastBarVisible())
        return {true, candles.last().time, m_rightSlot - m_model.lastSlot()};
    const qsizetype index = std::clamp<qsizetype>(m_model.indexAtSlot(m_rightSlot), 0, candles.size() - 1);
    const qint64 time = candles.at(index).time;
    return {false, time, m_rightSlot - m_model.slotOfTime(time)};
}

void CandleChart::restore(const Anchor &anchor)
{
    if (m_model.candles().isEmpty())
        return;
    if (anchor.time == 0)
        m_rightSlot = defaultRightSlot();
    else if (anchor.follow)
        m_rightSlot = m_model.lastSlot() + anchor.offset;
    else
        m_rightSlot = m_model.slotOfTime(anchor.time) + anchor.offset;
}

void CandleChart::addCandles(std::span<const Candle> candles)
{
    if (candles.empty())
        return;
    const Anchor kept = anchor();
    m_model.candles().merge(candles);
    m_model.refresh();
    m_model.healRange(candles.front().time, candles.back().time);
    m_model.refresh();
    restore(kept);
    viewMoved();
}

void CandleChart::updateLastCandle(const Candle &candle)
{
    const CandleBuffer &buffer = m_model.candles();
    if (buffer.isEmpty() || candle.time > buffer.last().time) {
        addCandles(std::span<const Candle>(&candle, 1));
        return;
    }
    if (candle.time < buffer.last().time) {
        addCandles(std::span<const Candle>(&candle, 1));
        return;
    }
    const auto before = autoRange();
    m_model.candles().appendOrReplace(candle);
    if (!m_manualRange && autoRange() != before) {
        update();
        return;
    }
    // UI-13: only the last bar's column and the price axis.
    const ChartFrame f = frame();
    const double x = f.xOfSlot(m_model.lastSlot() + 0.5);
    const int half = int(std::ceil(m_spacing / 2)) + 2;
    QRegion region(QRect(int(x) - half, 0, 2 * half + 1, int(f.plot.bottom())));
    region += f.priceAxis.toAlignedRect();
    if (m_crosshair)
        region += QRect(0, 0, int(f.plot.width()), 48); // the readout may show this bar
    update(region);
}

void CandleChart::prependPage(std::span<const Candle> candles, bool hasMore)
{
    m_pageInFlight = false;
    const Anchor kept = anchor();
    const qsizetype added = m_model.candles().prepend(candles);
    m_model.refresh();
    restore(kept); // the view does not move (UI-13)
    if (added == 0 || !hasMore)
        m_startOfHistory = true;
    viewMoved();
}

void CandleChart::setGaps(const QList<ChartGap> &gaps)
{
    const Anchor kept = anchor();
    m_model.setGaps(gaps);
    restore(kept);
    viewMoved();
}

void CandleChart::addGap(const ChartGap &gap)
{
    QList<ChartGap> gaps = m_model.gaps();
    gaps.append(gap);
    setGaps(gaps);
}

void CandleChart::healRange(qint64 from, qint64 to)
{
    const Anchor kept = anchor();
    if (!m_model.healRange(from, to))
        return;
    restore(kept);
    viewMoved();
}

void CandleChart::setOverlays(QList<ChartMarker> markers, QList<ChartSegment> segments)
{
    m_model.setOverlays(std::move(markers), std::move(segments));
    update();
}

void CandleChart::setIndexAxis(bool on)
{
    if (on == m_model.indexAxis())
        return;
    const auto [from, to] = visibleRange();
    const bool follow = lastBarVisible();
    const qsizetype centre = std::clamp<qsizetype>((from + to) / 2, 0, std::max<qsizetype>(0, m_model.candles().size() - 1));
    m_model.setIndexAxis(on);
    m_model.refresh();
    if (follow || m_model.candles().isEmpty())
        m_rightSlot = defaultRightSlot();
    else
        centreOnTime(m_model.candles().at(centre).time);
    viewMoved();
}

void CandleChart::setLocalTime(bool on)
{
    m_utc = !on;
    update();
}

void CandleChart::setPivotsVisible(bool on)
{
    m_pivots = on;
    update();
}

void CandleChart::setPenVisible(bool on)
{
    m_pen = on;
    update();
}

void CandleChart::setDarkTheme(bool dark)
{
    m_dark = dark;
    m_palette = dark ? ChartPalette::dark() : ChartPalette::light();
    update();
}

void CandleChart::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    const ChartFrame f = frame();
    ChartPainter(m_model, f, m_palette).paint(painter, event->rect());
    emit framePainted();
}

void CandleChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_follow)
        m_rightSlot = defaultRightSlot();
    requestOlderIfNeeded();
}

void CandleChart::viewMoved()
{
    m_follow = lastBarVisible();
    if (m_crosshair)
        setCrosshairX(m_crosshair->x(), m_crosshair->y());
    requestOlderIfNeeded();
    update();
    emit viewChanged();
}

void CandleChart::requestOlderIfNeeded()
{
    const CandleBuffer &candles = m_model.candles();
    if (candles.isEmpty() || m_pageInFlight || m_startOfHistory || candles.size() >= m_maxLoaded)
        return;
    const double leftSlot = m_rightSlot - plotRect().width() / m_spacing;
    if (m_model.indexAtSlot(leftSlot) >= kPagingMargin)
        return;
    m_pageInFlight = true;
    emit olderHistoryWanted(candles.first().time);
}

} // namespace gapless::ui
