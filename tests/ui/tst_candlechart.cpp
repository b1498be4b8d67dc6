// UI-6..13, UI-17, UI-18: the chart's pixels, view and input, offscreen.
#include "ui/chart/candlechart.h"

#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::ui;

namespace {

constexpr qint64 kT0 = 1709251200; // 2024-03-01 00:00 UTC

/// Bars alternating up and down around 100, each 2 wide, with a wick of 1 either side.
CandleList zigzag(qint64 from, int count, qint64 tf = 60)
{
    CandleList list;
    for (int i = 0; i < count; ++i) {
        const double base = 100 + (i % 7);
        const bool up = i % 2 == 0;
        list.append({from + i * tf, up ? base : base + 2, base + 3, base - 1, up ? base + 2 : base, 10.0 + i});
    }
    return list;
}

/// A random walk that looks like a market, for the saved screenshots.
CandleList walk(qint64 from, int count)
{
    CandleList list;
    double price = 64000;
    quint32 seed = 7;
    auto next = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return double(seed >> 8) / double(1u << 24) - 0.5;
    };
    for (int i = 0; i < count; ++i) {
        const double open = price;
        const double close = open + next() * 120 + std::sin(i / 40.0) * 15;
        const double high = std::max(open, close) + std::abs(next()) * 60;
        const double low = std::min(open, close) - std::abs(next()) * 60;
        list.append({from + i * 60, open, high, low, close, 5 + std::abs(next()) * 20});
        price = close;
    }
    return list;
}

std::span<const Candle> span(const CandleList &list)
{
    return {list.constData(), size_t(list.size())};
}

void saveIfAsked(const QImage &image, const QString &name)
{
    const QString dir = qEnvironmentVariable("GAPLESS_SAVE_PNG");
    if (!dir.isEmpty())
        image.save(dir + u'/' + name + u".png"_s);
}

int colourCount(const QImage &image, int x, int y0, int y1, const QColor &colour)
{
    int n = 0;
    for (int y = y0; y <= y1; ++y)
        n += image.pixelColor(x, y) == colour ? 1 : 0;
    return n;
}

} // namespace

class TestCandleChart final : public QObject
{
    Q_OBJECT

private slots:
    void candlesAtKnownPositionsAndColours();
    void gapBandIsHatchedAndHoldsNoBar_data();
    void gapBandIsHatchedAndHoldsNoBar();
    void lodDrawsOneLinePerColumn();
    void formingBarReplacesTheLastSlot();
    void followsLiveOnlyWhileTheLastBarIsVisible();
    void pagingPrependsWithoutShifting();
    void emptyPageMarksStartOfHistory();
    void readoutShowsBarOrGap();
    void keysPanZoomAndJump();
    void priceAxisDragScalesAndDoubleClickResets();
    void spacingIsClamped();
    void refusesBadGaps();
    void darkThemeAndAccessibleName();
    void screenshots();
};

void TestCandleChart::candlesAtKnownPositionsAndColours()
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
    // UI-6 at s = 6: a body of round(0.7 × 6) = 4 px; check the last 20 bars.
    for (qsizetype i = bars.size() - 20; i < bars.size(); ++i) {
        const Candle &c = bars.at(i);
        const int x = int(std::floor(chart.xOfIndex(i)));
        const int yBody = int((f.yOf(c.open) + f.yOf(c.close)) / 2);
        const QColor expected = c.close >= c.open ? up : down;
        QCOMPARE(image.pixelColor(x, yBody), expected);
        QCOMPARE(image.pixelColor(x - 1, yBody), expected); // 4 px wide: x-1 .. x+2 or x-2 .. x+1
        // The wick reaches the high, the gap between bars shows the background.
        QCOMPARE(image.pixelColor(x, int(f.yOf(c.high)) + 1), expected);
        QVERIFY(image.pixelColor(x, int(f.yOf(c.high)) - 3) != expected);
        QVERIFY(image.pixelColor(x + 3, yBody) != expected || image.pixelColor(x - 3, yBody) != expected);
    }
}

void TestCandleChart::gapBandIsHatchedAndHoldsNoBar_data()
{
    QTest::addColumn<bool>("indexAxis");
    QTest::addRow("index axis: one slot") << true;
    QTest::addRow("time axis: prev+tf..next") << false;
}

void TestCandleChart::gapBandIsHatchedAndHoldsNoBar()
{
    QFETCH(bool, indexAxis);
    // UI-11: the data has a hole of 8 bars after bar 29; the core reports it.
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.setIndexAxis(indexAxis);
    chart.addCandles(span(zigzag(kT0, 30)));
    chart.addCandles(span(zigzag(kT0 + 38 * 60, 30)));
    chart.setGaps({{kT0 + 29 * 60, kT0 + 38 * 60, 8}});
    const QImage image = chart.grab().toImage();
    saveIfAsked(image, indexAxis ? u"gap-index"_s : u"gap-time"_s);

    const ChartFrame f = chart.frame();
    const auto [a, b] = chart.model().gapSlots(chart.model().gaps().constFirst());
    QCOMPARE(b - a, indexAxis ? 1.0 : 8.0);
    const int x0 = int(std::ceil(f.xOfSlot(a))) + 1;
    const int x1 = int(std::floor(f.xOfSlot(b))) - 1;
    const QColor bg = ChartPalette::light().background;
    int tinted = 0;
    int hatched = 0;
    for (int x = x0; x <= x1; ++x) {
        for (int y = int(f.plot.top()) + 30; y < int(f.plot.bottom()) - 2; ++y) {
            const QColor c = image.pixelColor(x, y);
            QVERIFY2(c != ChartPalette::light().up && c != ChartPalette::light().down, "a bar inside the gap band");
            tinted += c != bg ? 1 : 0;
            hatched += c.red() - c.blue() > 60 ? 1 : 0; // the hatch lines: orange at 35 % alpha
        }
    }
    const int area = (x1 - x0 + 1) * (int(f.plot.height()) - 32);
    QVERIFY2(tinted > area * 9 / 10, "the band is shaded");
    QVERIFY2(hatched > area / 20 && hatched < area * 2 / 3, "the band is hatched");
    // Outside the band, left of it, the background is untouched between bars.
    QCOMPARE(image.pixelColor(int(f.xOfSlot(a - 10)), int(f.plot.top()) + 5), bg);
}

void TestCandleChart::lodDrawsOneLinePerColumn()
{
    // UI-6: s < 1: per device-pixel column one min-low…max-high line, up if the column's
    // last close ≥ its first open.
    CandleChart chart;
    chart.resize(600, 300);
    chart.setTimeframe(60);
    const CandleList bars = walk(kT0, 100000);
    chart.addCandles(span(bars));
    chart.setBarSpacing(0.1);
    const QImage image = chart.grab().toImage();
    saveIfAsked(image, u"lod"_s);
    const ChartFrame f = chart.frame();
    const QColor up = ChartPalette::light().up;
    const QColor down = ChartPalette::light().down;
    int columns = 0;
    for (int x = 10; x < int(f.plot.right()) - 60; ++x) {
        const int ups = colourCount(image, x, int(f.plot.top()), int(f.plot.bottom()) - 1, up);
        const int downs = colourCount(image, x, int(f.plot.top()), int(f.plot.bottom()) - 1, down);
        QVERIFY2(ups == 0 || downs == 0, "one colour per column");
        columns += ups + downs > 0 ? 1 : 0;
    }
    QVERIFY2(columns > (int(f.plot.right()) - 70) * 95 / 100, qPrintable(QString::number(columns)));
    // One column checked against the data: its ten bars' low..high.
    const int x = int(f.plot.right()) - 100;
    const qsizetype first = chart.model().indexAtSlot(f.slotAtX(x) - 0.5);
    double low = 1e300, high = -1e300;
    for (qsizetype i = first; i < chart.model().candles().size(); ++i) {
        const Candle &c = chart.model().candles().at(i);
        if (int(std::floor(chart.xOfIndex(i))) != x)
            break;
        low = std::min(low, c.low);
        high = std::max(high, c.high);
    }
    const QColor colour = image.pixelColor(x, int((f.yOf(low) + f.yOf(high)) / 2));
    QVERIFY(colour == up || colour == down);
    QVERIFY(image.pixelColor(x, int(f.yOf(high)) - 3) != colour);
}

void TestCandleChart::formingBarReplacesTheLastSlot()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    CandleList bars = zigzag(kT0, 40);
    chart.addCandles(span(bars));
    Candle forming = bars.constLast();
    QVERIFY(forming.close < forming.open); // the last zigzag bar is down
    forming.close = forming.open + 1;      // now up, same range
    chart.updateLastCandle(forming);
    QCOMPARE(chart.model().candles().size(), 40);
    const ChartFrame f = chart.frame();
    const QImage image = chart.grab().toImage();
    const int x = int(std::floor(chart.xOfIndex(39)));
    QCOMPARE(image.pixelColor(x, int(f.yOf(forming.open + 0.5))), ChartPalette::light().up);
    // A newer forming bar appends a slot.
    chart.updateLastCandle({kT0 + 40 * 60, 101, 102, 100, 101.5, 1});
    QCOMPARE(chart.model().candles().size(), 41);
}

void TestCandleChart::followsLiveOnlyWhileTheLastBarIsVisible()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 500)));
    QVERIFY(chart.isFollowingLive());
    const double lastX = chart.xOfIndex(499);
    chart.updateLastCandle({kT0 + 500 * 60, 100, 101, 99, 100.5, 1});
    QCOMPARE(chart.xOfIndex(500), lastX); // the view moved with the new bar
    chart.scrollBars(-300);
    QVERIFY(!chart.isFollowingLive());
    const double x = chart.xOfIndex(100);
    chart.updateLastCandle({kT0 + 501 * 60, 100, 101, 99, 100.5, 1});
    QCOMPARE(chart.xOfIndex(100), x); // not following: the view stays
    chart.scrollToEnd();
    QVERIFY(chart.isFollowingLive());
}

void TestCandleChart::pagingPrependsWithoutShifting()
{
    // UI-13: < 50 bars left of the view asks for a page, one at a time; the page prepends
    // without moving what is on screen.
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    QSignalSpy wanted(&chart, &CandleChart::olderHistoryWanted);
    chart.addCandles(span(zigzag(kT0 + 5000 * 60, 150))); // 38 bars left of a 120-slot view
    QCOMPARE(wanted.count(), 1);
    QCOMPARE(wanted.at(0).at(0).toLongLong(), kT0 + 5000 * 60);
    chart.scrollBars(-10);
    QCOMPARE(wanted.count(), 1); // one in flight
    const qsizetype index = chart.model().candles().indexOf(kT0 + 5100 * 60);
    const double x = chart.xOfIndex(index);
    chart.prependPage(span(zigzag(kT0, 5000)), true);
    QCOMPARE(chart.model().candles().size(), 5150);
    QCOMPARE(chart.xOfIndex(chart.model().candles().indexOf(kT0 + 5100 * 60)), x);
    QVERIFY(!chart.isPageInFlight());
    QCOMPARE(wanted.count(), 1); // now thousands of bars lie left of the view
    chart.scrollToStart();
    QCOMPARE(wanted.count(), 2);
}

void TestCandleChart::emptyPageMarksStartOfHistory()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    QSignalSpy wanted(&chart, &CandleChart::olderHistoryWanted);
    chart.addCandles(span(zigzag(kT0, 30)));
    QCOMPARE(wanted.count(), 1);
    chart.prependPage({}, false);
    QVERIFY(chart.isAtStartOfHistory());
    chart.scrollBars(-5);
    chart.scrollToStart();
    QCOMPARE(wanted.count(), 1); // paging stopped
    const QImage image = chart.grab().toImage();
    saveIfAsked(image, u"start-of-history"_s);
    const ChartFrame f = chart.frame();
    // "start of history" is drawn left of the first bar.
    int textPixels = 0;
    const int y = int(f.plot.center().y());
    for (int x = 0; x < int(chart.xOfIndex(0)) - 8; ++x) {
        for (int dy = -6; dy <= 6; ++dy)
            textPixels += image.pixelColor(x, y + dy) != ChartPalette::light().background ? 1 : 0;
    }
    QVERIFY(textPixels > 20);
}

void TestCandleChart::readoutShowsBarOrGap()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 30)));
    chart.addCandles(span(zigzag(kT0 + 38 * 60, 2)));
    chart.setGaps({{kT0 + 29 * 60, kT0 + 38 * 60, 8}});
    // UI-8: DATE TIME O H L C V Δ%; bar 1 is down: 103 → 101, previous close 102.
    QCOMPARE(chart.readoutAt(chart.xOfIndex(1)),
             u"2024-03-01 00:01  O 103.00  H 104.00  L 100.00  C 101.00  V 11.00  -0.98%"_s);
    const auto [a, b] = chart.model().gapSlots(chart.model().gaps().constFirst());
    QCOMPARE(chart.readoutAt(chart.frame().xOfSlot((a + b) / 2)), u"gap: 8 missing bars"_s);
    chart.setLocalTime(true);
    QVERIFY(chart.isLocalTime());
}

void TestCandleChart::keysPanZoomAndJump()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 300)));
    chart.addCandles(span(zigzag(kT0 + 310 * 60, 300)));
    chart.setGaps({{kT0 + 299 * 60, kT0 + 310 * 60, 10}});
    const double x = chart.xOfIndex(500);
    QTest::keyClick(&chart, Qt::Key_Left);
    QCOMPARE(chart.xOfIndex(500), x + 6);
    QTest::keyClick(&chart, Qt::Key_Left, Qt::ShiftModifier);
    QCOMPARE(chart.xOfIndex(500), x + 66);
    QTest::keyClick(&chart, Qt::Key_End);
    QCOMPARE(chart.xOfIndex(500), x);
    QTest::keyClick(&chart, Qt::Key_Plus);
    QCOMPARE(chart.barSpacing(), 6 * 1.15);
    QTest::keyClick(&chart, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(chart.barSpacing(), 6.0);
    // G: to the gap, centred.
    QTest::keyClick(&chart, Qt::Key_G, Qt::ShiftModifier);
    const auto [a, b] = chart.model().gapSlots(chart.model().gaps().constFirst());
    QVERIFY(std::abs(chart.frame().xOfSlot((a + b) / 2) - chart.frame().plot.center().x()) < 1);
    // C: keyboard crosshair, → moves it one bar.
    QTest::keyClick(&chart, Qt::Key_C);
    QVERIFY(chart.isKeyboardCrosshair());
    QTest::keyClick(&chart, Qt::Key_Right);
    QVERIFY(!chart.readout().isEmpty());
    QTest::keyClick(&chart, Qt::Key_I);
    QVERIFY(!chart.indexAxis());
}

void TestCandleChart::priceAxisDragScalesAndDoubleClickResets()
{
    CandleChart chart;
    chart.resize(800, 400);
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 100)));
    const ChartFrame before = chart.frame();
    // UI-6: auto = visible range ± 5 %: lows 99..., highs ...109.
    QVERIFY(std::abs(before.low - (99 - 0.5)) < 1e-9);
    QVERIFY(std::abs(before.high - (109 + 0.5)) < 1e-9);
    const QPoint axis(int(before.priceAxis.center().x()), 200);
    QTest::mousePress(&chart, Qt::LeftButton, {}, axis);
    QTest::mouseMove(&chart, axis + QPoint(0, 60));
    QTest::mouseRelease(&chart, Qt::LeftButton, {}, axis + QPoint(0, 60));
    QVERIFY(!chart.isAutoScale());
    QVERIFY(chart.frame().high - chart.frame().low > (before.high - before.low) * 1.2);
    QTest::mouseDClick(&chart, Qt::LeftButton, {}, axis);
    QVERIFY(chart.isAutoScale());
}

void TestCandleChart::spacingIsClamped()
{
    CandleChart chart;
    chart.setBarSpacing(1000);
    QCOMPARE(chart.barSpacing(), CandleChart::kMaxSpacing);
    chart.setBarSpacing(0);
    QCOMPARE(chart.barSpacing(), CandleChart::kMinSpacing);
    chart.setBarSpacing(std::nan(""));
    QVERIFY(chart.barSpacing() >= CandleChart::kMinSpacing);
}

void TestCandleChart::refusesBadGaps()
{
    // UI-11: only well-formed, non-overlapping holes become bands.
    CandleChart chart;
    chart.setTimeframe(60);
    chart.addCandles(span(zigzag(kT0, 100)));
    chart.setGaps({{kT0 + 600, kT0 + 300, 4},   // next before prev
                   {kT0 + 900, kT0 + 900, 0},   // empty
                   {kT0 + 1200, kT0 + 1800, 9}, // kept
                   {kT0 + 1500, kT0 + 2400, 3}}); // overlaps the one kept
    QCOMPARE(chart.model().gaps().size(), 1);
    QCOMPARE(chart.model().gaps().constFirst().prevTime, kT0 + 1200);
    chart.addGap({kT0 + 1260, kT0 + 1320, 0}); // inside a known band
    QCOMPARE(chart.model().gaps().size(), 1);
}

void TestCandleChart::darkThemeAndAccessibleName()
{
    CandleChart chart;
    chart.resize(400, 300);
    chart.setDarkTheme(true);
    const QImage image = chart.grab().toImage();
    QCOMPARE(image.pixelColor(20, 100), ChartPalette::dark().background);
    QVERIFY(!chart.accessibleName().isEmpty());
    QVERIFY(!chart.accessibleDescription().isEmpty());
}

void TestCandleChart::screenshots()
{
    for (bool dark : {false, true}) {
        CandleChart chart;
        chart.resize(1100, 560);
        chart.setDarkTheme(dark);
        chart.setTimeframe(60);
        chart.setTitle(u"binance:spot:BTCUSDT:1m"_s);
        const CandleList bars = walk(kT0, 400);
        chart.addCandles(span(bars.mid(0, 250)));
        chart.addCandles(span(bars.mid(262)));
        chart.setGaps({{bars.at(249).time, bars.at(262).time, 12}});
        chart.setOverlays({{bars.at(300).time, bars.at(300).high, true, 1}, {bars.at(340).time, bars.at(340).low, false, 1},
                           {bars.at(370).time, bars.at(370).high, true, 0.5}},
                          {{bars.at(300).time, bars.at(300).high, bars.at(340).time, bars.at(340).low},
                           {bars.at(340).time, bars.at(340).low, bars.at(370).time, bars.at(370).high}});
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QPointF at(chart.xOfIndex(300), 200);
        QMouseEvent move(QEvent::MouseMove, at, chart.mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&chart, &move);
        const QImage image = chart.grab().toImage();
        saveIfAsked(image, dark ? u"chart-dark"_s : u"chart-light"_s);
        QVERIFY(!chart.readout().isEmpty());
    }
}

QTEST_MAIN(TestCandleChart)
#include "tst_candlechart.moc"
