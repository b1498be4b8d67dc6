// The store suite (STORE-1): the same cases against SQLite and PostgreSQL; ctest runs it once
// per backend (tst_candlestore_sqlite, tst_candlestore_postgresql).
#include "core/store/candlestore.h"
#include "core/store/migrations.h"
#include "tests/support/testcsv.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using store::CandleStore;

namespace {

SeriesId sid(const QString &text)
{
    return *SeriesId::parse(text);
}

Candle bar(qint64 t, double base = 100)
{
    return Candle{t, base, base + 2, base - 1, base + 1, 10};
}

qint64 countRows(CandleStore &store, const QString &table)
{
    QSqlQuery q(store.database());
    if (!q.exec(u"SELECT COUNT(*) FROM "_s + table) || !q.next())
        qFatal("count %s failed", qPrintable(table));
    return q.value(0).toLongLong();
}

} // namespace

class TestCandleStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void migratesWholeSchema();
    void reopenKeepsSchema();
    void refusesChangedChecksum();
    void refusesNewerSchema();
    void upsertClassifiesRows();
    void upsertRecordsRevision();
    void firstCandleAddsSeriesRow();
    void readsRangesTailAndAfter();
    void unknownSeriesIsNotFound();
    void reportsEveryGap();
    void rollbackUndoesUpsert();
    void savepointRollsBackPart();
    void roundTripsSharedFiles_data();
    void roundTripsSharedFiles();

private:
    std::unique_ptr<CandleStore> openFresh();
    std::unique_ptr<CandleStore> reopen(const store::StoreUrl &url);
    test::TestDatabase m_db;
    store::StoreUrl m_lastUrl;
};

void TestCandleStore::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    qInfo() << "backend:" << m_db.backendName();
}

std::unique_ptr<CandleStore> TestCandleStore::openFresh()
{
    m_lastUrl = m_db.freshUrl();
    return reopen(m_lastUrl);
}

std::unique_ptr<CandleStore> TestCandleStore::reopen(const store::StoreUrl &url)
{
    auto opened = CandleStore::open(url, {});
    if (!opened)
        qFatal("open %s failed: %s", qPrintable(url.redacted()), qPrintable(opened.error().message));
    return std::move(opened).value();
}

void TestCandleStore::migratesWholeSchema()
{
    // STORE-6, STORE-7
    auto store = openFresh();
    QCOMPARE(store->schemaVersion(), 1);
    const QStringList tables{u"schema_migrations"_s, u"series"_s, u"candles"_s, u"candle_revisions"_s,
                             u"factor_series_state"_s, u"factor_events"_s, u"factor_head_snapshots"_s,
                             u"overlay_instruction_versions"_s, u"overlay_series_state"_s, u"ingest_errors"_s,
                             u"idempotency_keys"_s, u"jobs"_s, u"review_items"_s};
    for (const QString &table : tables)
        QCOMPARE(countRows(*store, table), table == u"schema_migrations"_s ? 1 : 0);
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"SELECT version, name, checksum FROM schema_migrations"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(2).toString(), store::migrations().constFirst().checksum());
}

void TestCandleStore::reopenKeepsSchema()
{
    auto store = openFresh();
    const SeriesId id = sid(u"file:cn:X:1m"_s);
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, {bar(60)}, {}).ok());
    QVERIFY(store->commit().ok());
    store.reset();
    auto again = reopen(m_lastUrl);
    QCOMPARE(again->schemaVersion(), 1);
    QCOMPARE(countRows(*again, u"schema_migrations"_s), 1);
    QCOMPARE(countRows(*again, u"candles"_s), 1);
}

void TestCandleStore::refusesChangedChecksum()
{
    // STORE-6: a changed checksum is a conflict and changes nothing.
    auto store = openFresh();
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"UPDATE schema_migrations SET checksum = 'abc' WHERE version = 1"_s));
    store.reset();
    auto opened = CandleStore::open(m_lastUrl, {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Conflict);
    QVERIFY2(opened.error().message.contains(u"migration 1 (initial schema) has checksum abc; expected "_s),
             qPrintable(opened.error().message));
}

void TestCandleStore::refusesNewerSchema()
{
    auto store = openFresh();
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"INSERT INTO schema_migrations(version, name, checksum, applied_at_ms) VALUES (99, 'x', 'y', 0)"_s));
    store.reset();
    auto opened = CandleStore::open(m_lastUrl, {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Conflict);
    QVERIFY2(opened.error().message.contains(u"schema version 99 is newer than this build's 1"_s),
             qPrintable(opened.error().message));
}

void TestCandleStore::upsertClassifiesRows()
{
    // STORE-8: inserted / updated / identical sum to the batch size.
    auto store = openFresh();
    const SeriesId id = sid(u"binance:spot:BTC/USDT:1m"_s);
    QVERIFY(store->begin().ok());
    auto first = store->upsert(id, {bar(60), bar(120), bar(180)}, {});
    QVERIFY(first.ok());
    QCOMPARE(first->inserted, 3);
    QCOMPARE(first->insertedTimes, (QList<qint64>{60, 120, 180}));
    Candle changed = bar(120);
    changed.close = 101.5;
    auto second = store->upsert(id, {bar(60), changed, bar(180), bar(240)}, {});
    QVERIFY(second.ok());
    QCOMPARE(second->inserted, 1);
    QCOMPARE(second->updated, 1);
    QCOMPARE(second->identical, 2);
    QCOMPARE(second->insertedTimes, QList<qint64>{240});
    QCOMPARE(second->updatedTimes, QList<qint64>{120});
    QVERIFY(store->commit().ok());
    auto rows = store->range(id, 0, 1000);
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), 4);
    QCOMPARE(rows->at(1), changed);
}

void TestCandleStore::upsertRecordsRevision()
{
    // STORE-8: one candle_revisions row per value-changing overwrite, none for identical rows.
    auto store = openFresh();
    const SeriesId id = sid(u"binance:spot:BTC/USDT:1m"_s);
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, {bar(60)}, {}).ok());
    Candle changed = bar(60);
    changed.high = 150;
    changed.volume = 0;
    store::RevisionContext ctx;
    ctx.cause = u"repair"_s;
    ctx.runId = 42;
    ctx.jobId = 7;
    ctx.requestId = u"req-1"_s;
    ctx.atMs = 1700000000123;
    QVERIFY(store->upsert(id, {changed}, ctx).ok());
    QVERIFY(store->upsert(id, {changed}, ctx).ok());
    QVERIFY(store->commit().ok());
    QCOMPARE(countRows(*store, u"candle_revisions"_s), 1);
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"SELECT series_id, candle_time, old_high, new_high, old_volume, new_volume, cause, run_id, job_id, "
                   u"request_id, at_ms FROM candle_revisions"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), id.toString());
    QCOMPARE(q.value(1).toLongLong(), 60);
    QCOMPARE(q.value(2).toDouble(), 102.0);
    QCOMPARE(q.value(3).toDouble(), 150.0);
    QCOMPARE(q.value(4).toDouble(), 10.0);
    QCOMPARE(q.value(5).toDouble(), 0.0);
    QCOMPARE(q.value(6).toString(), u"repair"_s);
    QCOMPARE(q.value(7).toLongLong(), 42);
    QCOMPARE(q.value(8).toLongLong(), 7);
    QCOMPARE(q.value(9).toString(), u"req-1"_s);
    QCOMPARE(q.value(10).toLongLong(), 1700000000123);
}

void TestCandleStore::firstCandleAddsSeriesRow()
{
    auto store = openFresh();
    const SeriesId id = sid(u"file:cn:000001.SH:5m"_s);
    QCOMPARE(store->hasSeries(id).value(), false);
    QVERIFY(store->begin().ok());
    store::RevisionContext ctx;
    ctx.atMs = 99;
    QVERIFY(store->upsert(id, {bar(300)}, ctx).ok());
    QVERIFY(store->upsert(id, {bar(600)}, ctx).ok());
    QVERIFY(store->commit().ok());
    QCOMPARE(countRows(*store, u"series"_s), 1);
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"SELECT series_id, tf_s, created_at_ms FROM series"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"file:cn:000001.SH:5m"_s);
    QCOMPARE(q.value(1).toLongLong(), 300);
    QCOMPARE(q.value(2).toLongLong(), 99);
    auto list = store->seriesList();
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().count, 2);
    QCOMPARE(list->first().firstTime, std::optional<qint64>(300));
    QCOMPARE(list->first().headTime, std::optional<qint64>(600));
    const auto ids = store->seriesIds();
    QVERIFY(ids.ok());
    QCOMPARE(*ids, QList<SeriesId>{id});
}

void TestCandleStore::readsRangesTailAndAfter()
{
    // STORE-9
    auto store = openFresh();
    const SeriesId id = sid(u"file:x:Y:1m"_s);
    CandleList all;
    for (qint64 t = 60; t <= 600; t += 60)
        all.append(bar(t, double(t)));
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, all, {}).ok());
    QVERIFY(store->commit().ok());

    QCOMPARE(store->range(id, 120, 240).value(), all.mid(1, 3));
    QCOMPARE(store->range(id, 121, 239).value(), all.mid(2, 1));
    QCOMPARE(store->range(id, 0, 10000, 2).value(), all.mid(0, 2));
    QCOMPARE(store->tail(id, 3).value(), all.mid(7, 3));
    QCOMPARE(store->tail(id, 100).value(), all);
    QCOMPARE(store->after(id, 300, 2).value(), all.mid(5, 2));
    QCOMPARE(store->after(id, 600, 10).value(), CandleList());
    QCOMPARE(store->before(id, 300, 2).value(), all.mid(2, 2));
    QCOMPARE(store->before(id, 60, 5).value(), CandleList());
    QCOMPARE(store->before(id, 10000, 100).value(), all);
    QCOMPARE(store->headTime(id).value(), std::optional<qint64>(600));
}

void TestCandleStore::unknownSeriesIsNotFound()
{
    auto store = openFresh();
    const SeriesId id = sid(u"file:x:NOPE:1m"_s);
    const auto check = [&](const Error &e) {
        QCOMPARE(e.code, ErrorCode::NotFound);
        QVERIFY2(e.message.startsWith(u"series 'file:x:NOPE:1m': not in the store"_s), qPrintable(e.message));
    };
    check(store->range(id, 0, 100).error());
    check(store->tail(id, 5).error());
    check(store->after(id, 0, 5).error());
    check(store->before(id, 0, 5).error());
    check(store->headTime(id).error());
    check(store->gaps(id, 0, 100).error());
}

void TestCandleStore::reportsEveryGap()
{
    // STORE-10: every hole, never truncated; computed independently here.
    auto store = openFresh();
    const SeriesId id = sid(u"file:x:G:1m"_s);
    CandleList rows;
    QList<Gap> expected;
    qint64 t = 0;
    for (int i = 0; i < 6000; ++i) {
        const qint64 step = (i % 3 == 2) ? 60 * (2 + i % 5) : 60;
        if (!rows.isEmpty() && step > 60)
            expected.append(Gap{t, t + step, step / 60 - 1});
        t += step;
        rows.append(bar(t));
    }
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, rows, {}).ok());
    QVERIFY(store->commit().ok());
    auto report = store->gaps(id, 0, std::numeric_limits<qint64>::max());
    QVERIFY(report.ok());
    QCOMPARE(report->rows, rows.size());
    QCOMPARE(report->firstTime, std::optional<qint64>(rows.first().time));
    QCOMPARE(report->lastTime, std::optional<qint64>(rows.last().time));
    QCOMPARE(report->gaps.size(), expected.size());
    QVERIFY(report->gaps == expected);

    // A window: only pairs with both ends inside [from, to].
    const qint64 from = rows.at(100).time;
    const qint64 to = rows.at(200).time;
    QList<Gap> inside;
    for (const Gap &g : std::as_const(expected)) {
        if (g.prevTime >= from && g.nextTime <= to)
            inside.append(g);
    }
    auto window = store->gaps(id, from, to);
    QVERIFY(window.ok());
    QCOMPARE(window->rows, 101);
    QVERIFY(window->gaps == inside);
}

void TestCandleStore::rollbackUndoesUpsert()
{
    auto store = openFresh();
    const SeriesId id = sid(u"file:x:R:1m"_s);
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, {bar(60)}, {}).ok());
    QVERIFY(store->commit().ok());
    QVERIFY(store->begin().ok());
    Candle changed = bar(60);
    changed.open = 1;
    QVERIFY(store->upsert(id, {changed, bar(120)}, {}).ok());
    QVERIFY(store->rollback().ok());
    QCOMPARE(store->range(id, 0, 1000).value(), CandleList{bar(60)});
    QCOMPARE(countRows(*store, u"candle_revisions"_s), 0);
}

void TestCandleStore::savepointRollsBackPart()
{
    auto store = openFresh();
    const SeriesId id = sid(u"file:x:S:1m"_s);
    QVERIFY(store->begin().ok());
    QVERIFY(store->upsert(id, {bar(60)}, {}).ok());
    QVERIFY(store->savepoint(u"factor_step"_s).ok());
    QVERIFY(store->upsert(id, {bar(120)}, {}).ok());
    QVERIFY(store->rollbackTo(u"factor_step"_s).ok());
    QVERIFY(store->commit().ok());
    QCOMPARE(store->range(id, 0, 1000).value(), CandleList{bar(60)});
    QVERIFY(!store->savepoint(u"x; DROP TABLE candles"_s).ok());
}

void TestCandleStore::roundTripsSharedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("series");
    QTest::addRow("sse") << u"sse_000001_1m.csv"_s << u"file:cn:000001.SH:1m"_s;
    QTest::addRow("cffex") << u"cffex_IFL8_1m_part1.csv"_s << u"file:cffex:IFL8:1m"_s;
}

void TestCandleStore::roundTripsSharedFiles()
{
    // Stored values come back bit for bit; a replay writes nothing (STORE-8, ING-12).
    QFETCH(QString, file);
    QFETCH(QString, series);
    const CandleList rows = test::readPlainCsv(test::dataFile(file));
    QVERIFY(rows.size() > 10000);
    auto store = openFresh();
    const SeriesId id = sid(series);
    for (int pass = 0; pass < 2; ++pass) {
        qint64 inserted = 0, updated = 0, identical = 0;
        for (qsizetype start = 0; start < rows.size(); start += 5000) {
            QVERIFY(store->begin().ok());
            auto r = store->upsert(id, rows.mid(start, 5000), {});
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            QVERIFY(store->commit().ok());
            inserted += r->inserted;
            updated += r->updated;
            identical += r->identical;
        }
        QCOMPARE(inserted, pass == 0 ? rows.size() : 0);
        QCOMPARE(updated, 0);
        QCOMPARE(identical, pass == 0 ? 0 : rows.size());
    }
    const CandleList back = store->range(id, 0, std::numeric_limits<qint64>::max()).value();
    QCOMPARE(back.size(), rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (!(back.at(i) == rows.at(i)))
            QFAIL(qPrintable(u"row %1 (time %2) differs after the round trip"_s.arg(i).arg(rows.at(i).time)));
    }
    QCOMPARE(countRows(*store, u"candle_revisions"_s), 0);
}

QTEST_GUILESS_MAIN(TestCandleStore)
#include "tst_candlestore.moc"
