// UI-17, D-UI-32: the chart at a device pixel ratio of 2 (QT_SCALE_FACTOR=2, set before the
// application starts): twice the pixels, candles and a gap band at the doubled positions, and
// 1 px lines that fill both device px of their logical px with their exact colour (crisp, no
// faint or blended hairline). LOD lines are one per device-pixel column.
#include "ui/chart/candlechart.h"

#include <QApplication>
#include <QImage>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::ui;

namespace {

constexpr qint64 kT0 = 1709251200; // 2024-03-01 00:00 UTC

/// Bars alternating up and down around 100: bodies of 2, wicks of 1 either side.
CandleList zigzag(qint64 from, int count)
{
    CandleList list;
    for (int i = 0; i < count; ++i) {
        const double base = 100 + (i % 7);
        const bool up = i % 2 == 0;
        list.append({from + i * 60, up ? base : base + 2, base + 3, base - 1, up ? base + 2 : base, 10.0 + i});
    }
    return list;
}

std::span<const Candle> span(const CandleList &list)
{
    return {list.constData(), size_t(list.size())};
}

/// Runs of `colour` along a device-pixel column: {first row, length}.
QList<std::pair<int, int>> runsInColumn(const QImage &image, int x, int y0, int y1, const QColor &colour)
{
    QList<std::pair<int, int>> runs;
    for (int y = y0; y < y1; ++y) {
        if (image.pixelColor(x, y) != colour)
            continue;
        if (!runs.isEmpty() && runs.last().first + runs.last().second == y)
            ++runs.last().second;
        else
            runs.append({y, 1});
    }
    return runs;
}

} // namespace

class TestChartHiDpi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void imageIsTwiceTheLogicalSize();
    void candlesLandAtDoubledPositions();
    void gridLinesAreTwoCrispDevicePixels();
    void gapBandAtDoubledPosition();
    void lodDrawsEveryDevicePixelColumn();
};

void TestChartHiDpi::initTestCase()
{
    QCOMPARE(qApp->devicePixelRatio(), 2.0);
}

void TestChartHiDpi::imageIsTwiceTheLogicalSize()
{
    CandleChart chart;
    chart.resize(500, 300);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 40)));
    const QImage image = chart.grab().toImage();
    QCOMPARE(image.devicePixelRatio(), 2.0);
    QCOMPARE(image.size(), QSize(1000, 600));
    QCOMPARE(chart.frame().dpr, 2.0);
}

void TestChartHiDpi::candlesLandAtDoubledPositions()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    const CandleList bars = zigzag(kT0, 60);
    chart.addCandles(span(bars));
    const QImage image = chart.grab().toImage();
    const ChartFrame f = chart.frame();
    const QColor up = ChartPalette::light().up;
    const QColor down = ChartPalette::light().down;
    for (qsizetype i = bars.size() - 20; i < bars.size(); ++i) {
        const Candle &c = bars.at(i);
        const QColor expected = c.close >= c.open ? up : down;
        const int x = int(std::floor(chart.xOfIndex(i))); // the wick's logical column
        const int yBody = int((f.yOf(c.open) + f.yOf(c.close)) / 2);
        // The body: round(0.7 × 6) = 4 logical px = 8 device px around the wick.
        QCOMPARE(image.pixelColor(2 * x, 2 * yBody), expected);
        QCOMPARE(image.pixelColor(2 * x - 2, 2 * yBody + 1), expected);
        QVERIFY(image.pixelColor(2 * x + 6, 2 * yBody) != expected || image.pixelColor(2 * x - 6, 2 * yBody) != expected);
        // The wick, between the high and the body: exactly the two device px of its column.
        const int yWick = int(std::round((f.yOf(c.high) + f.yOf(std::max(c.open, c.close))) / 2));
        QCOMPARE(image.pixelColor(2 * x, 2 * yWick), expected);
        QCOMPARE(image.pixelColor(2 * x + 1, 2 * yWick), expected);
        QVERIFY(image.pixelColor(2 * x - 1, 2 * yWick) != expected);
        QVERIFY(image.pixelColor(2 * x + 2, 2 * yWick) != expected);
        // Nothing above the high.
        QVERIFY(image.pixelColor(2 * x, 2 * int(f.yOf(c.high)) - 6) != expected);
    }
}

void TestChartHiDpi::gridLinesAreTwoCrispDevicePixels()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 20))); // 120 px of bars at the right; the left is empty
    const QImage image = chart.grab().toImage();
    const ChartFrame f = chart.frame();
    const QColor grid = ChartPalette::light().grid;
    const QColor bg = ChartPalette::light().background;
    const int x = 2 * int(f.plot.left() + 20);
    const auto runs = runsInColumn(image, x, 2 * int(f.plot.top()) + 2, 2 * int(f.plot.bottom()) - 2, grid);
    QVERIFY2(runs.size() >= 3, "price grid lines in the empty left part of the plot");
    for (const auto &[top, length] : runs) {
        QCOMPARE(length, 2);    // one logical px, both device px
        QCOMPARE(top % 2, 0);   // on a logical pixel, not straddling two
        QCOMPARE(image.pixelColor(x, top - 1), bg);
        QCOMPARE(image.pixelColor(x, top + 2), bg);
    }
    // The column holds only background and grid: no blended grey from a scaled hairline.
    for (int y = 2 * int(f.plot.top()) + 2; y < 2 * int(f.plot.bottom()) - 2; ++y) {
        const QColor c = image.pixelColor(x, y);
        QVERIFY2(c == bg || c == grid, qPrintable(u"device row %1: %2"_s.arg(y).arg(c.name())));
    }
}

void TestChartHiDpi::gapBandAtDoubledPosition()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.setIndexAxis(false);
    chart.addCandles(span(zigzag(kT0, 30)));
    chart.addCandles(span(zigzag(kT0 + 38 * 60, 30)));
    chart.setGaps({{kT0 + 29 * 60, kT0 + 38 * 60, 8}});
    const QImage image = chart.grab().toImage();
    const ChartFrame f = chart.frame();
    const auto [a, b] = chart.model().gapSlots(chart.model().gaps().constFirst());
    const int left = int(std::round(f.xOfSlot(a)));
    const int right = int(std::round(f.xOfSlot(b)));
    const ChartPalette palette = ChartPalette::light();
    // Band pixels: the tint and hatch over the background or a grid line, never a bar.
    const auto isBand = [&](const QColor &c) {
        return c != palette.background && c != palette.grid && c != palette.up && c != palette.down;
    };
    int rows = 0;
    for (int y = 2 * int(f.plot.top()) + 60; y < 2 * int(f.plot.bottom()) - 4; y += 7) {
        ++rows;
        // The band starts and ends on the doubled logical edge.
        QVERIFY2(!isBand(image.pixelColor(2 * left - 1, y)), qPrintable(u"device row %1"_s.arg(y)));
        QVERIFY2(isBand(image.pixelColor(2 * left, y)), qPrintable(u"device row %1"_s.arg(y)));
        QVERIFY2(isBand(image.pixelColor(2 * right - 1, y)), qPrintable(u"device row %1"_s.arg(y)));
        QVERIFY2(!isBand(image.pixelColor(2 * right, y)), qPrintable(u"device row %1"_s.arg(y)));
        for (int x = 2 * left; x < 2 * right; ++x)
            QVERIFY2(isBand(image.pixelColor(x, y)), "a bar or a bare pixel inside the gap band");
    }
    QVERIFY(rows > 20);
}

void TestChartHiDpi::lodDrawsEveryDevicePixelColumn()
{
    // UI-6, UI-17: below 1 px per bar, one line per device-pixel column, so at DPR 2 no device
    // column inside the bars is left empty (a per-logical-px LOD would leave every other one).
    CandleChart chart;
    chart.resize(600, 300);
    chart.setTimeframe(60);
    CandleList bars;
    for (int i = 0; i < 100000; ++i) {
        const double mid = 100 + 10 * std::sin(i / 500.0);
        bars.append({kT0 + i * 60, mid, mid + 2, mid - 2, mid + (i % 2 ? 0.5 : -0.5), 1});
    }
    chart.addCandles(span(bars));
    chart.setBarSpacing(0.1);
    const QImage image = chart.grab().toImage();
    const ChartFrame f = chart.frame();
    const QColor bg = ChartPalette::light().background;
    const QColor grid = ChartPalette::light().grid;
    const int firstX = std::max(2 * int(f.plot.left()), 2 * int(std::ceil(f.xOfSlot(chart.model().firstSlot())))) + 2;
    const int lastX = 2 * int(std::floor(f.xOfSlot(chart.model().lastSlot()))) - 2;
    QVERIFY(lastX - firstX > 400);
    int empty = 0;
    for (int x = firstX; x <= lastX; ++x) {
        bool drawn = false;
        for (int y = 2 * int(f.plot.top()); y < 2 * int(f.plot.bottom()) && !drawn; ++y) {
            const QColor c = image.pixelColor(x, y);
            drawn = c != bg && c != grid;
        }
        empty += drawn ? 0 : 1;
    }
    QCOMPARE(empty, 0);
}

int main(int argc, char **argv)
{
    // Before the application exists: the scale factor is read once, at startup.
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestChartHiDpi test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_charthidpi.moc"
