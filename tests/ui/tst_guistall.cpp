// UI-4: the GUI thread never stalls: a 50 ms timer keeps ticking within 100 ms while 1M
// candles load into the chart from a real core, page by page as the view scrolls back. The
// core runs on a CoreThread of its own, as the desktop app runs its embedded core (D-UI-31).
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/stallmeter.h"
#include "ui/chart/candlechart.h"
#include "ui/chart/chartview.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;
using gapless::protocol::Client;
using gapless::protocol::ClientOptions;
using gapless::ui::CandleChart;
using gapless::ui::ChartView;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:STALL:1m");
constexpr qint64 kT0 = 1500000000 - 1500000000 % 60;
constexpr int kCandles = 1000000;
constexpr qint64 kNowMs = (kT0 + 60LL * kCandles + 86400) * 1000;

} // namespace

class TestGuiStall final : public QObject
{
    Q_OBJECT

private slots:
    void timerKeepsTickingWhileAMillionCandlesLoad();
};

void TestGuiStall::timerKeepsTickingWhileAMillionCandlesLoad()
{
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
    // 200 pages: the command bucket refills by the core's clock, which a TestCore holds still.
    TestCore core(kNowMs, {u"server.command_burst=1000"_s});
    QVERIFY(core.seed(kSeries, syntheticCandles(kT0, kCandles)));
    QVERIFY2(core.startOnThread(), qPrintable(core.error()));

    ClientOptions options;
    options.url = core.url();
    Client client(options);
    ChartView view(&client);
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    CandleChart *chart = view.chart();

    QSignalSpy drawn(&view, &ChartView::firstPageDrawn);
    view.setSeries(kSeries);
    client.open();
    QVERIFY(drawn.wait(30000));

    // The user holds Home: each page that lands scrolls the view to the oldest bar again,
    // zoomed out to the LOD regime so every frame draws thousands of bars.
    chart->setBarSpacing(0.05);
    connect(chart, &CandleChart::viewChanged, chart, [chart] {
        if (!chart->isPageInFlight() && !chart->isAtStartOfHistory())
            QTimer::singleShot(0, chart, [chart] { chart->scrollToStart(); });
    });

    test::StallMeter meter;
    meter.start();
    chart->scrollToStart();
    QTRY_VERIFY_WITH_TIMEOUT(chart->isAtStartOfHistory(), 120000);
    meter.stop();

    QCOMPARE(chart->model().candles().size(), qsizetype(kCandles));
    qInfo().noquote() << u"UI-4: %1 ticks, longest interval %2 ms, %3 bytes/candle held"_s.arg(meter.ticks())
                             .arg(meter.worst())
                             .arg(double(chart->model().candles().memoryBytes()) / kCandles, 0, 'f', 1);
    QVERIFY(meter.ticks() > 5);
    QVERIFY2(meter.worst() <= 100, qPrintable(u"the 50 ms timer stalled %1 ms"_s.arg(meter.worst())));
}

QTEST_MAIN(TestGuiStall)
#include "tst_guistall.moc"
