// UI-14 compensation, UI-15, ING-11, IDEM-2: journal rows from the topic; Retry sends
// retry_error with a new UUIDv4 key and stays disabled while in flight, up to the end of its
// job (D-UI-33).
#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/compensationmodel.h"
#include "ui/panels/actionpanels.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestCompensationModel : public QObject
{
    Q_OBJECT
private slots:
    void retryIsOneCommandPerClickWithANewKey();
    void aRowNamingItsRetriedRowMarksIt();
};

namespace {

QJsonObject journalRow(qint64 id, const QString &status)
{
    return test::topicFrame(u"ingest_error", {{u"id"_s, id}, {u"at_ms"_s, qint64(1'726'600'000'000)}, {u"run_id"_s, 5},
                                              {u"source"_s, u"backfill"_s}, {u"step"_s, u"fetch"_s},
                                              {u"series_id"_s, u"binance:spot:BTC/USDT:1m"_s},
                                              {u"message"_s, u"GET /api/v3/klines: HTTP 503 after 5 attempts"_s},
                                              {u"status"_s, status}});
}

QJsonObject retryRow(qint64 id, qint64 retryOf)
{
    QJsonObject frame = journalRow(id, u"open"_s);
    frame.insert(u"retry_of"_s, retryOf);
    return frame;
}

QJsonObject retryJob(const QString &id, const QString &state)
{
    QJsonObject job{{u"job_id"_s, id}, {u"kind"_s, u"retry_error"_s}, {u"state"_s, state}};
    if (state == "failed"_L1)
        job.insert(u"error"_s, QJsonObject{{u"code"_s, u"unavailable"_s},
                                           {u"message"_s, u"ingest error 12: retry failed (failpoint ingest.store)"_s}});
    return job;
}

} // namespace

void TestCompensationModel::retryIsOneCommandPerClickWithANewKey()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::CompensationModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ui::CompensationPanel panel(&model);
    client.open();
    QTRY_VERIFY(!server.allFrames(u"watch").isEmpty());
    QCOMPARE(server.allFrames(u"watch").constFirst().value("topic"_L1).toString(), u"ingest_errors"_s);
    server.send(journalRow(12, u"open"_s));
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ui::CompensationModel::StepColumn).data().toString(), u"fetch"_s);

    panel.view()->setCurrentIndex(panel.view()->model()->index(0, 0));
    QVERIFY(panel.retryButton()->isEnabled());
    panel.retryButton()->click();
    QVERIFY(!panel.retryButton()->isEnabled()); // in flight
    QVERIFY(!model.retry(0));
    const QJsonObject first = test::waitForCommand(server, u"retry_error");
    QCOMPARE(first.value("args"_L1).toObject().value("id"_L1).toInteger(), 12);
    static const QRegularExpression uuid4(u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    const QString key = first.value("idempotency_key"_L1).toString();
    QVERIFY2(uuid4.match(key).hasMatch(), qPrintable(key));

    server.send(protocol::serverframe::result(first.value("request_id"_L1).toString(),
                                              QJsonObject{{u"job_id"_s, u"123"_s}, {u"state"_s, u"queued"_s}}));
    QTRY_VERIFY(model.statusMessage().contains(u"running as job 123"_s));
    // D-UI-33: busy until the retry job ends, not just until the command is accepted.
    QVERIFY(!panel.retryButton()->isEnabled());
    server.send(test::topicFrame(u"job", retryJob(u"123"_s, u"running"_s)));
    server.send(test::topicFrame(u"job", retryJob(u"99"_s, u"failed"_s))); // another row's retry
    server.send(journalRow(13, u"open"_s)); // frames arrive in order: once it is listed, the jobs were seen
    QTRY_COMPARE(model.rowCount(), 2);
    QVERIFY(!panel.retryButton()->isEnabled());
    QCOMPARE(model.index(0, ui::CompensationModel::StatusColumn).data().toString(), u"retrying…"_s);
    server.send(test::topicFrame(u"job", retryJob(u"123"_s, u"failed"_s)));
    QTRY_VERIFY(panel.retryButton()->isEnabled());
    QVERIFY2(model.statusMessage().contains(u"Retry of error 12 failed (job 123, failed): ingest error 12: retry "
                                            u"failed (failpoint ingest.store) (unavailable)"_s),
             qPrintable(model.statusMessage()));

    panel.retryButton()->click();
    const QJsonObject second = test::waitForCommand(server, u"retry_error", 1);
    QVERIFY(second.value("idempotency_key"_L1).toString() != key); // one key per user action
    server.send(protocol::serverframe::failure(second.value("request_id"_L1).toString(),
                                               Error::unavailable(u"retry_error: not available yet"_s)));
    QTRY_VERIFY(model.statusMessage().contains(u"not available yet (unavailable)"_s));
    QVERIFY(panel.retryButton()->isEnabled());

    // The job can end before the answer that names it arrives.
    panel.retryButton()->click();
    const QJsonObject third = test::waitForCommand(server, u"retry_error", 2);
    server.send(test::topicFrame(u"job", retryJob(u"125"_s, u"succeeded"_s)));
    server.send(protocol::serverframe::result(third.value("request_id"_L1).toString(),
                                              QJsonObject{{u"job_id"_s, u"125"_s}, {u"state"_s, u"queued"_s}}));
    QTRY_COMPARE(model.index(0, ui::CompensationModel::StatusColumn).data().toString(), u"resolved"_s);
    QVERIFY(model.statusMessage().contains(u"Error 12 resolved by job 125"_s));
    QVERIFY(!model.canRetry(0));
    QVERIFY(!panel.retryButton()->isEnabled());
}

void TestCompensationModel::aRowNamingItsRetriedRowMarksIt()
{
    // ING-11, D-UI-33: the topic sends new rows only; a row with retry_of shows the row it
    // retried as `retried`, unless that one is resolved.
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::CompensationModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QTRY_VERIFY(!server.allFrames(u"watch").isEmpty());
    server.send(journalRow(20, u"open"_s));
    server.send(journalRow(30, u"resolved"_s));
    server.send(retryRow(21, 20));
    server.send(retryRow(31, 30));
    server.send(retryRow(41, 40)); // its row is not listed
    QTRY_COMPARE(model.rowCount(), 5);
    const auto statusOf = [&](qint64 id) {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.rowObject(row).value("id"_L1).toInteger() == id)
                return model.index(row, ui::CompensationModel::StatusColumn).data().toString();
        }
        return QString();
    };
    QCOMPARE(statusOf(20), u"retried"_s);
    QCOMPARE(statusOf(21), u"open"_s);
    QCOMPARE(statusOf(30), u"resolved"_s);
    QCOMPARE(statusOf(41), u"open"_s);
}

QTEST_MAIN(TestCompensationModel)
#include "tst_compensationmodel.moc"
