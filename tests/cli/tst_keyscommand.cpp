// `gapless keys list|delete KEY` (IDEM-11): keys seeded through IdempotencyStore, listed and
// deleted through the executable, with the `conflict` rule for a live job.
#include "core/jobs/idempotencystore.h"
#include "core/jobs/jobstore.h"
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::RunResult;

class TestKeysCommand final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void listsKeys();
    void deletesKeys();
    void refusesBadArguments_data();
    void refusesBadArguments();

private:
    RunResult gapless(QStringList args);
    test::TestDatabase m_db;
    QString m_url;
    qint64 m_now = 0;
};

void TestKeysCommand::init()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    const store::StoreUrl url = m_db.freshUrl();
    m_url = test::urlText(url);
    auto store = store::CandleStore::open(url, {});
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    // Real time: the command reads the system clock, and expired keys count as absent.
    m_now = QDateTime::currentMSecsSinceEpoch();
    FixedClock clock(m_now);
    jobs::IdempotencyStore keys(**store, clock, 0, 86400);
    jobs::JobRow live;
    live.jobId = 77;
    live.kind = u"backfill"_s;
    live.idempotencyKey = u"live"_s;
    live.createdAtMs = m_now;
    QVERIFY(keys.record({u"live"_s, u"backfill"_s, {}}, live)->execute);
    clock.setNowMs(m_now + 1);
    QVERIFY(keys.record({u"done"_s, u"flags_set"_s, {}}, std::nullopt)->execute);
    QVERIFY(keys.complete(u"done"_s, QJsonValue(QJsonObject{{u"ok"_s, true}})).ok());
}

RunResult TestKeysCommand::gapless(QStringList args)
{
    args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s));
}

void TestKeysCommand::listsKeys()
{
    RunResult r = gapless({u"keys"_s, u"list"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QStringList lines = r.outLines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), u"key\tcommand\tstate\tjob_id\tcreated\texpires\terror"_s);
    QVERIFY(lines.at(1).startsWith(u"done\tflags_set\tsucceeded\t-\t"_s));
    QVERIFY(lines.at(2).startsWith(u"live\tbackfill\tin_progress\t77\t"_s));
    QVERIFY(lines.at(2).endsWith(u"\t-\t-"_s)); // no expiry while in_progress, no error
    r = gapless({u"keys"_s, u"list"_s, u"--state"_s, u"in_progress"_s, u"--json"_s});
    const QJsonArray items = QJsonDocument::fromJson(r.out).object().value("items"_L1).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value("job_id"_L1).toString(), u"77"_s);
    QCOMPARE(items.first().toObject().value("expires_at_ms"_L1), QJsonValue(QJsonValue::Null));
}

void TestKeysCommand::deletesKeys()
{
    RunResult r = gapless({u"keys"_s, u"delete"_s, u"live"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"cancel job 77 first"_s), qPrintable(r.errText()));
    r = gapless({u"keys"_s, u"delete"_s, u"done"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText().trimmed(), u"key done: deleted"_s);
    r = gapless({u"keys"_s, u"delete"_s, u"done"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"'done': no such key"_s), qPrintable(r.errText()));
    r = gapless({u"jobs"_s, u"cancel"_s, u"77"_s});
    QCOMPARE(r.exitCode, 0);
    r = gapless({u"keys"_s, u"delete"_s, u"live"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out).object().value("deleted"_L1).toBool(), true);
}

void TestKeysCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("no verb") << QStringList{u"keys"_s} << u"missing verb"_s;
    QTest::addRow("unknown verb") << QStringList{u"keys"_s, u"purge"_s} << u"verb 'purge': unknown"_s;
    QTest::addRow("bad state") << QStringList{u"keys"_s, u"list"_s, u"--state"_s, u"done"_s} << u"--state 'done'"_s;
    QTest::addRow("bad limit") << QStringList{u"keys"_s, u"list"_s, u"--limit"_s, u"5000"_s} << u"--limit '5000'"_s;
    QTest::addRow("delete without key") << QStringList{u"keys"_s, u"delete"_s} << u"0 arguments"_s;
    QTest::addRow("delete bad key") << QStringList{u"keys"_s, u"delete"_s, u"a b"_s}
                                    << u"expected 1-255 of [A-Za-z0-9._:-]"_s;
}

void TestKeysCommand::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().contains(message), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestKeysCommand)
#include "tst_keyscommand.moc"
