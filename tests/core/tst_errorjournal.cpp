// The ingest_errors journal (STORE-7, ING-9..ING-11, CLI-13) against SQLite and PostgreSQL;
// ctest runs it once per backend (tst_errorjournal_sqlite, tst_errorjournal_postgresql).
#include "core/domain/canonicaljson.h"
#include "core/ingest/errorjournal.h"
#include "core/ingest/pendingjournal.h"
#include "core/runtime/failpoints.h"
#include "core/store/candlestore.h"
#include "tests/support/testdatabase.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using ingest::ErrorJournal;
using ingest::JournalEntry;
using ingest::JournalFilter;
using ingest::PendingJournal;
using store::CandleStore;

namespace {

const QString kSeriesA = u"binance:spot:BTCUSDT:1m"_s;
const QString kSeriesB = u"file:cn:000001.SH:1m"_s;

JournalEntry entry(const QString &series, const QString &status = u"open"_s, qint64 runId = 1)
{
    JournalEntry e;
    e.atMs = 1709251200000 + runId;
    e.runId = runId;
    e.source = u"live"_s;
    e.step = u"store"_s;
    e.seriesId = series;
    e.firstTime = 1709251200;
    e.lastTime = 1709251260;
    e.candleCount = 2;
    e.message = journalMessage(e, u"disk full"_s);
    e.batchJson = ingest::batchJson({{1709251200, 1, 2, 0.5, 1.5, 10}, {1709251260, 1.5, 2, 1, 2, 0}});
    e.status = status;
    return e;
}

JournalEntry everyColumnSet()
{
    JournalEntry e;
    e.atMs = 1709251234567;
    e.runId = 9007199254740993; // above 2^53: integers must not pass through a double
    e.source = u"retry"_s;
    e.step = u"overlay"_s;
    e.seriesId = u"binance:futures:BTC/USDT:USDT:1h"_s;
    e.requestId = u"req-42.a:b"_s;
    e.jobId = 4611686018427387904;
    e.firstTime = 1709251200;
    e.lastTime = 1709337600;
    e.candleCount = 25;
    e.candleCompensatedRows = 24;
    e.overlayCompensated = true;
    e.compensated = true;
    e.compensationError = u"ROLLBACK: server closed the connection"_s;
    e.message = journalMessage(e, u"failpoint ingest.overlay"_s);
    e.batchJson = ingest::batchJson({{1709251200, 3020.96, 3021.5, 3019, 3020, 1e-7}});
    e.rejectedJson = R"([{"index":3,"reasons":["high_below_low"],"time":1709262000}])";
    e.status = u"retried"_s;
    e.retryOf = 3;
    e.resolvedByRun = 11;
    e.resolvedAtMs = 1709251299999;
    return e;
}

JournalEntry absentValues()
{
    JournalEntry e;
    e.atMs = 1;
    e.runId = 2;
    e.source = u"backfill"_s;
    e.step = u"fetch"_s;
    e.seriesId = kSeriesA;
    e.message = u"GET https://api.binance.com/api/v3/klines: HTTP 503 after 5 attempts"_s;
    e.batchJson = "[]";
    return e;
}

qint64 rowCount(CandleStore &store)
{
    QSqlQuery q(store.database());
    if (!q.exec(u"SELECT COUNT(*) FROM ingest_errors"_s) || !q.next())
        qFatal("count failed");
    return q.value(0).toLongLong();
}

// The failure text of a Result for QVERIFY2, which evaluates its message even on success.
template<typename R>
QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

QList<qint64> ids(const QList<JournalEntry> &entries)
{
    QList<qint64> out;
    for (const JournalEntry &e : entries)
        out << e.id;
    return out;
}

} // namespace

class TestErrorJournal final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsBackEveryColumn_data();
    void readsBackEveryColumn();
    void writesAbsentValuesAsNull();
    void writesAnEmptyBatchAsEmptyArray();
    void refusesValuesOutsideStore7_data();
    void refusesValuesOutsideStore7();
    void unknownIdIsNotFound();
    void listsNewestFirst_data();
    void listsNewestFirst();
    void refusesBadFilter_data();
    void refusesBadFilter();
    void marksResolved();
    void marksRetried();
    void countsOpenRows();
    void writesInTheCallersTransaction();
    void honoursJournalWriteFailpoint();
    void entryJsonUsesColumnNames();
    void batchJsonIsCanonical_data();
    void batchJsonIsCanonical();
    void refusesBadBatchJson_data();
    void refusesBadBatchJson();
    void buildsIng9Message_data();
    void buildsIng9Message();
    void pendingKeepsTheNewest1000();
    void pendingRefusesInvalidEntry();
    void pendingFlushesInOrder();
    void pendingKeepsWhatFails();
    void pendingStopsAtTheFirstFailure();

private:
    std::unique_ptr<CandleStore> openFresh();
    test::TestDatabase m_db;
};

void TestErrorJournal::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    qInfo() << "backend:" << m_db.backendName();
}

std::unique_ptr<CandleStore> TestErrorJournal::openFresh()
{
    const store::StoreUrl url = m_db.freshUrl();
    auto opened = CandleStore::open(url, {});
    if (!opened)
        qFatal("open %s failed: %s", qPrintable(url.redacted()), qPrintable(opened.error().message));
    return std::move(opened).value();
}

void TestErrorJournal::readsBackEveryColumn_data()
{
    QTest::addColumn<JournalEntry>("written");
    QTest::addRow("every column set") << everyColumnSet();
    QTest::addRow("absent values") << absentValues();
    QTest::addRow("validate row") << [] {
        JournalEntry e = entry(kSeriesB);
        e.source = u"import"_s;
        e.step = u"validate"_s;
        e.rejectedJson = R"([{"index":0,"reasons":["negative_volume","time_not_aligned"],"time":61}])";
        e.message = u"ingest validate failed for file:cn:000001.SH:1m [61..61, 1 candles]: 1 rows rejected"_s;
        return e;
    }();
}

void TestErrorJournal::readsBackEveryColumn()
{
    // STORE-7: every column, nulls included, comes back exactly as written.
    QFETCH(JournalEntry, written);
    auto store = openFresh();
    ErrorJournal journal(*store);
    auto id = journal.append(written);
    QVERIFY2(id.ok(), why(id));
    QVERIFY(*id > 0);
    auto read = journal.get(*id);
    QVERIFY2(read.ok(), why(read));
    JournalEntry expected = written;
    expected.id = *id;
    QCOMPARE(read->toJson(true), expected.toJson(true));
    QCOMPARE(read->batchJson, expected.batchJson);
    QCOMPARE(read->rejectedJson, expected.rejectedJson);
    QVERIFY(*read == expected);
}

void TestErrorJournal::writesAbsentValuesAsNull()
{
    auto store = openFresh();
    ErrorJournal journal(*store);
    auto id = journal.append(absentValues());
    QVERIFY(id.ok());
    QSqlQuery q(store->database());
    QVERIFY(q.prepare(u"SELECT request_id IS NULL, job_id IS NULL, first_time IS NULL, last_time IS NULL, "
                      u"compensation_error IS NULL, rejected_json IS NULL, retry_of IS NULL, "
                      u"resolved_by_run IS NULL, resolved_at_ms IS NULL FROM ingest_errors WHERE id = ?"_s));
    q.addBindValue(*id);
    QVERIFY(q.exec());
    QVERIFY(q.next());
    for (int k = 0; k < 9; ++k)
        QVERIFY2(q.value(k).toBool(), qPrintable(u"column %1 is not NULL"_s.arg(k)));
}

void TestErrorJournal::writesAnEmptyBatchAsEmptyArray()
{
    // batch_json is NOT NULL: a row without candles (fetch, job) holds `[]`.
    auto store = openFresh();
    ErrorJournal journal(*store);
    JournalEntry e = absentValues();
    e.batchJson.clear();
    auto id = journal.append(e);
    QVERIFY(id.ok());
    QCOMPARE(journal.get(*id)->batchJson, QByteArray("[]"));
}

void TestErrorJournal::refusesValuesOutsideStore7_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addRow("source") << u"source"_s << u"cli"_s
                            << u"ingest error entry source 'cli': not allowed; expected one of live, backfill, import, "
                               u"repair, review, retry, rollup, demo"_s;
    QTest::addRow("empty source") << u"source"_s << QString()
                                  << u"ingest error entry source '': not allowed; expected one of live, "_s;
    QTest::addRow("source case") << u"source"_s << u"Live"_s << u"ingest error entry source 'Live': not allowed"_s;
    QTest::addRow("step") << u"step"_s << u"parse"_s
                          << u"ingest error entry step 'parse': not allowed; expected one of validate, store, factor, "
                             u"overlay, commit, publish, fetch, job"_s;
    QTest::addRow("status") << u"status"_s << u"closed"_s
                            << u"ingest error entry status 'closed': not allowed; expected one of open, retried, "
                               u"resolved"_s;
    QTest::addRow("status all") << u"status"_s << u"all"_s << u"ingest error entry status 'all': not allowed"_s;
}

void TestErrorJournal::refusesValuesOutsideStore7()
{
    // STORE-7's closed sets: a bad value is an internal error and nothing is written.
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    auto store = openFresh();
    ErrorJournal journal(*store);
    JournalEntry e = entry(kSeriesA);
    if (field == u"source"_s)
        e.source = value;
    else if (field == u"step"_s)
        e.step = value;
    else
        e.status = value;
    auto id = journal.append(e);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().code, ErrorCode::Internal);
    QVERIFY2(id.error().message.startsWith(expected), qPrintable(id.error().message));
    QCOMPARE(rowCount(*store), 0);
}

void TestErrorJournal::unknownIdIsNotFound()
{
    auto store = openFresh();
    ErrorJournal journal(*store);
    auto got = journal.get(999);
    QVERIFY(!got.ok());
    QCOMPARE(got.error(), Error::notFound(u"ingest error 999: not found; expected the id of an ingest_errors row"_s));
}

void TestErrorJournal::listsNewestFirst_data()
{
    QTest::addColumn<std::optional<QString>>("series");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("limit");
    QTest::addColumn<std::optional<qint64>>("beforeId");
    QTest::addColumn<QList<qint64>>("expected");
    // Rows 1..6 (see listsNewestFirst): A open, B open, A retried, A open, B resolved, A open.
    const std::optional<QString> any;
    const std::optional<qint64> none;
    QTest::addRow("default: open") << any << u"open"_s << 100 << none << QList<qint64>{6, 4, 2, 1};
    QTest::addRow("one series") << std::optional(kSeriesA) << u"open"_s << 100 << none << QList<qint64>{6, 4, 1};
    QTest::addRow("retried") << any << u"retried"_s << 100 << none << QList<qint64>{3};
    QTest::addRow("resolved") << any << u"resolved"_s << 100 << none << QList<qint64>{5};
    QTest::addRow("all") << any << u"all"_s << 100 << none << QList<qint64>{6, 5, 4, 3, 2, 1};
    QTest::addRow("limit") << any << u"all"_s << 2 << none << QList<qint64>{6, 5};
    QTest::addRow("before id") << any << u"open"_s << 100 << std::optional<qint64>(4) << QList<qint64>{2, 1};
    QTest::addRow("series, all, page") << std::optional(kSeriesA) << u"all"_s << 2 << std::optional<qint64>(6)
                                       << QList<qint64>{4, 3};
    QTest::addRow("series without rows") << std::optional(u"file:cn:X:1d"_s) << u"all"_s << 100 << none
                                         << QList<qint64>{};
    QTest::addRow("before the first") << any << u"all"_s << 100 << std::optional<qint64>(1) << QList<qint64>{};
}

void TestErrorJournal::listsNewestFirst()
{
    // CLI-13, PROTO-26: newest first, filtered by series and status, limited, paged by id.
    QFETCH(std::optional<QString>, series);
    QFETCH(QString, status);
    QFETCH(int, limit);
    QFETCH(std::optional<qint64>, beforeId);
    QFETCH(QList<qint64>, expected);
    auto store = openFresh();
    ErrorJournal journal(*store);
    const QList<JournalEntry> rows{entry(kSeriesA, u"open"_s, 1),     entry(kSeriesB, u"open"_s, 2),
                                   entry(kSeriesA, u"retried"_s, 3),  entry(kSeriesA, u"open"_s, 4),
                                   entry(kSeriesB, u"resolved"_s, 5), entry(kSeriesA, u"open"_s, 6)};
    for (const JournalEntry &e : rows)
        QCOMPARE(*journal.append(e), e.runId); // a fresh table numbers from 1
    auto listed = journal.list(JournalFilter{series, status, limit, beforeId});
    QVERIFY2(listed.ok(), why(listed));
    QCOMPARE(ids(*listed), expected);
    for (const JournalEntry &e : std::as_const(*listed)) {
        JournalEntry written = rows.at(e.id - 1);
        written.id = e.id;
        QVERIFY(e == written);
    }
}

void TestErrorJournal::refusesBadFilter_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QString>("expected");
    QTest::addRow("status") << u"closed"_s << 100
                            << u"status 'closed': unknown; expected open, retried, resolved or all"_s;
    QTest::addRow("empty status") << QString() << 100
                                  << u"status '': unknown; expected open, retried, resolved or all"_s;
    QTest::addRow("limit 0") << u"open"_s << 0 << u"limit 0: out of range; expected an integer in [1, 100000]"_s;
    QTest::addRow("negative limit") << u"all"_s << -5
                                    << u"limit -5: out of range; expected an integer in [1, 100000]"_s;
    QTest::addRow("limit too large") << u"all"_s << 100001
                                     << u"limit 100001: out of range; expected an integer in [1, 100000]"_s;
}

void TestErrorJournal::refusesBadFilter()
{
    QFETCH(QString, status);
    QFETCH(int, limit);
    QFETCH(QString, expected);
    auto store = openFresh();
    ErrorJournal journal(*store);
    JournalFilter filter;
    filter.status = status;
    filter.limit = limit;
    auto listed = journal.list(filter);
    QVERIFY(!listed.ok());
    QCOMPARE(listed.error(), Error::badRequest(expected));
}

void TestErrorJournal::marksResolved()
{
    // ING-11: success resolves the row with the resolving run and time; resolved stays resolved.
    auto store = openFresh();
    ErrorJournal journal(*store);
    const JournalEntry written = entry(kSeriesA);
    const qint64 id = *journal.append(written);
    const qint64 other = *journal.append(entry(kSeriesB));
    QVERIFY(journal.markResolved(id, 77, 1709300000000).ok());
    JournalEntry expected = written;
    expected.id = id;
    expected.status = u"resolved"_s;
    expected.resolvedByRun = 77;
    expected.resolvedAtMs = 1709300000000;
    QVERIFY(*journal.get(id) == expected);
    QCOMPARE(journal.get(other)->status, u"open"_s);

    const auto again = journal.markResolved(id, 78, 1709300000001);
    QCOMPARE(again.error(), Error::conflict(u"ingest error %1: already resolved; expected an open or retried row"_s.arg(id)));
    const auto retried = journal.markRetried(id);
    QCOMPARE(retried.error(), again.error());
    QVERIFY(*journal.get(id) == expected); // unchanged by either refusal

    QCOMPARE(journal.markResolved(999, 1, 1).error(),
             Error::notFound(u"ingest error 999: not found; expected the id of an ingest_errors row"_s));
}

void TestErrorJournal::marksRetried()
{
    auto store = openFresh();
    ErrorJournal journal(*store);
    const qint64 id = *journal.append(entry(kSeriesA));
    QVERIFY(journal.markRetried(id).ok());
    QCOMPARE(journal.get(id)->status, u"retried"_s);
    QVERIFY(journal.markRetried(id).ok()); // a second failed retry changes nothing
    QCOMPARE(journal.get(id)->status, u"retried"_s);
    QVERIFY(!journal.get(id)->resolvedByRun);
    // A retried row can still be resolved by a later retry.
    QVERIFY(journal.markResolved(id, 5, 6).ok());
    QCOMPARE(journal.get(id)->status, u"resolved"_s);
    QCOMPARE(journal.markRetried(999).error().code, ErrorCode::NotFound);
}

void TestErrorJournal::countsOpenRows()
{
    // The `ingest_errors.open` gauge (OBS-4).
    auto store = openFresh();
    ErrorJournal journal(*store);
    QCOMPARE(*journal.openCount(), 0);
    const qint64 a = *journal.append(entry(kSeriesA));
    const qint64 b = *journal.append(entry(kSeriesB));
    (void)*journal.append(entry(kSeriesB, u"retried"_s));
    (void)*journal.append(entry(kSeriesB, u"resolved"_s));
    QCOMPARE(*journal.openCount(), 2);
    QVERIFY(journal.markRetried(a).ok());
    QCOMPARE(*journal.openCount(), 1);
    QVERIFY(journal.markResolved(b, 1, 1).ok());
    QCOMPARE(*journal.openCount(), 0);
}

void TestErrorJournal::writesInTheCallersTransaction()
{
    // ING-9: the row commits with what the run keeps, so it goes if the run's transaction goes.
    auto store = openFresh();
    ErrorJournal journal(*store);
    QVERIFY(store->begin().ok());
    const qint64 undone = *journal.append(entry(kSeriesA));
    QVERIFY(store->rollback().ok());
    QCOMPARE(journal.get(undone).error().code, ErrorCode::NotFound);
    QCOMPARE(*journal.openCount(), 0);

    QVERIFY(store->begin().ok());
    const qint64 kept = *journal.append(entry(kSeriesA));
    QVERIFY(store->commit().ok());
    QVERIFY(journal.get(kept).ok());
    QCOMPARE(*journal.openCount(), 1);
}

void TestErrorJournal::honoursJournalWriteFailpoint()
{
    // OBS-6 `journal.write`: the append fails with the failpoint as its cause and writes nothing.
    auto store = openFresh();
    Failpoints failpoints(*parseFailpoints(u"journal.write=1"_s), 1);
    ErrorJournal journal(*store, failpoints);
    JournalEntry bad = entry(kSeriesA);
    bad.step = u"nope"_s;
    QCOMPARE(journal.append(bad).error().code, ErrorCode::Internal);
    QCOMPARE(failpoints.hits(u"journal.write"), 0); // refused before the point
    const auto first = journal.append(entry(kSeriesA));
    QCOMPARE(first.error(), (Error{ErrorCode::Internal, u"failpoint journal.write"_s}));
    QCOMPARE(rowCount(*store), 0);
    QVERIFY(journal.append(entry(kSeriesA)).ok());
    QCOMPARE(rowCount(*store), 1);
    QCOMPARE(failpoints.hits(u"journal.write"), 2);
}

void TestErrorJournal::entryJsonUsesColumnNames()
{
    JournalEntry e = everyColumnSet();
    e.id = 12;
    const QJsonObject withBatch = e.toJson(true);
    const QStringList columns{u"at_ms"_s,          u"batch_json"_s,      u"candle_compensated_rows"_s,
                              u"candle_count"_s,   u"compensated"_s,     u"compensation_error"_s,
                              u"first_time"_s,     u"id"_s,              u"job_id"_s,
                              u"last_time"_s,      u"message"_s,         u"overlay_compensated"_s,
                              u"rejected_json"_s,  u"request_id"_s,      u"resolved_at_ms"_s,
                              u"resolved_by_run"_s, u"retry_of"_s,       u"run_id"_s,
                              u"series_id"_s,      u"source"_s,          u"status"_s,
                              u"step"_s};
    QCOMPARE(withBatch.keys(), columns);
    QCOMPARE(withBatch.value(u"id"_s).toInteger(), 12);
    QCOMPARE(withBatch.value(u"run_id"_s).toInteger(), 9007199254740993);
    QCOMPARE(withBatch.value(u"job_id"_s), QJsonValue(u"4611686018427387904"_s)); // PROTO-2: a decimal string
    QCOMPARE(withBatch.value(u"compensated"_s), QJsonValue(true));
    QCOMPARE(withBatch.value(u"batch_json"_s).toArray(),
             (QJsonArray{QJsonArray{1709251200, 3020.96, 3021.5, 3019, 3020, 1e-7}}));
    QCOMPARE(canonicalJson(withBatch.value(u"rejected_json"_s)), e.rejectedJson);

    // The ingest_error frame is the row less batch_json (PROTO-4); absent values are null.
    const QJsonObject frame = absentValues().toJson(false);
    QVERIFY(!frame.contains(u"batch_json"_s));
    QCOMPARE(frame.size(), columns.size() - 1);
    for (const QString &key : {u"request_id"_s, u"job_id"_s, u"first_time"_s, u"last_time"_s,
                               u"compensation_error"_s, u"rejected_json"_s, u"retry_of"_s, u"resolved_by_run"_s,
                               u"resolved_at_ms"_s})
        QVERIFY2(frame.value(key).isNull(), qPrintable(key));
    QCOMPARE(frame.value(u"status"_s).toString(), u"open"_s);
}

void TestErrorJournal::batchJsonIsCanonical_data()
{
    QTest::addColumn<CandleList>("candles");
    QTest::addColumn<QByteArray>("expected");
    // ING-9 `[[t,o,h,l,c,v],…]` in C-3 form: integers without `.`, shortest round-trip numbers.
    QTest::addRow("empty") << CandleList{} << QByteArray("[]");
    QTest::addRow("decimals") << CandleList{{1709251200, 3020.96, 3021.5, 3019.01, 3020.96, 12.125}}
                              << QByteArray("[[1709251200,3020.96,3021.5,3019.01,3020.96,12.125]]");
    QTest::addRow("whole numbers") << CandleList{{60, 3485, 3490, 3480, 3485, 0}}
                                   << QByteArray("[[60,3485,3490,3480,3485,0]]");
    QTest::addRow("tiny and huge") << CandleList{{0, 1e-7, 2e-7, 5e-8, 1e-7, 1e22}}
                                   << QByteArray("[[0,1e-07,2e-07,5e-08,1e-07,1e+22]]");
    QTest::addRow("two rows") << CandleList{{60, 1, 2, 0.5, 1.5, 10}, {120, 0.1, 0.30000000000000004, 0.1, 0.2, 1}}
                              << QByteArray("[[60,1,2,0.5,1.5,10],[120,0.1,0.30000000000000004,0.1,0.2,1]]");
}

void TestErrorJournal::batchJsonIsCanonical()
{
    QFETCH(CandleList, candles);
    QFETCH(QByteArray, expected);
    const QByteArray text = ingest::batchJson(candles);
    QCOMPARE(text, expected);
    auto back = ingest::candlesFromBatchJson(text);
    QVERIFY2(back.ok(), why(back));
    QCOMPARE(*back, candles); // every double exactly
}

void TestErrorJournal::refusesBadBatchJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QString shape = u"[time, open, high, low, close, volume]"_s;
    QTest::addRow("not JSON") << QByteArray("[[60,1,2")
                              << u"batch_json: invalid JSON at offset "_s;
    QTest::addRow("empty text") << QByteArray() << u"batch_json: invalid JSON at offset 0"_s;
    QTest::addRow("object") << QByteArray(R"({"time":60})")
                            << u"batch_json: got an object; expected an array of "_s + shape;
    QTest::addRow("element not an array") << QByteArray("[[60,1,1,1,1,1],7]")
                                          << u"batch_json element 2: got a number; expected "_s + shape;
    QTest::addRow("five items") << QByteArray("[[60,1,1,1,1]]")
                                << u"batch_json element 1: got 5 items; expected 6, "_s + shape;
    QTest::addRow("seven items") << QByteArray("[[60,1,1,1,1,1,1]]")
                                 << u"batch_json element 1: got 7 items; expected 6, "_s + shape;
    QTest::addRow("string value") << QByteArray(R"([[60,"1",1,1,1,1]])")
                                  << u"batch_json element 1: open is a string; expected a number"_s;
    QTest::addRow("null volume") << QByteArray("[[60,1,1,1,1,null]]")
                                 << u"batch_json element 1: volume is null; expected a number"_s;
    QTest::addRow("fractional time") << QByteArray("[[60.5,1,1,1,1,1]]")
                                     << u"batch_json element 1: time 60.5; expected whole Unix seconds in "
                                        u"[0, 100000000000)"_s;
    QTest::addRow("negative time") << QByteArray("[[-60,1,1,1,1,1]]")
                                   << u"batch_json element 1: time -60; expected whole Unix seconds in "_s;
    QTest::addRow("time too large") << QByteArray("[[100000000000,1,1,1,1,1]]")
                                    << u"batch_json element 1: time 100000000000; expected "_s;
}

void TestErrorJournal::refusesBadBatchJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    auto candles = ingest::candlesFromBatchJson(json);
    QVERIFY(!candles.ok());
    QCOMPARE(candles.error().code, ErrorCode::BadRequest);
    QVERIFY2(candles.error().message.startsWith(expected), qPrintable(candles.error().message));
}

void TestErrorJournal::buildsIng9Message_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("withCandles");
    QTest::addColumn<qint64>("undone");
    QTest::addColumn<bool>("factorUndone");
    QTest::addColumn<QString>("compensationError");
    QTest::addColumn<QString>("expected");
    const QString head = u"ingest %1 failed for binance:spot:BTCUSDT:1m [1709251200..1709254740, 60 candles]: "_s;
    QTest::addRow("plain") << u"store"_s << true << qint64(0) << false << QString()
                           << head.arg(u"store"_s) + u"failpoint ingest.store"_s;
    QTest::addRow("candles undone") << u"factor"_s << true << qint64(60) << false << QString()
                                    << head.arg(u"factor"_s) + u"failpoint ingest.factor; candles undone: 60"_s;
    QTest::addRow("factor undone") << u"overlay"_s << true << qint64(0) << true << QString()
                                   << head.arg(u"overlay"_s) + u"failpoint ingest.overlay; factor undone"_s;
    QTest::addRow("everything") << u"overlay"_s << true << qint64(12) << true << u"ROLLBACK failed: gone"_s
                                << head.arg(u"overlay"_s)
                                       + u"failpoint ingest.overlay; candles undone: 12; factor undone; "
                                         u"compensation error: ROLLBACK failed: gone"_s;
    QTest::addRow("no candles") << u"fetch"_s << false << qint64(0) << false << QString()
                                << u"ingest fetch failed for binance:spot:BTCUSDT:1m [0 candles]: failpoint "
                                   u"ingest.fetch"_s;
}

void TestErrorJournal::buildsIng9Message()
{
    QFETCH(QString, step);
    QFETCH(bool, withCandles);
    QFETCH(qint64, undone);
    QFETCH(bool, factorUndone);
    QFETCH(QString, compensationError);
    QFETCH(QString, expected);
    const std::optional<qint64> first = withCandles ? std::optional<qint64>(1709251200) : std::nullopt;
    const std::optional<qint64> last = withCandles ? std::optional<qint64>(1709254740) : std::nullopt;
    const qint64 count = withCandles ? 60 : 0;
    const QString cause = u"failpoint ingest."_s + step;
    QCOMPARE(ingest::journalMessage(step, kSeriesA, first, last, count, cause, undone, factorUndone,
                                    compensationError),
             expected);
    // The entry overload reads the same pieces from the columns.
    JournalEntry e;
    e.step = step;
    e.seriesId = kSeriesA;
    e.firstTime = first;
    e.lastTime = last;
    e.candleCount = count;
    e.candleCompensatedRows = undone;
    e.overlayCompensated = factorUndone;
    e.compensationError = compensationError;
    QCOMPARE(ingest::journalMessage(e, cause), expected);
}

void TestErrorJournal::pendingKeepsTheNewest1000()
{
    // ING-10: at most 1000 kept in memory; beyond that the oldest go, counted.
    PendingJournal pending;
    QCOMPARE(PendingJournal::kCapacity, 1000);
    // OBS-5: a dropped failure record is at least logged, critical.
    for (int i = 0; i < 5; ++i)
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"^pending journal full at 1000 rows; dropped the "
                                                               u"oldest: ingest store failed for "_s));
    for (qint64 i = 0; i < 1005; ++i)
        QVERIFY(pending.add(entry(kSeriesA, u"open"_s, i)).ok());
    QCOMPARE(pending.size(), 1000);
    QCOMPARE(pending.dropped(), 5);
    QCOMPARE(pending.entries().constFirst().runId, 5);
    QCOMPARE(pending.entries().constLast().runId, 1004);
}

void TestErrorJournal::pendingRefusesInvalidEntry()
{
    // An entry the journal would always refuse is not kept to block the others.
    PendingJournal pending;
    JournalEntry e = entry(kSeriesA);
    e.source = u"cli"_s;
    const auto added = pending.add(e);
    QCOMPARE(added.error().code, ErrorCode::Internal);
    QVERIFY(pending.isEmpty());
    QCOMPARE(pending.dropped(), 0);
}

void TestErrorJournal::pendingFlushesInOrder()
{
    auto store = openFresh();
    ErrorJournal journal(*store);
    PendingJournal pending;
    for (qint64 run : {30, 10, 20})
        QVERIFY(pending.add(entry(kSeriesA, u"open"_s, run)).ok());
    const ingest::PendingFlush flushed = pending.flush(journal);
    QVERIFY(!flushed.error);
    QVERIFY(pending.isEmpty());
    QCOMPARE(flushed.written.size(), 3);
    QList<qint64> runs;
    for (const JournalEntry &e : flushed.written) {
        runs << e.runId;
        QVERIFY(*journal.get(e.id) == e); // the written copy carries its new id
    }
    QCOMPARE(runs, (QList<qint64>{30, 10, 20}));
    QCOMPARE(ids(flushed.written), (QList<qint64>{1, 2, 3}));
}

void TestErrorJournal::pendingKeepsWhatFails()
{
    auto store = openFresh();
    Failpoints failpoints(*parseFailpoints(u"journal.write=1"_s), 1);
    ErrorJournal journal(*store, failpoints);
    PendingJournal pending;
    for (qint64 run : {1, 2, 3})
        QVERIFY(pending.add(entry(kSeriesA, u"open"_s, run)).ok());
    const ingest::PendingFlush failed = pending.flush(journal);
    QVERIFY(failed.written.isEmpty());
    QCOMPARE(*failed.error, (Error{ErrorCode::Internal, u"failpoint journal.write"_s}));
    QCOMPARE(pending.size(), 3);
    QCOMPARE(rowCount(*store), 0);
    const ingest::PendingFlush later = pending.flush(journal);
    QVERIFY(!later.error);
    QCOMPARE(later.written.size(), 3);
    QVERIFY(pending.isEmpty());
}

void TestErrorJournal::pendingStopsAtTheFirstFailure()
{
    // A seed whose 50 % pattern starts pass, fail: the first entry is written, the flush stops
    // at the second and keeps it and the third, in order.
    const QList<Failpoint> points = *parseFailpoints(u"journal.write=50%"_s);
    quint64 seed = 1;
    for (;; ++seed) {
        Failpoints probe(points, seed);
        if (probe.hit(u"journal.write").ok() && !probe.hit(u"journal.write").ok())
            break;
    }
    auto store = openFresh();
    Failpoints failpoints(points, seed);
    ErrorJournal journal(*store, failpoints);
    PendingJournal pending;
    for (qint64 run : {1, 2, 3})
        QVERIFY(pending.add(entry(kSeriesA, u"open"_s, run)).ok());
    const ingest::PendingFlush flushed = pending.flush(journal);
    QCOMPARE(flushed.written.size(), 1);
    QCOMPARE(flushed.written.constFirst().runId, 1);
    QVERIFY(flushed.error);
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending.entries().at(0).runId, 2);
    QCOMPARE(pending.entries().at(1).runId, 3);
    QCOMPARE(failpoints.hits(u"journal.write"), 2); // the third was not attempted

    ErrorJournal healthy(*store);
    const ingest::PendingFlush rest = pending.flush(healthy);
    QVERIFY(!rest.error);
    QCOMPARE(rest.written.size(), 2);
    QCOMPARE(rowCount(*store), 3);
}

QTEST_GUILESS_MAIN(TestErrorJournal)
#include "tst_errorjournal.moc"
