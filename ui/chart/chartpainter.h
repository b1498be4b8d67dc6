#pragma once

#include "ui/chart/chartpalette.h"

#include <QCoreApplication>
#include <QPen>
#include <QRectF>
#include <QString>

#include <cmath>
#include <optional>
#include <vector>

class QPainter;

namespace gapless::ui {

class ChartModel;

/// Where things are on screen for one frame: the plot, the axes, the horizontal view in slots
/// and the price range.
struct ChartFrame
{
    QRectF plot;
    QRectF priceAxis;
    QRectF timeAxis;
    double spacing = 6;   ///< px per slot
    double rightSlot = 0; ///< the slot coordinate at plot.right()
    double low = 0;
    double high = 1;
    qreal dpr = 1;
    bool utc = true;
    bool pivots = true;
    bool pen = true;
    bool startOfHistory = false;
    QString title;
    QString readout;
    std::optional<QPointF> crosshair; ///< snapped to the bar centre

    [[nodiscard]] double xOfSlot(double slot) const { return plot.right() - (rightSlot - slot) * spacing; }
    [[nodiscard]] double slotAtX(double x) const { return rightSlot - (plot.right() - x) / spacing; }
    [[nodiscard]] double yOf(double price) const
    {
        return plot.top() + (high - price) / (high - low) * plot.height();
    }
    [[nodiscard]] double priceAtY(double y) const
    {
        return high - (y - plot.top()) / plot.height() * (high - low);
    }
    /// The pen of a 1 px line (grid, axes, wicks, crosshair): cosmetic, floor(dpr) device px
    /// wide, so that at a device pixel ratio of 2 it fills both device px of its logical px
    /// column instead of leaving a faint hairline; flat ends, so a wick ends where its bar's
    /// high and low are (UI-17, D-UI-32).
    [[nodiscard]] QPen linePen(const QColor &colour, Qt::PenStyle style = Qt::SolidLine) const
    {
        if (dpr < 2)
            return QPen(colour, 0, style);
        QPen pen(colour, std::floor(dpr), style, Qt::FlatCap);
        pen.setCosmetic(true);
        return pen;
    }
};

/// Draws one frame of the chart (UI-6, UI-8, UI-9, UI-11, UI-12): only the bars within the
/// dirty rectangle, unantialiased, batched per colour, with cosmetic pens.
class ChartPainter
{
    Q_DECLARE_TR_FUNCTIONS(ChartPainter)
public:
    ChartPainter(const ChartModel &model, const ChartFrame &frame, const ChartPalette &palette);
    void paint(QPainter &painter, const QRectF &dirty) const;

    /// The label width the price axis needs.
    static constexpr int kPriceAxisWidth = 76;
    static constexpr int kTimeAxisHeight = 24;
    /// The narrowest band drawn for a gap on the index axis, and the width that gets a label.
    static constexpr double kMinGapPx = 6;
    static constexpr double kGapLabelPx = 40;

private:
    struct TimeTick
    {
        double x;
        qint64 time;
        qint64 previous; ///< the tick before, for the label (UI-9)
    };
    [[nodiscard]] static std::vector<TimeTick> timeTicks(const ChartModel &model, const ChartFrame &frame);

    void drawGrid(QPainter &painter) const;
    void drawGaps(QPainter &painter) const;
    void drawCandles(QPainter &painter, qsizetype from, qsizetype to) const;
    void drawLod(QPainter &painter, qsizetype from, qsizetype to) const;
    void drawOverlays(QPainter &painter) const;
    void drawPriceAxis(QPainter &painter) const;
    void drawTimeAxis(QPainter &painter) const;
    void drawLastPrice(QPainter &painter) const;
    void drawCrosshair(QPainter &painter) const;
    void drawLegend(QPainter &painter) const;

    const ChartModel &m_model;
    const ChartFrame &m_frame;
    const ChartPalette &m_palette;
    std::vector<TimeTick> m_timeTicks;
};

} // namespace gapless::ui
