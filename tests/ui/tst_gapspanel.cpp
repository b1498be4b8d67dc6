// UI-14 gaps, UI-19, IDEM-2, BF-22: select a gap → the chart is told where; Backfill sends
// the command with the hole's range and a key, follows progress and job frames, and the
// healed gap leaves the list.
#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/gapsmodel.h"
#include "ui/panels/gapspanel.h"

#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestGapsPanel : public QObject
{
    Q_OBJECT
private slots:
    void backfillFollowsTheJobUntilTheGapLeaves();
    void aRefusedBackfillIsShown();
};

namespace {

const QString kSeries = u"binance:spot:BTC/USDT:1m"_s;

struct Fixture
{
    ScriptedServer server;
    std::unique_ptr<protocol::Client> client;
    std::unique_ptr<ui::GapsModel> model;
    std::unique_ptr<ui::GapsPanel> panel;

    bool start()
    {
        if (!server.listen())
            return false;
        client = std::make_unique<protocol::Client>(test::clientOptions(server.url()));
        model = std::make_unique<ui::GapsModel>(client.get());
        panel = std::make_unique<ui::GapsPanel>(model.get(), client.get());
        client->open();
        if (!QTest::qWaitFor([&] { return client->state() == protocol::Client::State::Live; }, 5000))
            return false;
        model->requestGaps(*SeriesId::parse(kSeries));
        const QJsonObject gap{{u"prev_time"_s, 600}, {u"next_time"_s, 1200}, {u"missing_bars"_s, 9}};
        return test::answerCommand(server, u"gaps", QJsonObject{{u"gaps"_s, QJsonArray{gap}}});
    }
};

} // namespace

void TestGapsPanel::backfillFollowsTheJobUntilTheGapLeaves()
{
    Fixture f;
    QVERIFY(f.start());
    QTRY_COMPARE(f.model->rowCount(), 1);
    // The panel alone watches what it follows (no jobs or progress model here).
    QStringList topics;
    for (const QJsonObject &watch : f.server.allFrames(u"watch"))
        topics << watch.value("topic"_L1).toString();
    QVERIFY2(topics.contains(u"jobs"_s) && topics.contains(u"progress"_s), qPrintable(topics.join(u' ')));
    QVERIFY(!f.panel->backfillButton()->isEnabled());
    QSignalSpy selected(f.panel.get(), &ui::GapsPanel::gapSelected);
    f.panel->view()->setCurrentIndex(f.panel->view()->model()->index(0, 0));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().at(0).value<SeriesId>().toString(), kSeries);
    QCOMPARE(selected.first().at(1).toLongLong(), 660); // the first missing bar
    QVERIFY(f.panel->backfillButton()->isEnabled());

    f.panel->backfillButton()->click();
    const QJsonObject backfill = test::waitForCommand(f.server, u"backfill");
    const QJsonObject args = backfill.value("args"_L1).toObject();
    QCOMPARE(args.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(args.value("from"_L1).toInteger(), 660);
    QCOMPARE(args.value("to"_L1).toInteger(), 1140);
    QCOMPARE(backfill.value("idempotency_key"_L1).toString().size(), 36);
    f.server.send(protocol::serverframe::result(backfill.value("request_id"_L1).toString(),
                                                QJsonObject{{u"job_id"_s, u"88"_s}, {u"state"_s, u"queued"_s}}));
    QTRY_VERIFY(f.panel->jobLabel()->text().contains(u"job 88 queued"_s));

    f.server.send(test::topicFrame(u"progress", {{u"series_id"_s, kSeries}, {u"state"_s, u"running"_s},
                                                 {u"progress_pct"_s, 44.4}, {u"filled"_s, 4},
                                                 {u"current_missing_candles"_s, 5}}));
    QTRY_COMPARE(f.panel->findChild<QProgressBar *>()->value(), 444);
    f.server.send(test::topicFrame(
        u"job", {{u"job_id"_s, u"88"_s}, {u"kind"_s, u"backfill"_s}, {u"series_id"_s, kSeries},
                 {u"state"_s, u"succeeded"_s}, {u"progress"_s, QJsonObject{{u"done"_s, 9}, {u"total"_s, 9}}}}));
    QTRY_VERIFY(f.panel->jobLabel()->text().contains(u"succeeded"_s));
    QCOMPARE(f.panel->findChild<QProgressBar *>()->value(), 1000);
    // The job's end asks for the series' gaps again; the healed hole is gone.
    QVERIFY(test::answerCommand(f.server, u"gaps", QJsonObject{{u"gaps"_s, QJsonArray()}}, 1));
    QTRY_COMPARE(f.model->rowCount(), 0);
    QVERIFY(!f.panel->backfillButton()->isEnabled());
}

void TestGapsPanel::aRefusedBackfillIsShown()
{
    Fixture f;
    QVERIFY(f.start());
    QTRY_COMPARE(f.model->rowCount(), 1);
    f.panel->view()->setCurrentIndex(f.panel->view()->model()->index(0, 0));
    f.panel->repairButton()->click();
    const QJsonObject repair = test::waitForCommand(f.server, u"repair");
    QCOMPARE(repair.value("args"_L1).toObject().value("to"_L1).toInteger(), 1200); // [from, to)
    f.server.send(protocol::serverframe::failure(repair.value("request_id"_L1).toString(),
                                                 Error::unavailable(u"repair: no job service"_s)));
    QTRY_VERIFY(f.panel->jobLabel()->text().contains(u"repair refused: repair: no job service (unavailable)"_s));
}

QTEST_MAIN(TestGapsPanel)
#include "tst_gapspanel.moc"
