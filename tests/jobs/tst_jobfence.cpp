// JOB-7 in the data path: each batch a job submits checks the job's row (running, this
// attempt) inside the batch's own store transaction. When another owner has taken the row
// while the batch waited in the writer's queue, the transaction rolls back, nothing of the
// batch is written or journalled, and the job ends fenced. SQLite and PostgreSQL.
#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "tests/jobs/jobrig.h"
#include "tests/support/testcore.h"
#include "tests/support/testdatabase.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using jobs::JobScheduler;
using test::JobRig;

namespace {

constexpr qint64 kNow = 1718328600000;
constexpr qint64 kT0 = 1718323200;
const QString kA = u"binance:spot:BTCUSDT:1m"_s;

JobsSettings oneWorker()
{
    JobsSettings s;
    s.workers = 1;
    return s;
}

} // namespace

class TestJobFence final : public QObject
{
    Q_OBJECT

private slots:
    void queuedBatchOfATakenJobWritesNothing_data();
    void queuedBatchOfATakenJobWritesNothing();
    void runWithAStaleFenceWritesNothing_data();
    void runWithAStaleFenceWritesNothing();
};

void TestJobFence::queuedBatchOfATakenJobWritesNothing_data()
{
    QTest::addColumn<QString>("takeOver");
    QTest::addColumn<QString>("state");
    QTest::addColumn<qint64>("attempts");
    QTest::addRow("re-run elsewhere (attempts + 1)")
        << u"UPDATE jobs SET attempts = attempts + 1 WHERE job_id = %1"_s << u"running"_s << qint64(2);
    QTest::addRow("reaped as a zombie")
        << u"UPDATE jobs SET state = 'failed', error_code = 'internal', error_message = 'zombie: no heartbeat' "
           u"WHERE job_id = %1"_s
        << u"failed"_s << qint64(1);
    QTest::addRow("cancelled and finished elsewhere")
        << u"UPDATE jobs SET state = 'cancelled' WHERE job_id = %1"_s << u"cancelled"_s << qint64(1);
}

void TestJobFence::queuedBatchOfATakenJobWritesNothing()
{
    QFETCH(QString, takeOver);
    QFETCH(QString, state);
    QFETCH(qint64, attempts);
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(oneWorker()));
    qint64 id = 0;
    QVERIFY(rig.accept(u"fence"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    jobs::JobContext *ctx = rig.handler().live.at(id);
    const SeriesId series = *SeriesId::parse(kA);

    // While the job owns its row, its batch commits.
    ingest::IngestRun first;
    first.add(series, test::syntheticCandles(kT0, 3));
    std::optional<ingest::RunReport> firstReport;
    ctx->submit(first, [&](const ingest::RunReport &r) { firstReport = r; });
    QTRY_VERIFY(firstReport.has_value());
    QVERIFY(firstReport->ok());
    QCOMPARE(firstReport->series.first().inserted, 3);

    // The next batch waits behind a busy writer while another owner takes the row.
    QSemaphore gate;
    rig.writer()->post([&gate](store::CandleStore *) { gate.acquire(); });
    ingest::IngestRun second;
    second.add(series, test::syntheticCandles(kT0 + 180, 5));
    bool secondReported = false;
    ctx->submit(second, [&](const ingest::RunReport &) { secondReported = true; });
    const QString error = test::execElsewhere(rig.storeUrl(), takeOver.arg(id));
    gate.release();
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QSignalSpy ended(&rig.scheduler(), &JobScheduler::jobEnded);
    QVERIFY(ended.wait(20000));
    QCOMPARE(ended.first().at(0).toLongLong(), id);
    QCOMPARE(ended.first().at(1).toString(), QString()); // fenced: no terminal state of ours
    QVERIFY(!secondReported);
    QVERIFY(!rig.handler().live.contains(id));

    // Zero rows of the batch: no candle, no revision, no journal row; the row as the other owner left it.
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM candles WHERE series_id = '%1'"_s.arg(kA)).value(0).toInt(), 3);
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM candles WHERE candle_time >= %1"_s.arg(kT0 + 180)).value(0).toInt(), 0);
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM candle_revisions"_s).value(0).toInt(), 0);
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM ingest_errors"_s).value(0).toInt(), 0);
    const auto row = rig.job(id);
    QCOMPARE(row->state, state);
    QCOMPARE(row->attempts, attempts);
    QVERIFY(row->resultJson.isEmpty());
}

void TestJobFence::runWithAStaleFenceWritesNothing_data()
{
    QTest::addColumn<qint64>("fenceAttempts");
    QTest::addColumn<bool>("unknownJob");
    QTest::addColumn<bool>("written");
    QTest::addRow("own attempt") << qint64(1) << false << true;
    QTest::addRow("older attempt") << qint64(0) << false << false;
    QTest::addRow("newer attempt") << qint64(2) << false << false;
    QTest::addRow("no such job") << qint64(1) << true << false;
}

void TestJobFence::runWithAStaleFenceWritesNothing()
{
    // The pipeline's own check, one run straight to the writer: each fence that does not
    // match the running row keeps the series' transaction from committing.
    QFETCH(qint64, fenceAttempts);
    QFETCH(bool, unknownJob);
    QFETCH(bool, written);
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(oneWorker()));
    qint64 id = 0;
    QVERIFY(rig.accept(u"pipe"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    rig.drain();
    QCOMPARE(rig.job(id)->attempts, 1);

    const qint64 fencedId = unknownJob ? id + 1 : id;
    ingest::IngestRun run;
    run.runId = 77;
    run.jobId = fencedId;
    run.fence = ingest::JobFence{fencedId, fenceAttempts};
    run.add(*SeriesId::parse(kA), test::syntheticCandles(kT0, 4));
    QSignalSpy finished(rig.writer(), &ingest::IngestWriter::runFinished);
    rig.writer()->submit(run);
    QTRY_COMPARE(finished.size(), 1);
    const auto report = finished.first().first().value<ingest::RunReport>();
    const ingest::SeriesOutcome &out = report.series.first();
    QCOMPARE(out.ok, written);
    QCOMPARE(out.fenced, !written);
    QCOMPARE(out.inserted, written ? 4 : 0);
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM candles"_s).value(0).toInt(), written ? 4 : 0);
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM ingest_errors"_s).value(0).toInt(), 0);
    if (!written) {
        QCOMPARE(out.error->code, ErrorCode::Conflict);
        const QString expected = u"job %1: fenced, its row is no longer running at attempt %2"_s
                                     .arg(QString::number(fencedId))
                                     .arg(fenceAttempts);
        QVERIFY2(out.error->message.startsWith(expected), qPrintable(out.error->message));
    }
    const auto row = rig.job(id);
    QCOMPARE(row->state, u"running"_s);
    QCOMPARE(row->attempts, 1);
}

QTEST_GUILESS_MAIN(TestJobFence)
#include "tst_jobfence.moc"
