// UI-14 jobs, UI-15, JOB-10/11: the jobs topic and jobs_list; Cancel; `unavailable` shown.
#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/jobsmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestJobsModel : public QObject
{
    Q_OBJECT
private slots:
    void snapshotAndJobFramesFillTheTable();
    void cancelSendsJobCancel();
    void anUnavailableAnswerBecomesTheMessage();
};

namespace {

QJsonObject job(const QString &id, const QString &state, qint64 done)
{
    return {{u"job_id"_s, id},
            {u"kind"_s, u"backfill"_s},
            {u"series_id"_s, u"binance:spot:BTC/USDT:1m"_s},
            {u"state"_s, state},
            {u"progress"_s, QJsonObject{{u"done"_s, done}, {u"total"_s, 1000}, {u"unit"_s, u"candles"_s},
                                        {u"note"_s, u"fetch"_s}}},
            {u"error"_s, QJsonValue(QJsonValue::Null)}};
}

} // namespace

void TestJobsModel::snapshotAndJobFramesFillTheTable()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::JobsModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy active(&model, &ui::JobsModel::activeCountChanged);
    client.open();
    // JOB-1: ids are decimal strings above 2^53.
    const QString first = u"9007199254740993"_s;
    QVERIFY(test::answerCommand(server, u"jobs_list", QJsonObject{{u"items"_s, QJsonArray{job(first, u"succeeded"_s, 1000)}},
                                                                  {u"has_more"_s, false}}));
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ui::JobsModel::IdColumn).data().toString(), first);
    QCOMPARE(model.activeCount(), 0);

    const QString second = u"9007199254740995"_s;
    server.send(test::topicFrame(u"job", job(second, u"running"_s, 250)));
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, ui::JobsModel::ProgressColumn).data().toString(), u"250 / 1,000 candles"_s);
    QCOMPARE(model.index(1, ui::JobsModel::ProgressColumn).data(ui::RowTableModel::RawValueRole).toDouble(), 25.0);
    QTRY_COMPARE(active.constLast().first().toInt(), 1);
    server.send(test::topicFrame(u"job", job(second, u"succeeded"_s, 1000)));
    QTRY_COMPARE(model.index(1, ui::JobsModel::StateColumn).data().toString(), u"succeeded"_s);
    QCOMPARE(model.activeCount(), 0);
    QCOMPARE(model.rowCount(), 2);
}

void TestJobsModel::cancelSendsJobCancel()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::JobsModel model(&client);
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    server.send(test::topicFrame(u"job", job(u"77"_s, u"queued"_s, 0)));
    QTRY_COMPARE(model.rowCount(), 1);
    QVERIFY(model.canCancel(0));
    model.cancel(0);
    const QJsonObject cancel = test::waitForCommand(server, u"job_cancel");
    QCOMPARE(cancel.value("args"_L1).toObject().value("job_id"_L1).toString(), u"77"_s);
    server.send(protocol::serverframe::failure(cancel.value("request_id"_L1).toString(),
                                               Error::conflict(u"job 77: already succeeded"_s)));
    QTRY_VERIFY(model.statusMessage().contains(u"already succeeded"_s));
}

void TestJobsModel::anUnavailableAnswerBecomesTheMessage()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::JobsModel model(&client);
    client.open();
    const QJsonObject list = test::waitForCommand(server, u"jobs_list");
    QVERIFY(!list.isEmpty());
    server.send(protocol::serverframe::failure(list.value("request_id"_L1).toString(),
                                               Error::unavailable(u"jobs_list: not available on this core"_s)));
    QTRY_VERIFY(model.statusMessage().contains(u"unavailable"_s));
    QVERIFY(model.statusMessage().contains(u"not available on this core"_s));
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestJobsModel)
#include "tst_jobsmodel.moc"
