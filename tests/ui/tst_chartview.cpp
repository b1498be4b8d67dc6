// UI-11, UI-13, UI-16, UI-19: the chart fed by a real protocol::Client from a real Core on
// 127.0.0.1 over a store with a hole.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "ui/chart/candlechart.h"
#include "ui/chart/chartview.h"

#include <QImage>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;
using gapless::protocol::Client;
using gapless::protocol::ClientOptions;
using gapless::ui::CandleChart;
using gapless::ui::ChartGap;
using gapless::ui::ChartView;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:CHART:1m");
constexpr qint64 kTf = 60;
constexpr qint64 kT0 = 1699999980; // a multiple of 60
constexpr qint64 kNowMs = (kT0 + 60 * 86400) * 1000;
constexpr int kWaitMs = 30000;

qint64 at(int i)
{
    return kT0 + kTf * qint64(i);
}

ClientOptions optionsFor(const QUrl &url)
{
    ClientOptions options;
    options.url = url;
    options.reconnectBaseMs = 10;
    options.reconnectCapMs = 80;
    auto rng = std::make_shared<QRandomGenerator>(5);
    options.random = [rng] { return rng->generateDouble(); };
    return options;
}

QList<qint64> chartTimes(const CandleChart &chart)
{
    QList<qint64> times;
    const auto &candles = chart.model().candles();
    candles.forRange(0, candles.size(), [&times](const Candle &c, qsizetype) { times.append(c.time); });
    return times;
}

QList<qint64> timesOf(const CandleList &candles)
{
    QList<qint64> times;
    for (const Candle &c : candles)
        times.append(c.time);
    return times;
}

} // namespace

class TestChartView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pagesBandsHealsAndSurvivesARestart();
};

void TestChartView::initTestCase()
{
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
}

void TestChartView::pagesBandsHealsAndSurvivesARestart()
{
    TestCore core(kNowMs);
    // at(0)..at(11999) with a hole of 10 at at(9000)..at(9009), inside the newest 5000 rows.
    const CandleList before = syntheticCandles(at(0), 9000);
    const CandleList hole = syntheticCandles(at(9000), 10);
    const CandleList after = syntheticCandles(at(9010), 2990);
    QVERIFY(core.seed(kSeries, before + after));
    QVERIFY2(core.start(), qPrintable(core.error()));

    Client client(optionsFor(core.url()));
    ChartView view(&client);
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy drawn(&view, &ChartView::firstPageDrawn);
    QSignalSpy gapsChanged(&view, &ChartView::gapsChanged);
    view.setSeries(kSeries);
    QCOMPARE(view.series(), kSeries);
    client.open();
    CandleChart *chart = view.chart();

    // UI-16: the first page (the catch-up tail of 5000) is drawn.
    QVERIFY(drawn.wait(kWaitMs));
    QCOMPARE(drawn.at(0).at(0).value<SeriesId>(), kSeries);
    QCOMPARE(chart->model().candles().size(), 5000);
    QCOMPARE(chart->model().candles().first().time, at(6990));
    QCOMPARE(chart->model().candles().last().time, at(11999));

    // UI-11: the gap the core reports is banded, and only that one.
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().gaps().size(), 1, kWaitMs);
    QCOMPARE(chart->model().gaps().constFirst(), (ChartGap{at(8999), at(9010), 10}));
    QVERIFY(!gapsChanged.isEmpty());
    QCOMPARE(gapsChanged.constLast().at(1).toInt(), 1);
    view.jumpToTime(at(9000));
    const auto frame = chart->frame();
    const auto [a, b] = chart->model().gapSlots(chart->model().gaps().constFirst());
    const QImage image = chart->grab().toImage();
    const int bandX = int((frame.xOfSlot(a) + frame.xOfSlot(b)) / 2);
    int hatched = 0;
    for (int y = int(frame.plot.top()) + 40; y < int(frame.plot.bottom()); ++y) {
        const QColor c = image.pixelColor(bandX, y);
        QVERIFY(c != gapless::ui::ChartPalette::light().up && c != gapless::ui::ChartPalette::light().down);
        hatched += c.red() - c.blue() > 60 ? 1 : 0;
    }
    QVERIFY2(hatched > 5, "the band is drawn where the core reports the hole");

    // UI-13: scrolling back pages older history in without shifting the view.
    chart->scrollToStart();
    QVERIFY(chart->isPageInFlight());
    const qint64 anchorTime = chart->model().candles().first().time;
    const double anchorX = chart->xOfIndex(0);
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().candles().size(), 10000, kWaitMs);
    QCOMPARE(chart->xOfIndex(chart->model().candles().indexOf(anchorTime)), anchorX);
    QCOMPARE(chart->model().candles().first().time, at(1990));
    chart->scrollToStart();
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().candles().size(), 12000 - 10, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(chart->isAtStartOfHistory(), kWaitMs);
    QCOMPARE(chartTimes(*chart), timesOf(before + after));

    // UI-11: the band vanishes once the healing data arrive.
    QVERIFY(core.ingest(kSeries, hole));
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().gaps().size(), 0, kWaitMs);
    QCOMPARE(chart->model().candles().size(), 12000);
    QCOMPARE(gapsChanged.constLast().at(1).toInt(), 0);

    // UI-19: the core restarted under the client, with bars stored while it was away.
    core.stop();
    QVERIFY(core.seed(kSeries, syntheticCandles(at(12000), 100)));
    QVERIFY2(core.restart(), qPrintable(core.error()));
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().candles().last().time, at(12099), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(client.isCaughtUp(kSeries) && client.isIdle(), kWaitMs);
    QCOMPARE(chartTimes(*chart), timesOf(core.stored(kSeries))); // no duplicate, no hole
    QCOMPARE(chart->model().gaps().size(), 0);
}

QTEST_MAIN(TestChartView)
#include "tst_chartview.moc"
