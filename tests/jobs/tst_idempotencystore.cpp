// Idempotency keys (IDEM-3..12) on SQLite and PostgreSQL: record first, the IDEM-6 lookup,
// IDEM-7 transitions, expiry, operator list/delete and fail closed (IDEM-10, IDEM-14).
#include "core/jobs/idempotencystore.h"
#include "core/jobs/jobstore.h"
#include "core/store/candlestore.h"
#include "tests/jobs/pgcluster.h"
#include "tests/support/testdatabase.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using jobs::IdempotencyStore;
using jobs::JobRow;
using jobs::KeyRequest;
using store::CandleStore;

namespace {

constexpr qint64 kNow = 1718328600000;
constexpr int kTtlS = 86400;

KeyRequest request(const QString &key = u"k-1"_s, const QJsonObject &args = {{u"series_id"_s, u"a"_s}})
{
    return {key, u"backfill"_s, args};
}

JobRow job(qint64 id, const QString &key)
{
    JobRow j;
    j.jobId = id;
    j.kind = u"backfill"_s;
    j.seriesId = u"binance:spot:BTCUSDT:1m"_s;
    j.idempotencyKey = key;
    j.createdAtMs = kNow;
    return j;
}

qint64 count(CandleStore &s, const QString &table)
{
    QSqlQuery q(s.database());
    if (!q.exec(u"SELECT COUNT(*) FROM "_s + table) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestIdempotencyStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fingerprintIsCanonical();
    void rejectsBadKeys_data();
    void rejectsBadKeys();
    void recordsKeyAndJobFirst();
    void lookupTable_data();
    void lookupTable();
    void businessErrorReplaysSystemErrorReleases();
    void purgeRemovesOnlyExpiredTerminalRows();
    void listAndDelete();
    void orphansHaveNoLiveJob();
    void failsClosedWhenTheStoreIsDown();

private:
    std::unique_ptr<CandleStore> openFresh(store::StoreOptions options = {});
    test::TestDatabase m_db;
};

void TestIdempotencyStore::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    qInfo() << "backend:" << m_db.backendName();
}

std::unique_ptr<CandleStore> TestIdempotencyStore::openFresh(store::StoreOptions options)
{
    const store::StoreUrl url = m_db.freshUrl();
    auto opened = CandleStore::open(url, options);
    if (!opened)
        qFatal("open %s failed: %s", qPrintable(url.redacted()), qPrintable(opened.error().message));
    return std::move(opened).value();
}

void TestIdempotencyStore::fingerprintIsCanonical()
{
    // IDEM-3: key order and number spelling do not matter; the args as received do.
    const KeyRequest a{u"k"_s, u"backfill"_s, {{u"from"_s, 1.0}, {u"series_id"_s, u"x"_s}}};
    const KeyRequest b{u"other"_s, u"backfill"_s, {{u"series_id"_s, u"x"_s}, {u"from"_s, 1}}};
    const KeyRequest c{u"k"_s, u"backfill"_s, {{u"series_id"_s, u"x"_s}}};
    QCOMPARE(a.fingerprint(), b.fingerprint());
    QVERIFY(a.fingerprint() != c.fingerprint());
    QCOMPARE(a.fingerprint().size(), 64);
    // sha256 of {"args":{},"name":"flags_set"}
    QCOMPARE(KeyRequest({u"k"_s, u"flags_set"_s, {}}).fingerprint(),
             QString::fromLatin1(QCryptographicHash::hash(R"({"args":{},"name":"flags_set"})",
                                                          QCryptographicHash::Sha256)
                                     .toHex()));
}

void TestIdempotencyStore::rejectsBadKeys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("ok");
    QTest::addRow("uuid") << u"9b2f6c1e-4d3a-4f7b-8e21-0c5d9a7b3e10"_s << true;
    QTest::addRow("all allowed punctuation") << u"a.b_c:d-e"_s << true;
    QTest::addRow("255 chars") << QString(255, u'k') << true;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("256 chars") << QString(256, u'k') << false;
    QTest::addRow("space") << u"a b"_s << false;
    QTest::addRow("slash") << u"a/b"_s << false;
    QTest::addRow("non-ascii") << u"ключ"_s << false;
}

void TestIdempotencyStore::rejectsBadKeys()
{
    QFETCH(QString, key);
    QFETCH(bool, ok);
    const auto checked = jobs::checkKey(key);
    QCOMPARE(checked.ok(), ok);
    if (!ok) {
        QCOMPARE(checked.error().code, ErrorCode::BadRequest);
        QVERIFY2(checked.error().message.contains(u"expected 1-255 of [A-Za-z0-9._:-]"_s),
                 qPrintable(checked.error().message));
    }
}

void TestIdempotencyStore::recordsKeyAndJobFirst()
{
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 3, kTtlS);
    const auto d = keys.record(request(), job(42, u"k-1"_s));
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
    QVERIFY(d->execute);
    // IDEM-5: committed before any work, with the queued job row.
    const auto row = keys.get(u"k-1"_s);
    QVERIFY(row.ok() && row->has_value());
    QCOMPARE((*row)->state, u"in_progress"_s);
    QCOMPARE((*row)->jobId, std::optional<qint64>(42));
    QCOMPARE((*row)->nodeId, 3);
    QCOMPARE((*row)->fingerprint, request().fingerprint());
    QVERIFY(!(*row)->expiresAtMs);
    const auto stored = jobs::JobStore(*s).get(42);
    QVERIFY(stored.ok() && stored->has_value());
    QCOMPARE((*stored)->state, u"queued"_s);
    QCOMPARE((*stored)->idempotencyKey, u"k-1"_s);
    // The loser of the insert records nothing: still one key and one job.
    const auto again = keys.record(request(), job(43, u"k-1"_s));
    QVERIFY(again.ok());
    QVERIFY(!again->execute);
    QCOMPARE(count(*s, u"idempotency_keys"_s), 1);
    QCOMPARE(count(*s, u"jobs"_s), 1);
}

void TestIdempotencyStore::lookupTable_data()
{
    // IDEM-6, one row per line of the table.
    QTest::addColumn<QString>("stored");  // none, in_progress, succeeded, failed, expired
    QTest::addColumn<bool>("sameArgs");
    QTest::addColumn<bool>("execute");
    QTest::addColumn<QString>("code");    // empty: ok
    QTest::addColumn<bool>("replayed");
    QTest::addRow("none") << u"none"_s << true << true << QString() << false;
    QTest::addRow("expired") << u"expired"_s << true << true << QString() << false;
    QTest::addRow("expired, other args") << u"expired"_s << false << true << QString() << false;
    QTest::addRow("in_progress, other args") << u"in_progress"_s << false << false << u"idempotency_mismatch"_s
                                             << false;
    QTest::addRow("succeeded, other args") << u"succeeded"_s << false << false << u"idempotency_mismatch"_s << false;
    QTest::addRow("failed, other args") << u"failed"_s << false << false << u"idempotency_mismatch"_s << false;
    QTest::addRow("in_progress") << u"in_progress"_s << true << false << u"in_progress"_s << false;
    QTest::addRow("succeeded") << u"succeeded"_s << true << false << QString() << true;
    QTest::addRow("failed") << u"failed"_s << true << false << u"not_found"_s << true;
}

void TestIdempotencyStore::lookupTable()
{
    QFETCH(QString, stored);
    QFETCH(bool, sameArgs);
    QFETCH(bool, execute);
    QFETCH(QString, code);
    QFETCH(bool, replayed);
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 0, kTtlS);
    const QJsonObject cached{{u"job_id"_s, u"42"_s}, {u"state"_s, u"succeeded"_s}};
    if (stored != "none"_L1) {
        QVERIFY(keys.record(request(), job(42, u"k-1"_s))->execute);
        if (stored == "succeeded"_L1 || stored == "expired"_L1)
            QVERIFY(keys.complete(u"k-1"_s, QJsonValue(cached)).ok());
        if (stored == "failed"_L1)
            QVERIFY(keys.complete(u"k-1"_s, Error::notFound(u"series 'x': unknown"_s)).ok());
        if (stored == "expired"_L1)
            clock.setNowMs(kNow + qint64(kTtlS) * 1000);
    }
    const KeyRequest r = sameArgs ? request() : request(u"k-1"_s, {{u"series_id"_s, u"b"_s}});
    const auto d = keys.record(r, job(99, u"k-1"_s));
    QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error().message));
    QCOMPARE(d->execute, execute);
    QCOMPARE(d->replayed, replayed);
    if (execute)
        return;
    if (code.isEmpty()) {
        QVERIFY(d->answer.ok());
        QCOMPARE(d->answer->toObject(), cached);
        return;
    }
    QVERIFY(!d->answer.ok());
    QCOMPARE(d->answer.error().codeName(), code);
    if (code == "idempotency_mismatch"_L1)
        QCOMPARE(d->errorData, QJsonObject({{u"command"_s, u"backfill"_s}}));
    if (code == "in_progress"_L1)
        QCOMPARE(d->errorData, QJsonObject({{u"job_id"_s, u"42"_s}}));
    if (code == "not_found"_L1)
        QCOMPARE(d->answer.error().message, u"series 'x': unknown"_s);
}

void TestIdempotencyStore::businessErrorReplaysSystemErrorReleases()
{
    // IDEM-7/9: business error → failed with expiry; system error → key deleted, same key reruns.
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 0, kTtlS);
    QVERIFY(keys.record(request(u"biz"_s), std::nullopt)->execute);
    QVERIFY(keys.complete(u"biz"_s, Error::badRequest(u"from: after to"_s)).ok());
    const auto failed = keys.get(u"biz"_s);
    QCOMPARE((*failed)->state, u"failed"_s);
    QCOMPARE((*failed)->errorCode, u"bad_request"_s);
    QCOMPARE((*failed)->expiresAtMs, std::optional<qint64>(kNow + qint64(kTtlS) * 1000));
    const auto replay = keys.record(request(u"biz"_s), std::nullopt);
    QVERIFY(!replay->execute && replay->replayed);
    QCOMPARE(replay->answer.error(), Error::badRequest(u"from: after to"_s));

    QVERIFY(keys.record(request(u"sys"_s), std::nullopt)->execute);
    QVERIFY(keys.complete(u"sys"_s, Error::unavailable(u"exchange down"_s)).ok());
    QVERIFY(!keys.get(u"sys"_s)->has_value());
    QVERIFY(keys.record(request(u"sys"_s), std::nullopt)->execute);

    QVERIFY(keys.record(request(u"ok"_s), std::nullopt)->execute);
    QVERIFY(keys.complete(u"ok"_s, QJsonValue(QJsonObject{{u"n"_s, 1}})).ok());
    const auto done = keys.get(u"ok"_s);
    QCOMPARE((*done)->state, u"succeeded"_s);
    QCOMPARE((*done)->resultJson, QByteArray(R"({"n":1})"));
    // Terminal states are final: a late completion changes nothing.
    QVERIFY(keys.complete(u"ok"_s, Error::badRequest(u"late"_s)).ok());
    QCOMPARE((*keys.get(u"ok"_s))->state, u"succeeded"_s);
}

void TestIdempotencyStore::purgeRemovesOnlyExpiredTerminalRows()
{
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 0, 60);
    QVERIFY(keys.record(request(u"done"_s), std::nullopt)->execute);
    QVERIFY(keys.complete(u"done"_s, QJsonValue(1)).ok());
    QVERIFY(keys.record(request(u"running"_s), std::nullopt)->execute);
    clock.setNowMs(kNow + 59999);
    QCOMPARE(*keys.purgeExpired(), 0);
    QVERIFY(keys.get(u"done"_s)->has_value());
    clock.setNowMs(kNow + 60000);
    // IDEM-11: expired counts as absent before the purge removes it.
    QVERIFY(!keys.get(u"done"_s)->has_value());
    QCOMPARE(*keys.purgeExpired(), 1);
    QCOMPARE(count(*s, u"idempotency_keys"_s), 1);
    QCOMPARE((*keys.get(u"running"_s))->state, u"in_progress"_s);
}

void TestIdempotencyStore::listAndDelete()
{
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 0, kTtlS);
    for (int i = 0; i < 3; ++i) {
        clock.setNowMs(kNow + i);
        QVERIFY(keys.record(request(u"k%1"_s.arg(i)), job(100 + i, u"k%1"_s.arg(i)))->execute);
    }
    QVERIFY(keys.complete(u"k0"_s, QJsonValue(0)).ok());
    const auto all = keys.list(QString(), 2);
    QCOMPARE(all->size(), 3); // limit + 1: has_more
    QCOMPARE(all->first().key, u"k2"_s);
    const auto done = keys.list(u"succeeded"_s, 10);
    QCOMPARE(done->size(), 1);
    QCOMPARE(done->first().toJson().value("job_id"_L1), QJsonValue(u"100"_s));

    const auto live = keys.remove(u"k1"_s);
    QVERIFY(!live.ok());
    QCOMPARE(live.error().code, ErrorCode::Conflict);
    QVERIFY2(live.error().message.contains(u"cancel job 101 first"_s), qPrintable(live.error().message));
    QVERIFY(keys.get(u"k1"_s)->has_value());
    QVERIFY(jobs::JobStore(*s).cancelQueued(101, kNow).ok());
    QVERIFY(keys.remove(u"k1"_s).ok());
    QVERIFY(keys.remove(u"k0"_s).ok());
    QCOMPARE(count(*s, u"idempotency_keys"_s), 1);
    const auto missing = keys.remove(u"nope"_s);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().message.contains(u"'nope'"_s));
}

void TestIdempotencyStore::orphansHaveNoLiveJob()
{
    // IDEM-12: in_progress with no live job or command.
    auto s = openFresh();
    FixedClock clock(kNow);
    IdempotencyStore keys(*s, clock, 5, kTtlS);
    QVERIFY(keys.record(request(u"sync"_s), std::nullopt)->execute);
    QVERIFY(keys.record(request(u"live"_s), job(7, u"live"_s))->execute);
    QVERIFY(keys.record(request(u"dead"_s), job(8, u"dead"_s))->execute);
    QVERIFY(jobs::JobStore(*s).cancelQueued(8, kNow).ok());
    const auto found = keys.orphans(5, 0);
    QVERIFY(found.ok());
    QStringList names;
    for (const auto &k : *found)
        names.append(k.key);
    names.sort();
    QCOMPARE(names, QStringList({u"dead"_s, u"sync"_s}));
    QCOMPARE(keys.orphans(6, 0)->size(), 0);
    QCOMPARE(keys.orphans(std::nullopt, kNow + 1)->size(), 2);
    QCOMPARE(keys.orphans(std::nullopt, kNow)->size(), 0);
}

void TestIdempotencyStore::failsClosedWhenTheStoreIsDown()
{
    // IDEM-10/14: the key store unreachable → unavailable, and nothing is written.
    FixedClock clock(kNow);
    if (!m_db.isPostgres()) {
        store::StoreOptions options;
        options.busyTimeoutMs = 50;
        auto s = openFresh(options);
        // Another writer holds the database lock past the busy timeout.
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"holder"_s);
        other.setDatabaseName(s->database().databaseName());
        QVERIFY(other.open());
        QSqlQuery hold(other);
        QVERIFY(hold.exec(u"BEGIN IMMEDIATE"_s));
        IdempotencyStore keys(*s, clock, 0, kTtlS);
        const auto refused = keys.record(request(), job(1, u"k-1"_s));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QVERIFY2(refused.error().message.startsWith(u"idempotency store unavailable: "_s),
                 qPrintable(refused.error().message));
        QVERIFY(hold.exec(u"ROLLBACK"_s));
        hold = QSqlQuery();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"holder"_s);
        QCOMPARE(count(*s, u"idempotency_keys"_s), 0);
        QCOMPARE(count(*s, u"jobs"_s), 0);
        return;
    }
    test::PgCluster cluster;
    QVERIFY2(cluster.start(), qPrintable(cluster.error()));
    {
        auto opened = CandleStore::open(cluster.url(), {});
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        auto s = std::move(opened).value();
        IdempotencyStore keys(*s, clock, 0, kTtlS);
        QVERIFY2(cluster.stop(), qPrintable(cluster.error()));
        const auto refused = keys.record(request(), job(1, u"k-1"_s));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QVERIFY2(refused.error().message.startsWith(u"idempotency store unavailable: "_s),
                 qPrintable(refused.error().message));
    }
    QVERIFY2(cluster.restart(), qPrintable(cluster.error()));
    auto reopened = CandleStore::open(cluster.url(), {});
    QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().message));
    QCOMPARE(count(**reopened, u"idempotency_keys"_s), 0);
    QCOMPARE(count(**reopened, u"jobs"_s), 0);
}

QTEST_GUILESS_MAIN(TestIdempotencyStore)
#include "tst_idempotencystore.moc"
