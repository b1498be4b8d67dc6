// A job killed with its process (JOB-8, IDEM-9/12, IDEM-14): `gapless serve` runs a backfill
// job against a slow replay exchange and is SIGKILLed mid-job; the restarted core fails the
// job as a zombie, journals it and releases its key; the same key then runs to the end, and
// no candle row is written twice.
#include "core/store/candlestore.h"
#include "tests/support/frameclient.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const QString kSeries = u"binance:spot:DEMO/USDT:1m"_s;
constexpr qint64 kSlots = 6000;

// A query on a connection of our own (WAL / MVCC: the core keeps writing meanwhile).
qint64 scalar(const store::StoreUrl &url, const QString &sql)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto store = store::CandleStore::open(url, options);
    if (!store)
        return -1;
    QSqlQuery q((*store)->database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

class Serve
{
public:
    Serve(const QString &db, const QString &home, const QUrl &rest)
    {
        startGapless(m_process,
                     {u"serve"_s, u"--db"_s, db, u"--listen"_s, u"127.0.0.1:0"_s, u"--set"_s,
                      u"source.binance_spot_rest="_s + rest.toString(), u"--set"_s,
                      u"jobs.heartbeat_interval_s=1"_s, u"--set"_s, u"jobs.zombie_timeout_s=3"_s},
                     home);
    }
    ~Serve()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }
    Q_DISABLE_COPY_MOVE(Serve)

    QUrl url()
    {
        QByteArray out;
        (void)QTest::qWaitFor([&] {
            out += m_process.readAllStandardOutput();
            return out.contains('\n') || m_process.state() == QProcess::NotRunning;
        }, 30000);
        const auto m = QRegularExpression(u"listening on (ws://\\S+)"_s).match(QString::fromUtf8(out));
        return m.hasMatch() ? QUrl(m.captured(1)) : QUrl();
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};

QJsonObject command(FrameClient &client, const QString &id, const QString &name, const QJsonObject &args,
                    const QString &key = {})
{
    QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
    if (!key.isEmpty())
        frame.insert(u"idempotency_key"_s, key);
    client.sendJson(frame);
    return client.waitFor([&](const QJsonObject &f) {
        return f.value("type"_L1) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    }, 30000);
}

QJsonObject jobRow(FrameClient &client, const QString &jobId)
{
    static int n = 0;
    const QJsonObject r = command(client, u"list-%1"_s.arg(++n), u"jobs_list"_s, {});
    for (const QJsonValue &v : r.value("data"_L1).toObject().value("items"_L1).toArray()) {
        if (v.toObject().value("job_id"_L1).toString() == jobId)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestJobKill final : public QObject
{
    Q_OBJECT

private slots:
    void killedJobIsAZombieAndItsKeyRunsAgain();

private:
    TestDatabase m_db;
};

void TestJobKill::killedJobIsAZombieAndItsKeyRunsAgain()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    const store::StoreUrl storeUrl = m_db.freshUrl();
    const QString db = urlText(storeUrl);
    const QString home = m_db.tempPath(u"home"_s);
    const auto tape = sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    QVERIFY(tape.ok());
    const QJsonObject args{{u"series_id"_s, kSeries},
                           {u"from"_s, double(kReplayT0 - kSlots * 60)},
                           {u"to"_s, double(kReplayT0 - 60)}};

    ReplayFixture slow;
    QVERIFY(slow.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *tape}}, u"latency:min=700ms"_s));
    slow.setWall(5000);
    QString jobId;
    {
        Serve serve(db, home, slow.url({}));
        const QUrl url = serve.url();
        QVERIFY2(url.isValid(), "serve did not listen");
        FrameClient client;
        QVERIFY(client.open(url));
        const QJsonObject accepted = command(client, u"bf"_s, u"backfill"_s, args, u"kill-1"_s);
        QVERIFY2(accepted.value("ok"_L1).toBool(), qPrintable(QString::fromUtf8(QJsonDocument(accepted).toJson())));
        jobId = accepted.value("data"_L1).toObject().value("job_id"_L1).toString();
        // Mid-job: some pages committed, the job still running.
        QVERIFY(QTest::qWaitFor([&] {
            return scalar(storeUrl, u"SELECT COUNT(*) FROM candles"_s) > 0;
        }, 30000));
        QCOMPARE(jobRow(client, jobId).value("state"_L1).toString(), u"running"_s);
        serve.process().kill(); // SIGKILL
        QVERIFY(serve.process().waitForFinished(10000));
    }
    const qint64 before = scalar(storeUrl, u"SELECT COUNT(*) FROM candles"_s);
    QVERIFY2(before > 0 && before < kSlots, qPrintable(QString::number(before)));
    QCOMPARE(scalar(storeUrl, u"SELECT COUNT(*) FROM jobs WHERE state = 'running'"_s), 1);

    ReplayFixture fast;
    QVERIFY(fast.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *tape}}));
    fast.setWall(5000);
    Serve serve(db, home, fast.url({}));
    const QUrl url = serve.url();
    QVERIFY2(url.isValid(), "serve did not listen after the kill");
    FrameClient client;
    QVERIFY(client.open(url));
    // JOB-8: at startup this node's running job is a zombie at once: failed, journaled, key gone.
    const QJsonObject zombie = jobRow(client, jobId);
    QCOMPARE(zombie.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(zombie.value("error"_L1).toObject().value("code"_L1).toString(), u"internal"_s);
    QVERIFY(zombie.value("error"_L1).toObject().value("message"_L1).toString().startsWith(u"zombie: no heartbeat since "_s));
    QCOMPARE(scalar(storeUrl, u"SELECT COUNT(*) FROM ingest_errors WHERE step = 'job' AND job_id = %1"_s.arg(jobId)), 1);
    const QJsonObject keys = command(client, u"keys"_s, u"idempotency_list"_s, {});
    QCOMPARE(keys.value("data"_L1).toObject().value("items"_L1).toArray().size(), 0);

    // The same key runs again, to the end.
    const QJsonObject again = command(client, u"bf-again"_s, u"backfill"_s, args, u"kill-1"_s);
    QVERIFY(again.value("ok"_L1).toBool());
    QVERIFY(!again.value("replayed"_L1).toBool());
    const QString second = again.value("data"_L1).toObject().value("job_id"_L1).toString();
    QVERIFY(second != jobId);
    QJsonObject done;
    QVERIFY(QTest::qWaitFor([&] {
        done = jobRow(client, second);
        return done.value("state"_L1).toString() == "succeeded"_L1;
    }, 60000));
    const QJsonObject result = done.value("result"_L1).toObject();
    QCOMPARE(result.value("slots"_L1).toInteger(), kSlots);
    QCOMPARE(result.value("present_before"_L1).toInteger(), before);
    QCOMPARE(result.value("filled"_L1).toInteger(), kSlots - before);
    // No row twice: every slot once, and no stored row overwritten.
    QCOMPARE(scalar(storeUrl, u"SELECT COUNT(*) FROM candles"_s), kSlots);
    QCOMPARE(scalar(storeUrl, u"SELECT COUNT(*) FROM candle_revisions"_s), 0);
    const QJsonObject replay = command(client, u"bf-replay"_s, u"backfill"_s, args, u"kill-1"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QCOMPARE(replay.value("data"_L1).toObject().value("job_id"_L1).toString(), second);
}

QTEST_GUILESS_MAIN(TestJobKill)
#include "tst_jobkill.moc"
