// UI-14 gaps, UI-15, STORE-10, PROTO-15/19: the gap inspector's model.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/gapsmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

const qint64 kStart = 1'726'600'000 / 60 * 60;

} // namespace

class TestGapsModel : public QObject
{
    Q_OBJECT
private slots:
    void listsTheHolesARealCoreReports();
    void gapFramesAddAndHealedFramesRemove();
    void aFinishedBackfillAsksAgain();
};

void TestGapsModel::listsTheHolesARealCoreReports()
{
    test::TestCore core(1'726'700'000'000);
    QVERIFY2(core.start(), qPrintable(core.error()));
    const SeriesId series = *SeriesId::parse(u"file:cn:000001.SH:1m");
    CandleList candles = test::syntheticCandles(kStart, 10);
    candles += test::syntheticCandles(kStart + 17 * 60, 5); // 7 missing bars
    candles += test::syntheticCandles(kStart + 30 * 60, 3); // 8 missing bars
    QVERIFY(core.ingest(series, candles));

    protocol::Client client(test::clientOptions(core.url()));
    ui::GapsModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    model.requestGaps(series);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ui::GapsModel::MissingColumn).data(ui::RowTableModel::RawValueRole).toLongLong(), 7);
    QCOMPARE(model.index(1, ui::GapsModel::MissingColumn).data(ui::RowTableModel::RawValueRole).toLongLong(), 8);
    QCOMPARE(model.firstMissingTime(0), kStart + 10 * 60);
    QCOMPARE(model.index(0, ui::GapsModel::ToColumn).data(ui::RowTableModel::RawValueRole).toLongLong(),
             kStart + 16 * 60);
    QCOMPARE(model.seriesOf(1), series.toString());
}

void TestGapsModel::gapFramesAddAndHealedFramesRemove()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::GapsModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const SeriesId series = *SeriesId::parse(u"binance:spot:BTC/USDT:1m");
    client.open();
    client.subscribe(series);
    QTRY_COMPARE(client.isCaughtUp(series), true);

    // PROTO-15: the hole after 600 up to 1200 misses 9 bars.
    server.send(test::topicFrame(u"gap", {{u"series_id"_s, series.toString()}, {u"expected_next_time"_s, 660},
                                          {u"actual_time"_s, 1200}, {u"missing_bars"_s, 9}, {u"healed"_s, false}}));
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.firstMissingTime(0), 660);
    // PROTO-19: partly healed, then closed.
    server.send(test::topicFrame(u"gap", {{u"series_id"_s, series.toString()}, {u"expected_next_time"_s, 660},
                                          {u"actual_time"_s, 1200}, {u"missing_bars"_s, 4}, {u"healed"_s, true}}));
    QTRY_COMPARE(model.index(0, ui::GapsModel::MissingColumn).data(ui::RowTableModel::RawValueRole).toLongLong(), 4);
    server.send(test::topicFrame(u"gap", {{u"series_id"_s, series.toString()}, {u"expected_next_time"_s, 660},
                                          {u"actual_time"_s, 1200}, {u"missing_bars"_s, 0}, {u"healed"_s, true}}));
    QTRY_COMPARE(model.rowCount(), 0);
}

void TestGapsModel::aFinishedBackfillAsksAgain()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::GapsModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const SeriesId series = *SeriesId::parse(u"binance:spot:BTC/USDT:1m");
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    model.requestGaps(series);
    const QJsonObject gap{{u"prev_time"_s, 600}, {u"next_time"_s, 1200}, {u"missing_bars"_s, 9}};
    QVERIFY(test::answerCommand(server, u"gaps", QJsonObject{{u"gaps"_s, QJsonArray{gap}}}));
    QTRY_COMPARE(model.rowCount(), 1);

    server.send(test::topicFrame(u"progress", {{u"series_id"_s, series.toString()}, {u"state"_s, u"succeeded"_s}}));
    QVERIFY(test::answerCommand(server, u"gaps", QJsonObject{{u"gaps"_s, QJsonArray()}}, 1));
    QTRY_COMPARE(model.rowCount(), 0); // the healed gap leaves (UI-14)
}

QTEST_MAIN(TestGapsModel)
#include "tst_gapsmodel.moc"
