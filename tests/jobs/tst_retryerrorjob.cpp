// The `retry_error` job through the protocol on a real core (ING-11, BF-23, IDEM-6/8/9, JOB-5),
// and the backfill job's runs tagged with its id (ING-2): journal rows made by real failures
// (the ingest.store failpoint), retried until resolved, and each bad id.
#include "core/ingest/journalentry.h"
#include "core/ingest/ingestwriter.h"
#include "tests/jobs/jobsession.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kNowMs = 1735689600000; // 2025-01-01Z
const QString kSeries = u"file:cn:000001.SH:1m"_s;
constexpr qint64 kT0 = 1718328600;
const QByteArray kRows = "time,open,high,low,close,volume\n1718328600,10,12,9,11,100\n"
                         "1718328660,11,13,10,12,100\n1718328720,12,13,11,12,100\n";

QString state(const QJsonObject &job)
{
    return job.value("state"_L1).toString();
}

} // namespace

class TestRetryErrorJob final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void ing11_batchRowRetriedThenResolved();
    void ing11_jobRowRunsTheFailedJobAgain();
    void ing11_refusedRows_data();
    void ing11_refusedRows();
    void bf23_fetchRowAndBackfillRunsCarryTheJobId();

private:
    [[nodiscard]] bool startCore(const QStringList &settings);
    /// An import of kRows that fails on its store step: the ids of its `store` and `job` rows.
    std::pair<qint64, qint64> failedImport();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<JobSession> m_s;
    QString m_file;
};

void TestRetryErrorJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(u"rows.csv"_s);
    QVERIFY(writeFile(m_file, kRows));
}

void TestRetryErrorJob::cleanup()
{
    m_s.reset();
    m_core.reset();
    m_dir.reset();
}

bool TestRetryErrorJob::startCore(const QStringList &settings)
{
    m_core = std::make_unique<TestCore>(kNowMs, settings);
    if (!m_core->start())
        return false;
    m_s = std::make_unique<JobSession>(*m_core);
    return m_s->open();
}

std::pair<qint64, qint64> TestRetryErrorJob::failedImport()
{
    const QJsonObject done = m_s->runJob(u"import"_s, {{u"file"_s, m_file}, {u"series_id"_s, kSeries}}, u"imp-1"_s);
    if (state(done) != "failed"_L1)
        return {0, 0};
    const QString jobId = done.value("job_id"_L1).toString();
    const QVariantList store = m_s->query(u"SELECT id FROM ingest_errors WHERE step = 'store' AND job_id = ?"_s,
                                          {jobId.toLongLong()});
    const QVariantList job = m_s->query(u"SELECT id FROM ingest_errors WHERE step = 'job' AND job_id = ?"_s,
                                        {jobId.toLongLong()});
    if (store.size() != 1 || job.size() != 1)
        return {0, 0};
    return {store.first().toLongLong(), job.first().toLongLong()};
}

void TestRetryErrorJob::ing11_batchRowRetriedThenResolved()
{
    QVERIFY(startCore({u"debug.enable_failpoints=true"_s, u"debug.failpoints=ingest.store=2"_s}));
    const auto [storeRow, jobRow] = failedImport();
    QVERIFY(storeRow > 0 && jobRow > 0);

    // The fault is still there: the row becomes `retried`, a new row carries retry_of, the job fails naming it.
    QJsonObject done = m_s->runJob(u"retry_error"_s, {{u"id"_s, double(storeRow)}}, u"r-1"_s);
    QCOMPARE(state(done), u"failed"_s);
    QCOMPARE(done.value("kind"_L1).toString(), u"retry_error"_s);
    QVERIFY2(JobSession::message(done).contains(u"ingest error %1: retry failed"_s.arg(storeRow)),
             qPrintable(JobSession::message(done)));
    QCOMPARE(m_s->query(u"SELECT status FROM ingest_errors WHERE id = ?"_s, {storeRow}), (QVariantList{u"retried"_s}));
    QCOMPARE(m_s->query(u"SELECT COUNT(*) FROM ingest_errors WHERE retry_of = ?"_s, {storeRow}).value(0).toInt(), 1);
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 0);

    // Fault cleared: resolved by the retry's run, in `gapless errors retry --json`'s shape plus job_id.
    done = m_s->runJob(u"retry_error"_s, {{u"id"_s, double(storeRow)}}, u"r-2"_s);
    QCOMPARE(state(done), u"succeeded"_s);
    const QJsonObject result = done.value("result"_L1).toObject();
    QStringList keys = result.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{u"id"_s, u"identical"_s, u"inserted"_s, u"job_id"_s, u"run_id"_s, u"series_id"_s,
                                u"status"_s, u"updated"_s}));
    QCOMPARE(result.value("id"_L1).toInteger(), storeRow);
    QCOMPARE(result.value("status"_L1).toString(), u"resolved"_s);
    QCOMPARE(result.value("inserted"_L1).toInteger(), 3);
    QCOMPARE(result.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(result.value("job_id"_L1).toString(), done.value("job_id"_L1).toString());
    QCOMPARE(m_s->query(u"SELECT status FROM ingest_errors WHERE id = ?"_s, {storeRow}), (QVariantList{u"resolved"_s}));
    QCOMPARE(m_s->query(u"SELECT resolved_by_run FROM ingest_errors WHERE id = ?"_s, {storeRow}).value(0).toLongLong(),
             result.value("run_id"_L1).toInteger());
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 3);

    // IDEM-6: replay, mismatch; then the resolved row is a conflict (IDEM-9: replayed as such).
    QJsonObject r = m_s->run(u"retry_error"_s, {{u"id"_s, double(storeRow)}}, u"r-2"_s);
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(JobSession::data(r).value("result"_L1).toObject(), result);
    QCOMPARE(JobSession::code(m_s->run(u"retry_error"_s, {{u"id"_s, double(jobRow)}}, u"r-2"_s)),
             u"idempotency_mismatch"_s);
    done = m_s->runJob(u"retry_error"_s, {{u"id"_s, double(storeRow)}}, u"r-3"_s);
    QCOMPARE(JobSession::code(done), u"conflict"_s);
    QVERIFY(JobSession::message(done).contains(u"already resolved"_s));
    r = m_s->run(u"retry_error"_s, {{u"id"_s, double(storeRow)}}, u"r-3"_s);
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(JobSession::code(r), u"conflict"_s);
}

void TestRetryErrorJob::ing11_jobRowRunsTheFailedJobAgain()
{
    QVERIFY(startCore({u"debug.enable_failpoints=true"_s, u"debug.failpoints=ingest.store=1"_s}));
    const auto [storeRow, jobRow] = failedImport();
    QVERIFY(jobRow > 0);
    const QJsonObject done = m_s->runJob(u"retry_error"_s, {{u"id"_s, double(jobRow)}}, u"rj-1"_s);
    QCOMPARE(state(done), u"succeeded"_s);
    const QJsonObject result = done.value("result"_L1).toObject();
    QCOMPARE(result.value("id"_L1).toInteger(), jobRow);
    QCOMPARE(result.value("status"_L1).toString(), u"resolved"_s);
    QCOMPARE(result.value("kind"_L1).toString(), u"import"_s);
    QCOMPARE(result.value("result"_L1).toObject().value("inserted"_L1).toInteger(), 3);
    // A new job of the failed job's kind and args, under a key of the retry's own.
    const qint64 again = result.value("retry_job_id"_L1).toString().toLongLong();
    QCOMPARE(m_s->query(u"SELECT kind FROM jobs WHERE job_id = ?"_s, {again}), (QVariantList{u"import"_s}));
    QCOMPARE(m_s->query(u"SELECT idempotency_key FROM jobs WHERE job_id = ?"_s, {again}),
             (QVariantList{QString(u"retry_error:"_s + done.value("job_id"_L1).toString())}));
    QCOMPARE(m_s->query(u"SELECT status FROM ingest_errors WHERE id = ?"_s, {jobRow}), (QVariantList{u"resolved"_s}));
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 3);
    // The run's own row is untouched: only the job row was retried.
    QCOMPARE(m_s->query(u"SELECT status FROM ingest_errors WHERE id = ?"_s, {storeRow}), (QVariantList{u"open"_s}));
}

void TestRetryErrorJob::ing11_refusedRows_data()
{
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("expected");
    QTest::addRow("missing id") << QJsonValue() << u"bad_request"_s << u"id: got"_s;
    QTest::addRow("id not a number") << QJsonValue(u"abc"_s) << u"bad_request"_s << u"id: got \"abc\""_s;
    QTest::addRow("id not whole") << QJsonValue(1.5) << u"bad_request"_s << u"id: got 1.5"_s;
    QTest::addRow("id not positive") << QJsonValue(0) << u"bad_request"_s << u"id: got 0"_s;
    QTest::addRow("unknown id") << QJsonValue(999999) << u"not_found"_s << u"ingest error 999999: not found"_s;
    QTest::addRow("validate row") << QJsonValue(-1) << u"bad_request"_s << u"rejected rows cannot be retried"_s;
}

void TestRetryErrorJob::ing11_refusedRows()
{
    QFETCH(QJsonValue, id);
    QFETCH(QString, code);
    QFETCH(QString, expected);
    QVERIFY(startCore({}));
    if (id.toInteger() == -1) { // a real ING-4 row: high below low
        const SeriesId series = *SeriesId::parse(kSeries);
        (void)m_core->ingest(series, {Candle{kT0, 10, 9, 12, 11, 1}});
        const QVariantList rows = m_s->query(u"SELECT id FROM ingest_errors WHERE step = 'validate'"_s);
        QCOMPARE(rows.size(), 1);
        id = double(rows.first().toLongLong());
    }
    QJsonObject args;
    if (!id.isUndefined() && !id.isNull())
        args.insert(u"id"_s, id);
    const QJsonObject done = m_s->runJob(u"retry_error"_s, args, u"bad-1"_s);
    QCOMPARE(state(done), u"failed"_s);
    QCOMPARE(JobSession::code(done), code);
    QVERIFY2(JobSession::message(done).contains(expected), qPrintable(JobSession::message(done)));
    const QJsonObject replay = m_s->run(u"retry_error"_s, args, u"bad-1"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QCOMPARE(JobSession::code(replay), code);
}

void TestRetryErrorJob::bf23_fetchRowAndBackfillRunsCarryTheJobId()
{
    // The series' file (SRC-13) serves the backfill; its first run fails on the store step.
    QVERIFY(writeFile(m_dir->filePath(u"000001_SH-1m.csv"_s), kRows));
    QVERIFY(startCore({u"debug.enable_failpoints=true"_s, u"debug.failpoints=ingest.store=1"_s,
                       u"source.file_dirs="_s + m_dir->path()}));
    const QJsonObject backfilled = m_s->runJob(
        u"backfill"_s, {{u"series_id"_s, kSeries}, {u"from"_s, double(kT0)}, {u"to"_s, double(kT0 + 120)}}, u"bf-1"_s);
    QCOMPARE(state(backfilled), u"succeeded"_s);
    QCOMPARE(backfilled.value("result"_L1).toObject().value("still_missing"_L1).toInteger(), 3);
    // ING-2: the failed run's journal row names the backfill job.
    const qint64 backfillId = backfilled.value("job_id"_L1).toString().toLongLong();
    QCOMPARE(m_s->query(u"SELECT source FROM ingest_errors WHERE step = 'store' AND job_id = ?"_s, {backfillId}),
             (QVariantList{u"backfill"_s}));

    // BF-23: a `fetch` row over the range is backfilled again and resolved.
    m_core->core().writer()->journal(ingest::fetchFailureEntry(kNowMs, u"backfill"_s, kSeries,
                                                               u"test: source down"_s, kT0, kT0 + 120));
    QTRY_COMPARE(m_s->query(u"SELECT COUNT(*) FROM ingest_errors WHERE step = 'fetch'"_s).value(0).toInt(), 1);
    const qint64 fetchRow = m_s->query(u"SELECT id FROM ingest_errors WHERE step = 'fetch'"_s).value(0).toLongLong();
    const QJsonObject done = m_s->runJob(u"retry_error"_s, {{u"id"_s, double(fetchRow)}}, u"rf-1"_s);
    QCOMPARE(state(done), u"succeeded"_s);
    const QJsonObject result = done.value("result"_L1).toObject();
    QCOMPARE(result.value("id"_L1).toInteger(), fetchRow);
    QCOMPARE(result.value("status"_L1).toString(), u"resolved"_s);
    QCOMPARE(result.value("job_id"_L1).toString(), done.value("job_id"_L1).toString());
    QCOMPARE(result.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(result.value("from"_L1).toInteger(), kT0);
    QCOMPARE(result.value("to"_L1).toInteger(), kT0 + 120);
    QCOMPARE(result.value("filled"_L1).toInteger(), 3);
    QCOMPARE(result.value("still_missing"_L1).toInteger(), 0);
    QVERIFY(result.contains("run_id"_L1) && result.contains("duration_ms"_L1) && result.contains("requests"_L1));
    QCOMPARE(m_s->query(u"SELECT status FROM ingest_errors WHERE id = ?"_s, {fetchRow}), (QVariantList{u"resolved"_s}));
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 3);
}

QTEST_GUILESS_MAIN(TestRetryErrorJob)
#include "tst_retryerrorjob.moc"
