#include "ui/chart/chartpainter.h"

#include "ui/chart/chartmodel.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace gapless::ui {

ChartPainter::ChartPainter(const ChartModel &model, const ChartFrame &frame, const ChartPalette &palette)
    : m_model(model)
    , m_frame(frame)
    , m_palette(palette)
    , m_timeTicks(timeTicks(model, frame))
{
}

void ChartPainter::paint(QPainter &painter, const QRectF &dirty) const
{
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillRect(m_frame.plot, m_palette.background);
    drawGrid(painter);
    drawGaps(painter);

    const CandleBuffer &candles = m_model.candles();
    if (!candles.isEmpty()) {
        // Only the slots the dirty rectangle shows, one more each side for wide bodies.
        const double left = std::max(dirty.left(), m_frame.plot.left());
        const double right = std::min(dirty.right(), m_frame.plot.right());
        const qsizetype from = std::max<qsizetype>(0, m_model.indexAtSlot(m_frame.slotAtX(left) - 1));
        const qsizetype to = std::min(candles.size(), m_model.indexAtSlot(m_frame.slotAtX(right) + 1));
        painter.save();
        painter.setClipRect(m_frame.plot);
        if (m_frame.spacing < 1)
            drawLod(painter, from, to);
        else
            drawCandles(painter, from, to);
        painter.restore();
    }
    drawOverlays(painter);
    if (m_frame.startOfHistory && !candles.isEmpty()) {
        const double x = m_frame.xOfSlot(m_model.firstSlot());
        if (x > m_frame.plot.left() + 8) {
            painter.setPen(m_palette.mutedText);
            const QRectF box(m_frame.plot.left(), m_frame.plot.center().y() - 10, x - m_frame.plot.left() - 6, 20);
            painter.drawText(box, Qt::AlignRight | Qt::AlignVCenter, tr("start of history"));
        }
    }
    drawPriceAxis(painter);
    drawTimeAxis(painter);
    drawLastPrice(painter);
    drawCrosshair(painter);
    drawLegend(painter);
}

void ChartPainter::drawGaps(QPainter &painter) const
{
    painter.save();
    painter.setClipRect(m_frame.plot);
    QColor hatch = m_palette.gap;
    hatch.setAlphaF(0.35f);
    QColor fill = m_palette.gap;
    fill.setAlphaF(0.10f);
    const QBrush hatchBrush(hatch, Qt::BDiagPattern);
    for (const ChartGap &gap : m_model.loadedGaps()) {
        const auto [a, b] = m_model.gapSlots(gap);
        double x0 = m_frame.xOfSlot(a);
        double x1 = m_frame.xOfSlot(b);
        if (x1 - x0 < kMinGapPx) {
            const double mid = (x0 + x1) / 2;
            x0 = mid - kMinGapPx / 2;
            x1 = mid + kMinGapPx / 2;
        }
        if (x1 < m_frame.plot.left() || x0 > m_frame.plot.right())
            continue;
        const QRectF band(std::round(x0), m_frame.plot.top(), std::max(1.0, std::round(x1) - std::round(x0)),
                          m_frame.plot.height());
        painter.fillRect(band, fill);
        painter.fillRect(band, hatchBrush);
        if (band.width() >= kGapLabelPx) {
            painter.setPen(m_palette.gap);
            painter.drawText(band.adjusted(2, 4, -2, 0), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                             tr("%1 missing").arg(gap.missingBars));
        }
    }
    painter.restore();
}

void ChartPainter::drawCandles(QPainter &painter, qsizetype from, qsizetype to) const
{
    const double s = m_frame.spacing;
    const bool bodies = s >= 3;
    const double body = std::max(1.0, std::round(0.7 * s));
    std::vector<QRectF> bodyRects[2];
    std::vector<QLineF> wicks[2];
    for (auto &v : bodyRects)
        v.reserve(size_t(to - from));
    for (auto &v : wicks)
        v.reserve(size_t(to - from));
    m_model.candles().forRange(from, to, [&](const Candle &c, qsizetype index) {
        const int side = c.close >= c.open ? 0 : 1;
        // Pixel centres: a 1 px cosmetic line at x + 0.5 covers exactly column x.
        const double cx = std::floor(m_frame.xOfSlot(m_model.slotOf(c, index) + 0.5)) + 0.5;
        const double yHigh = std::round(m_frame.yOf(c.high));
        const double yLow = std::round(m_frame.yOf(c.low));
        wicks[side].emplace_back(cx, yHigh, cx, std::max(yLow, yHigh + 1));
        if (bodies) {
            const double top = std::round(m_frame.yOf(std::max(c.open, c.close)));
            const double bottom = std::round(m_frame.yOf(std::min(c.open, c.close)));
            const double left = std::floor(cx - body / 2 + 0.5);
            bodyRects[side].emplace_back(left, top, body, std::max(1.0, bottom - top));
        }
    });
    const QColor colours[2] = {m_palette.up, m_palette.down};
    for (int side = 0; side < 2; ++side) {
        painter.setPen(m_frame.linePen(colours[side]));
        painter.drawLines(wicks[side].data(), int(wicks[side].size()));
        painter.setPen(Qt::NoPen);
        painter.setBrush(colours[side]);
        painter.drawRects(bodyRects[side].data(), int(bodyRects[side].size()));
    }
    painter.setBrush(Qt::NoBrush);
}

void ChartPainter::drawLod(QPainter &painter, qsizetype from, qsizetype to) const
{
    // UI-6 below 1 px per bar: one low…high line per device-pixel column, up if the column's
    // last close ≥ its first open.
    const qreal dpr = m_frame.dpr;
    std::vector<QLineF> lines[2];
    qint64 column = std::numeric_limits<qint64>::min();
    double low = 0;
    double high = 0;
    double open = 0;
    double close = 0;
    auto flush = [&] {
        if (column == std::numeric_limits<qint64>::min())
            return;
        const double x = (double(column) + 0.5) / dpr;
        const double y0 = std::round(m_frame.yOf(high) * dpr) / dpr;
        const double y1 = std::round(m_frame.yOf(low) * dpr) / dpr;
        lines[close >= open ? 0 : 1].emplace_back(x, y0, x, std::max(y1, y0 + 1 / dpr));
    };
    m_model.candles().forRange(from, to, [&](const Candle &c, qsizetype index) {
        const auto col = qint64(std::floor(m_frame.xOfSlot(m_model.slotOf(c, index) + 0.5) * dpr));
        if (col != column) {
            flush();
            column = col;
            low = c.low;
            high = c.high;
            open = c.open;
        } else {
            low = std::min(low, c.low);
            high = std::max(high, c.high);
        }
        close = c.close;
    });
    flush();
    const QColor colours[2] = {m_palette.up, m_palette.down};
    for (int side = 0; side < 2; ++side) {
        painter.setPen(QPen(colours[side], 0)); // one device px: LOD columns are device px
        painter.drawLines(lines[side].data(), int(lines[side].size()));
    }
}

void ChartPainter::drawOverlays(QPainter &painter) const
{
    const CandleBuffer &candles = m_model.candles();
    if (candles.isEmpty())
        return;
    painter.save();
    painter.setClipRect(m_frame.plot);
    const double first = candles.first().time;
    if (m_frame.pen && !m_model.segments().isEmpty()) {
        std::vector<QLineF> lines;
        for (const ChartSegment &seg : m_model.segments()) {
            if (seg.fromTime < first)
                continue;
            lines.emplace_back(m_frame.xOfSlot(m_model.slotOfTime(seg.fromTime) + 0.5), m_frame.yOf(seg.fromValue),
                               m_frame.xOfSlot(m_model.slotOfTime(seg.toTime) + 0.5), m_frame.yOf(seg.toValue));
        }
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(m_palette.pen, 1.5));
        painter.drawLines(lines.data(), int(lines.size()));
    }
    if (m_frame.pivots) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(Qt::NoPen);
        const double leftSlot = m_frame.slotAtX(m_frame.plot.left()) - 1;
        const double rightSlot = m_frame.rightSlot + 1;
        for (const ChartMarker &marker : m_model.markers()) {
            const qsizetype index = candles.indexOf(marker.time);
            if (index < 0)
                continue;
            const double slot = m_model.slotOf(index);
            if (slot < leftSlot || slot > rightSlot)
                continue;
            const Candle &c = candles.at(index);
            const double x = m_frame.xOfSlot(slot + 0.5);
            const double h = marker.size >= 1 ? 7 : 5;
            const double y = marker.above ? m_frame.yOf(c.high) - 4 : m_frame.yOf(c.low) + 4;
            QPainterPath path;
            if (marker.above) { // ▼ above the high
                path.moveTo(x - h, y - h * 1.4);
                path.lineTo(x + h, y - h * 1.4);
                path.lineTo(x, y);
            } else { // ▲ below the low
                path.moveTo(x - h, y + h * 1.4);
                path.lineTo(x + h, y + h * 1.4);
                path.lineTo(x, y);
            }
            path.closeSubpath();
            painter.setBrush(marker.above ? m_palette.pivotHigh : m_palette.pivotLow);
            painter.drawPath(path);
        }
    }
    painter.restore();
}

void ChartPainter::drawLegend(QPainter &painter) const
{
    const QRectF area = m_frame.plot.adjusted(8, 6, -8, 0);
    QFont font = painter.font();
    if (!m_frame.title.isEmpty()) {
        QFont bold = font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(m_palette.text);
        painter.drawText(area, Qt::AlignLeft | Qt::AlignTop, m_frame.title);
        painter.setFont(font);
    }
    if (m_frame.readout.isEmpty())
        return;
    const QFontMetricsF fm(font);
    const QRectF box(area.left() - 4, area.top() + fm.height() + 2, fm.horizontalAdvance(m_frame.readout) + 8,
                     fm.height() + 4);
    painter.fillRect(box, m_palette.readoutBackground);
    painter.setPen(m_palette.text);
    painter.drawText(box, Qt::AlignCenter, m_frame.readout);
}

} // namespace gapless::ui
