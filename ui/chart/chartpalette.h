#pragma once

#include <QColor>

namespace gapless::ui {

/// The chart's colours (UI-17): a light and a dark set.
struct ChartPalette
{
    QColor background;
    QColor axisBackground;
    QColor grid;
    QColor text;
    QColor mutedText;
    QColor up;
    QColor down;
    QColor gap;
    QColor crosshair;
    QColor readoutBackground;
    QColor pen;
    QColor pivotHigh;
    QColor pivotLow;

    [[nodiscard]] static ChartPalette light();
    [[nodiscard]] static ChartPalette dark();
};

} // namespace gapless::ui
