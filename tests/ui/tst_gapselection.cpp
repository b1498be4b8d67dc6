// UI-14 gaps, UI-16, D-UI-30 on a real core: showing the gaps panel selects the shown
// series' first gap and the chart centres it; selecting a gap of another series switches the
// chart to that series and centres the gap once its first page is drawn.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/chart/candlechart.h"
#include "ui/chart/chartview.h"
#include "ui/mainwindow.h"
#include "ui/models/gapsmodel.h"
#include "ui/panels/gapspanel.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kT0 = 1718236800; // 2024-06-13T00:00:00Z
constexpr int kBars = 700;
constexpr int kHoleAt = 100; // bars kHoleAt .. kHoleAt + 19 are missing
constexpr int kHoleBars = 20;
const SeriesId kA = *SeriesId::parse(u"file:test:A:1m");
const SeriesId kB = *SeriesId::parse(u"file:test:B:1m");

CandleList withHole()
{
    CandleList candles = syntheticCandles(kT0, kBars);
    candles.remove(kHoleAt, kHoleBars);
    return candles;
}

/// Whether the chart left the live edge and shows the bar before the hole.
bool showsTheHole(const ui::CandleChart &chart)
{
    const auto [first, last] = chart.visibleRange();
    const qsizetype before = kHoleAt - 1;
    return !chart.isFollowingLive() && chart.model().candles().size() == kBars - kHoleBars && first <= before
           && before < last;
}

} // namespace

class TestGapSelection final : public QObject
{
    Q_OBJECT

private slots:
    void showingThePanelSelectsTheFirstGapAndAnotherSeriesFollows();
};

void TestGapSelection::showingThePanelSelectsTheFirstGapAndAnotherSeriesFollows()
{
    qRegisterMetaType<SeriesId>();
    TestCore core((kT0 + 60LL * (kBars + 10)) * 1000);
    QVERIFY(core.seed(kA, withHole()));
    QVERIFY(core.seed(kB, withHole()));
    QVERIFY2(core.start(), qPrintable(core.error()));
    protocol::Client client(clientOptions(core.url()));
    ui::MainWindowOptions options;
    options.offerDemo = false;
    options.remember = false;
    ui::MainWindow window(&client, options);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &ui::MainWindow::becameReady);
    client.open();
    QVERIFY(ready.wait(20000));
    QCOMPARE(window.selectedSeries(), kA); // the first by id
    ui::CandleChart *chart = window.chartView()->chart();
    QVERIFY(chart->isFollowingLive());

    // UI-16 --panel gaps: the shown series' first gap is selected as soon as it is listed.
    auto *panel = qobject_cast<ui::GapsPanel *>(window.dock(u"gaps"_s)->widget());
    QVERIFY(panel);
    QVERIFY(window.showPanel(u"gaps"_s));
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, 10000);
    QTRY_VERIFY(panel->currentRow() >= 0);
    auto *gaps = qobject_cast<ui::GapsModel *>(panel->model());
    QCOMPARE(gaps->seriesOf(panel->currentRow()), kA.toString());
    QCOMPARE(gaps->firstMissingTime(panel->currentRow()), kT0 + 60 * kHoleAt);
    QTRY_VERIFY(showsTheHole(*chart));
    QCOMPARE(chart->model().gaps().size(), 1);

    // A gap of B: the chart switches to B, then centres B's hole once B's first page is in.
    const int rowB = gaps->rowOfKey(u"%1|%2"_s.arg(kB.toString()).arg(kT0 + 60 * (kHoleAt - 1)));
    QVERIFY(rowB >= 0);
    const auto *proxy = static_cast<QSortFilterProxyModel *>(panel->view()->model());
    panel->view()->setCurrentIndex(proxy->mapFromSource(gaps->index(rowB, 0)));
    QCOMPARE(window.selectedSeries(), kB);
    QCOMPARE(window.chartView()->series(), kB);
    QTRY_VERIFY_WITH_TIMEOUT(showsTheHole(*chart), 10000);
    QCOMPARE(chart->model().gaps().size(), 1);
    QCOMPARE(panel->currentRow(), rowB);
}

QTEST_MAIN(TestGapSelection)
#include "tst_gapselection.moc"
