// UI-14 progress, UI-15, BF-14..18: backfill progress per series, rate and ETA.
#include "core/protocol/client.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/progressmodel.h"
#include "ui/panels/progresspanel.h"

#include <QAbstractItemModelTester>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestProgressModel : public QObject
{
    Q_OBJECT
private slots:
    void showsRateAndEtaOfARunningBackfill();
    void throughputLineSamplesFilledCandles();
};

namespace {

QJsonObject progress(const QString &state, qint64 filled, qint64 missing, double pct)
{
    return test::topicFrame(u"progress", {{u"series_id"_s, u"binance:spot:BTC/USDT:1m"_s},
                                          {u"reason"_s, u"gap_backfill"_s},
                                          {u"state"_s, state},
                                          {u"started_at_ms"_s, 1'000'000},
                                          {u"updated_at_ms"_s, 1'010'000},
                                          {u"begin_missing_candles"_s, 1000},
                                          {u"filled"_s, filled},
                                          {u"current_missing_candles"_s, missing},
                                          {u"progress_pct"_s, pct}});
}

} // namespace

void TestProgressModel::showsRateAndEtaOfARunningBackfill()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::ProgressModel model(&client, [] { return qint64(1'010'000); });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QTRY_VERIFY(!server.allFrames(u"watch").isEmpty());
    QCOMPARE(server.allFrames(u"watch").constFirst().value("topic"_L1).toString(), u"progress"_s);

    server.send(progress(u"running"_s, 400, 600, 40.0));
    QTRY_COMPARE(model.rowCount(), 1);
    // 400 candles in 10 s: 40/s; 600 left: 15 s.
    QCOMPARE(model.index(0, ui::ProgressModel::RateColumn).data(ui::RowTableModel::RawValueRole).toDouble(), 40.0);
    QCOMPARE(model.index(0, ui::ProgressModel::EtaColumn).data(ui::RowTableModel::RawValueRole).toLongLong(), 15);
    QCOMPARE(model.index(0, ui::ProgressModel::ProgressColumn).data().toString(), u"40.0 %"_s);
    QCOMPARE(model.totalFilled(), 400);

    server.send(progress(u"succeeded"_s, 1000, 0, 100.0));
    QTRY_COMPARE(model.index(0, ui::ProgressModel::StateColumn).data().toString(), u"succeeded"_s);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.totalFilled(), 1000);
    QCOMPARE(model.index(0, ui::ProgressModel::EtaColumn).data(ui::RowTableModel::RawValueRole).toLongLong(), 0);
}

void TestProgressModel::throughputLineSamplesFilledCandles()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::ProgressModel model(&client);
    ui::ProgressPanel panel(&model);
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    server.send(progress(u"running"_s, 250, 750, 25.0));
    QTRY_COMPARE(model.totalFilled(), 250);
    panel.sample();
    server.send(progress(u"running"_s, 300, 700, 30.0));
    QTRY_COMPARE(model.totalFilled(), 300);
    panel.sample();
    const QList<QPointF> points = panel.throughput()->points();
    QVERIFY(points.size() >= 2);
    QCOMPARE(points.constLast(), QPointF(0, 50));
    QCOMPARE(points.at(points.size() - 2), QPointF(-1, 250));
    for (int i = 0; i < ui::ProgressPanel::kSamples + 20; ++i)
        panel.sample();
    QCOMPARE(panel.throughput()->points().size(), ui::ProgressPanel::kSamples + 1); // 5 min at 1/s
}

QTEST_MAIN(TestProgressModel)
#include "tst_progressmodel.moc"
