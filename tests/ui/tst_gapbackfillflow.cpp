// UI-14 gaps, UI-11, UI-19, JOB-11, BF-22 end to end: a binance series stored with a hole on a
// real core whose REST source is the replay exchange; the main window shows the hole in the
// gaps panel and as a band in the chart; selecting it moves the chart there; Backfill runs a
// job on the core, its frames arrive, and the hole leaves the list, the chart and the store.
#include "core/protocol/client.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/chart/candlechart.h"
#include "ui/chart/chartview.h"
#include "ui/mainwindow.h"
#include "ui/models/gapsmodel.h"
#include "ui/panels/gapspanel.h"

#include <QDockWidget>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m");
// Ordinals -699..0 (the 700 bars before the replay's T0), without -600..-581: older than the
// tail that a subscription covers (BF-7, N = backfill.max_candles_per_request).
constexpr qint64 kFirstOrdinal = -699;
constexpr qint64 kHoleFirst = -600;
constexpr qint64 kHoleLast = -581;
constexpr qint64 kHoleBars = kHoleLast - kHoleFirst + 1;

qint64 timeOf(qint64 ordinal)
{
    return kReplayT0 + 60 * (ordinal - 1);
}

QString frameState(const QJsonObject &frame)
{
    return frame.value("state"_L1).toString();
}

} // namespace

class TestGapBackfillFlow final : public QObject
{
    Q_OBJECT

private slots:
    void backfillHealsTheSelectedGapEverywhere();
};

void TestGapBackfillFlow::backfillHealsTheSelectedGapEverywhere()
{
    qRegisterMetaType<SeriesId>();
    const CandleList rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, rows}}));
    replay.setWall(5000);
    QString ws = replay.url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    TestCore core(kReplayW0 + 5000, {u"source.binance_spot_rest="_s + replay.url({}).toString(),
                                     u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=300"_s,
                                     // BF-4: a hole above the inline budget waits for the user.
                                     u"backfill.gap_heal_max_bars=%1"_s.arg(kHoleBars / 2)});
    CandleList stored;
    for (qint64 ordinal = kFirstOrdinal; ordinal <= 0; ++ordinal) {
        if (ordinal < kHoleFirst || ordinal > kHoleLast)
            stored.append(contiguousBar(rows, ordinal));
    }
    QVERIFY(core.seed(kSeries, stored));
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
    QCOMPARE(window.selectedSeries(), kSeries);

    // The hole is a row of the gaps panel and a band of the chart (UI-11, UI-14).
    auto *panel = qobject_cast<ui::GapsPanel *>(window.dock(u"gaps"_s)->widget());
    QVERIFY(panel);
    window.dock(u"gaps"_s)->raise(); // as a click on its tab: nothing selected yet
    auto *model = qobject_cast<ui::GapsModel *>(panel->model());
    QVERIFY(model);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
    QCOMPARE(model->firstMissingTime(0), timeOf(kHoleFirst));
    QCOMPARE(model->rowObject(0).value("missing_bars"_L1).toInteger(), kHoleBars);
    ui::CandleChart *chart = window.chartView()->chart();
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().gaps().size(), 1, 10000);
    QCOMPARE(chart->model().gaps().constFirst().prevTime, timeOf(kHoleFirst - 1));
    QCOMPARE(chart->model().gaps().constFirst().nextTime, timeOf(kHoleLast + 1));

    // Select → the chart leaves the live edge and centres the hole: the bar before it is in view.
    const qsizetype before = qsizetype(kHoleFirst - 1 - kFirstOrdinal);
    QCOMPARE(chart->model().candles().at(before).time, timeOf(kHoleFirst - 1));
    QVERIFY(chart->visibleRange().first > before);
    QSignalSpy selected(panel, &ui::GapsPanel::gapSelected);
    panel->view()->setCurrentIndex(panel->view()->model()->index(0, 0));
    QCOMPARE(selected.count(), 1);
    QVERIFY(!chart->isFollowingLive());
    const auto [first, last] = chart->visibleRange();
    QVERIFY2(first <= before && before < last, qPrintable(u"view [%1, %2)"_s.arg(first).arg(last)));

    // Backfill → a job on the core; its progress and job frames reach the panel (JOB-11).
    QSignalSpy jobs(&client, &protocol::Client::jobReceived);
    QSignalSpy progress(&client, &protocol::Client::progressReceived);
    QVERIFY(panel->backfillButton()->isEnabled());
    panel->backfillButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(jobs.cbegin(), jobs.cend(),
                                         [](const QList<QVariant> &args) {
                                             return frameState(args.at(0).toJsonObject()) == "succeeded"_L1;
                                         }),
                             30000);
    const QJsonObject done = std::find_if(jobs.cbegin(), jobs.cend(), [](const QList<QVariant> &args) {
                                 return frameState(args.at(0).toJsonObject()) == "succeeded"_L1;
                             })->at(0).toJsonObject();
    QCOMPARE(done.value("kind"_L1).toString(), u"backfill"_s);
    QCOMPARE(done.value("series_id"_L1).toString(), kSeries.toString());
    // JOB-1, D-JOB-8: the core runs on the replay's 2023 clock, yet its job id is positive.
    QVERIFY2(done.value("job_id"_L1).toString().toLongLong() > 0, qPrintable(done.value("job_id"_L1).toString()));
    const QString label = u"job %1: succeeded"_s.arg(done.value("job_id"_L1).toString());
    QTRY_VERIFY2(panel->jobLabel()->text().contains(label), qPrintable(panel->jobLabel()->text()));
    QCOMPARE(panel->findChild<QProgressBar *>()->value(), 1000);
    QTRY_VERIFY(std::any_of(progress.cbegin(), progress.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toJsonObject().value("series_id"_L1).toString() == kSeries.toString();
    }));

    // The hole leaves the list, the band leaves the chart, the chart holds the filled bars.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 10000);
    QVERIFY(!panel->backfillButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().gaps().size(), 0, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(chart->model().candles().size(), qsizetype(-kFirstOrdinal + 1), 10000);
    for (qint64 ordinal = kHoleFirst; ordinal <= kHoleLast; ++ordinal)
        QCOMPARE(chart->model().candles().at(qsizetype(ordinal - kFirstOrdinal)).time, timeOf(ordinal));

    // The store has no hole: every slot from the first bar to T0 - 60, with the exchange's rows.
    const CandleList after = core.stored(kSeries);
    QCOMPARE(after.size(), qsizetype(-kFirstOrdinal + 1));
    for (qint64 ordinal = kFirstOrdinal; ordinal <= 0; ++ordinal)
        QCOMPARE(after.at(qsizetype(ordinal - kFirstOrdinal)), contiguousBar(rows, ordinal));
}

QTEST_MAIN(TestGapBackfillFlow)
#include "tst_gapbackfillflow.moc"
