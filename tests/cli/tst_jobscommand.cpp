// `gapless jobs [--all]` and `gapless jobs cancel ID` (REP-13, JOB-10/11): rows seeded through
// JobStore and IdempotencyStore, read and changed through the executable.
#include "core/jobs/idempotencystore.h"
#include "core/jobs/jobstore.h"
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::RunResult;

namespace {

constexpr qint64 kCreated = 1718328600000; // 2024-06-14T01:30:00Z
const QString kSeries = u"binance:spot:BTCUSDT:1m"_s;

jobs::JobRow job(qint64 id, const QString &state, const QString &key)
{
    jobs::JobRow j;
    j.jobId = id;
    j.kind = u"backfill"_s;
    j.seriesId = kSeries;
    j.idempotencyKey = key;
    j.state = state;
    j.createdAtMs = kCreated + id;
    j.progressUnit = u"candles"_s;
    if (state == "succeeded"_L1) {
        j.progressDone = 60;
        j.progressTotal = 60;
        j.resultJson = R"({"filled":60})";
    }
    if (state == "running"_L1)
        j.attempts = 1;
    return j;
}

} // namespace

class TestJobsCommand final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void listsActiveJobs();
    void listsAllAsJson();
    void cancelsQueuedJob();
    void cancelAnswers();
    void refusesBadArguments_data();
    void refusesBadArguments();

private:
    RunResult gapless(QStringList args);
    test::TestDatabase m_db;
    QString m_url;
};

void TestJobsCommand::init()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    const store::StoreUrl url = m_db.freshUrl();
    m_url = test::urlText(url);
    auto store = store::CandleStore::open(url, {});
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    FixedClock clock(kCreated);
    jobs::IdempotencyStore keys(**store, clock, 0, 86400);
    QVERIFY(keys.record({u"k1"_s, u"backfill"_s, {}}, job(1, u"queued"_s, u"k1"_s))->execute);
    QVERIFY(keys.record({u"k2"_s, u"backfill"_s, {}}, job(2, u"running"_s, u"k2"_s))->execute);
    QVERIFY(keys.record({u"k3"_s, u"backfill"_s, {}}, job(3, u"succeeded"_s, u"k3"_s))->execute);
}

RunResult TestJobsCommand::gapless(QStringList args)
{
    args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s));
}

void TestJobsCommand::listsActiveJobs()
{
    const RunResult r = gapless({u"jobs"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(r.outLines(),
             (QStringList{u"job_id\tkind\tseries_id\tstate\tprogress\tattempts\tcreated\terror"_s,
                          u"2\tbackfill\t%1\trunning\t0/? candles\t1\t2024-06-14T01:30:00Z\t-"_s.arg(kSeries),
                          u"1\tbackfill\t%1\tqueued\t0/? candles\t0\t2024-06-14T01:30:00Z\t-"_s.arg(kSeries)}));
}

void TestJobsCommand::listsAllAsJson()
{
    const RunResult r = gapless({u"jobs"_s, u"--all"_s, u"--json"_s, u"--limit"_s, u"2"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value("has_more"_L1).toBool(), true);
    const QJsonArray items = doc.value("items"_L1).toArray();
    QCOMPARE(items.size(), 2);
    const QJsonObject newest = items.first().toObject();
    QCOMPARE(newest.value("job_id"_L1).toString(), u"3"_s);
    QCOMPARE(newest.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(newest.value("result"_L1).toObject().value("filled"_L1).toInt(), 60);
    QCOMPARE(newest.value("progress"_L1).toObject().value("total"_L1).toInt(), 60);
}

void TestJobsCommand::cancelsQueuedJob()
{
    RunResult r = gapless({u"jobs"_s, u"cancel"_s, u"1"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QCOMPARE(r.outText().trimmed(), u"job 1: cancelled"_s);
    r = gapless({u"jobs"_s, u"cancel"_s, u"2"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject running = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(running.value("state"_L1).toString(), u"running"_s);
    QCOMPARE(running.value("cancel_requested"_L1).toBool(), true);
    r = gapless({u"keys"_s, u"list"_s, u"--state"_s, u"failed"_s, u"--json"_s});
    const QJsonArray failed = QJsonDocument::fromJson(r.out).object().value("items"_L1).toArray();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().toObject().value("key"_L1).toString(), u"k1"_s);
    QCOMPARE(failed.first().toObject().value("error_message"_L1).toString(), u"cancelled"_s);
}

void TestJobsCommand::cancelAnswers()
{
    RunResult r = gapless({u"jobs"_s, u"cancel"_s, u"3"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"job 3: already succeeded"_s), qPrintable(r.errText()));
    r = gapless({u"jobs"_s, u"cancel"_s, u"99"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"'99': no such job"_s), qPrintable(r.errText()));
}

void TestJobsCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown verb") << QStringList{u"jobs"_s, u"pause"_s} << u"verb 'pause': unknown"_s;
    QTest::addRow("cancel without id") << QStringList{u"jobs"_s, u"cancel"_s} << u"0 arguments"_s;
    QTest::addRow("cancel non-number") << QStringList{u"jobs"_s, u"cancel"_s, u"x1"_s} << u"ID 'x1': not a job id"_s;
    QTest::addRow("limit 0") << QStringList{u"jobs"_s, u"--limit"_s, u"0"_s} << u"--limit '0'"_s;
}

void TestJobsCommand::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().contains(message), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestJobsCommand)
#include "tst_jobscommand.moc"
