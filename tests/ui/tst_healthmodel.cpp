// UI-14, UI-15, HLT-5: the health panel's model, against a real core and a scripted one.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/lamp.h"
#include "ui/models/healthmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestHealthModel : public QObject
{
    Q_OBJECT
private slots:
    void seedsFromTheHealthCommandOfARealCore();
    void pushedFramesReplaceTheRowOncePerTick();
};

void TestHealthModel::seedsFromTheHealthCommandOfARealCore()
{
    test::TestCore core(1'726'700'000'000);
    QVERIFY2(core.start(), qPrintable(core.error()));
    const SeriesId series = *SeriesId::parse(u"file:cn:000001.SH:1m");
    QVERIFY(core.ingest(series, test::syntheticCandles(1'726'600'000 / 60 * 60, 30)));

    protocol::Client client(test::clientOptions(core.url()));
    ui::HealthModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ui::HealthModel::SeriesColumn).data().toString(), series.toString());
    // HLT-3 row 2: a file series has no live job.
    QCOMPARE(model.index(0, ui::HealthModel::ReasonColumn).data().toString(), u"not live"_s);
    QCOMPARE(model.index(0, ui::HealthModel::LampColumn).data(ui::RowTableModel::RawValueRole).toInt(),
             int(ui::Lamp::Gray));
    QVERIFY(model.index(0, ui::HealthModel::LagColumn).data(ui::RowTableModel::RawValueRole).toLongLong() > 0);
}

void TestHealthModel::pushedFramesReplaceTheRowOncePerTick()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::HealthModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QVERIFY(test::answerCommand(server, u"health", QJsonObject{{u"series"_s, QJsonArray()}}));
    QVERIFY(!test::waitForCommand(server, u"health").isEmpty());
    QCOMPARE(server.allFrames(u"watch").constFirst().value("topic"_L1).toString(), u"health"_s);

    const auto frame = [](const QString &lamp, const QString &reason, qint64 lag) {
        return test::topicFrame(u"health", {{u"series_id"_s, u"binance:spot:BTC/USDT:1m"_s},
                                            {u"lamp"_s, lamp},
                                            {u"reason"_s, reason},
                                            {u"lag_seconds"_s, lag},
                                            {u"head_time"_s, 1'726'600'000},
                                            {u"open_errors"_s, 2}});
    };
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    server.send(frame(u"green"_s, u"fresh"_s, 0));
    server.send(frame(u"yellow"_s, u"lagging"_s, 60));
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1); // both frames in one 200 ms tick (UI-15)
    QCOMPARE(model.index(0, ui::HealthModel::ReasonColumn).data().toString(), u"lagging"_s);
    QCOMPARE(model.index(0, ui::HealthModel::ErrorsColumn).data().toInt(), 2);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    server.send(frame(u"red"_s, u"stale"_s, 600));
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ui::HealthModel::LampColumn).data().toString(), u"red"_s);
    QCOMPARE(model.index(0, ui::HealthModel::LagColumn).data().toString(), u"10 min"_s);
    QVERIFY(model.index(0, ui::HealthModel::LampColumn).data(Qt::ToolTipRole).toString().contains(u"■"_s));
}

QTEST_MAIN(TestHealthModel)
#include "tst_healthmodel.moc"
