// The job scheduler (JOB-5..11, IDEM-7/9/12/13) on SQLite and PostgreSQL, with a test handler:
// limits, FIFO, cancel, fencing, zombies, delayed retry and the final transaction.
#include "core/jobs/jobscheduler.h"
#include "tests/jobs/jobrig.h"
#include "tests/support/testcore.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using jobs::Checkpoint;
using jobs::JobScheduler;
using test::JobRig;

namespace {

constexpr qint64 kNow = 1718328600000;
const QString kA = u"binance:spot:BTCUSDT:1m"_s;
const QString kB = u"binance:spot:ETHUSDT:1m"_s;
const QString kC = u"binance:spot:SOLUSDT:1m"_s;

JobsSettings settings(int workers = 2, int maxAttempts = 6)
{
    JobsSettings s;
    s.workers = workers;
    s.maxAttempts = maxAttempts;
    s.retryBaseMs = 2000;
    s.retryCapMs = 300000;
    return s;
}

} // namespace

class TestJobScheduler final : public QObject
{
    Q_OBJECT

private slots:
    void workersAndSeriesLimitsFifo();
    void cancelQueuedAndRunning();
    void cancelAnswers();
    void fencedJobStopsWriting();
    void zombiesAtStartupAndBySweep();
    void retryDelayBounds_data();
    void retryDelayBounds();
    void deferredJobRetriesThenFails();
    void successCompletesKeyInTheSameTransaction();
    void systemErrorReleasesKeyAndJournals();
    void progressEventsAreThrottled();
    void submittedRunsCarryTheJobId();
    void clockBackwardsRefusesJobs();
};

void TestJobScheduler::workersAndSeriesLimitsFifo()
{
    // JOB-9: ≤ workers at once, ≤ 1 writer job per series, FIFO by job_id.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(2)));
    qint64 a1 = 0, a2 = 0, b = 0, c = 0;
    QVERIFY(rig.accept(u"a1"_s, kA, &a1)->execute);
    QVERIFY(rig.accept(u"a2"_s, kA, &a2)->execute);
    QVERIFY(rig.accept(u"b"_s, kB, &b)->execute);
    QVERIFY(rig.accept(u"c"_s, kC, &c)->execute);
    QVERIFY(a1 < a2 && a2 < b && b < c);
    auto &h = rig.handler();
    QTRY_COMPARE(h.started, QList<qint64>({a1, b}));
    rig.drain();
    QCOMPARE(rig.scheduler().runningCount(), 2);
    QCOMPARE(rig.job(a2)->state, u"queued"_s);
    QCOMPARE(rig.job(c)->state, u"queued"_s);
    h.live.at(a1)->succeed(QJsonObject());
    QTRY_COMPARE(h.started, QList<qint64>({a1, b, a2}));
    h.live.at(b)->succeed(QJsonObject());
    QTRY_COMPARE(h.started, QList<qint64>({a1, b, a2, c}));
    QCOMPARE(rig.job(a1)->state, u"succeeded"_s);
    QCOMPARE(rig.job(a2)->state, u"running"_s);
    QCOMPARE(rig.job(a2)->attempts, 1);
}

void TestJobScheduler::cancelQueuedAndRunning()
{
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    qint64 running = 0, queued = 0;
    QVERIFY(rig.accept(u"run"_s, kA, &running)->execute);
    QVERIFY(rig.accept(u"wait"_s, kB, &queued)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);

    // JOB-10: queued → cancelled at once, key failed "cancelled".
    std::optional<Result<jobs::JobRow>> answer;
    rig.scheduler().cancel(queued, [&](const Result<jobs::JobRow> &r) { answer = r; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE((*answer)->state, u"cancelled"_s);
    QCOMPARE(rig.job(queued)->state, u"cancelled"_s);
    QCOMPARE(rig.key(u"wait"_s)->state, u"failed"_s);
    QCOMPARE(rig.key(u"wait"_s)->errorCode, u"conflict"_s);
    const auto replay = rig.accept(u"wait"_s, kB);
    QVERIFY(replay->replayed);
    QCOMPARE(replay->answer.error(), Error::conflict(u"cancelled"_s));

    // Running: stops at the next batch boundary.
    jobs::JobContext *ctx = rig.handler().live.at(running);
    QCOMPARE(ctx->checkpoint(), Checkpoint::Continue);
    answer.reset();
    rig.scheduler().cancel(running, [&](const Result<jobs::JobRow> &r) { answer = r; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE((*answer)->state, u"running"_s);
    QVERIFY((*answer)->cancelRequested);
    QCOMPARE(ctx->checkpoint(), Checkpoint::Cancelled);
    QSignalSpy ended(&rig.scheduler(), &JobScheduler::jobEnded);
    ctx->stop();
    QVERIFY(ended.wait());
    QCOMPARE(ended.first().at(1).toString(), u"cancelled"_s);
    const auto row = rig.job(running);
    QCOMPARE(row->state, u"cancelled"_s);
    QCOMPARE(row->errorMessage, u"cancelled"_s);
    QCOMPARE(rig.key(u"run"_s)->state, u"failed"_s);
}

void TestJobScheduler::cancelAnswers()
{
    // JOB-10: re-cancel → ok; succeeded → conflict; unknown → not_found.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    qint64 done = 0, other = 0;
    QVERIFY(rig.accept(u"done"_s, kA, &done)->execute);
    QVERIFY(rig.accept(u"other"_s, kB, &other)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    rig.scheduler().cancel(other, [](const Result<jobs::JobRow> &) {});
    QTRY_VERIFY(rig.job(other)->isTerminal());
    rig.handler().live.at(done)->succeed(QJsonObject());
    QTRY_COMPARE(rig.job(done)->state, u"succeeded"_s);
    auto cancel = [&](qint64 id) {
        std::optional<Result<jobs::JobRow>> answer;
        rig.scheduler().cancel(id, [&](const Result<jobs::JobRow> &r) { answer = r; });
        (void)QTest::qWaitFor([&] { return answer.has_value(); }, 20000);
        return *answer;
    };
    const auto again = cancel(other);
    QVERIFY(again.ok());
    const auto finished = cancel(done);
    QCOMPARE(finished.error().code, ErrorCode::Conflict);
    QVERIFY2(finished.error().message.contains(u"already succeeded"_s), qPrintable(finished.error().message));
    const auto unknown = cancel(12345);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY(unknown.error().message.contains(u"12345"_s));
}

void TestJobScheduler::fencedJobStopsWriting()
{
    // JOB-7: the heartbeat matches 0 rows once another run owns the job.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    qint64 id = 0;
    QVERIFY(rig.accept(u"fence"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    jobs::JobContext *ctx = rig.handler().live.at(id);
    rig.scheduler().beat();
    rig.drain();
    QCOMPARE(ctx->checkpoint(), Checkpoint::Continue);
    (void)rig.query(u"UPDATE jobs SET attempts = attempts + 1 WHERE job_id = %1"_s.arg(id));
    rig.scheduler().beat();
    QTRY_COMPARE(ctx->checkpoint(), Checkpoint::Fenced);
    QSignalSpy ended(&rig.scheduler(), &JobScheduler::jobEnded);
    ctx->succeed(QJsonObject{{u"late"_s, true}}); // a fenced job's end writes nothing
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(ended.first().at(1).toString(), QString());
    const auto row = rig.job(id);
    QCOMPARE(row->state, u"running"_s);
    QCOMPARE(row->attempts, 2);
    QVERIFY(row->resultJson.isEmpty());
    QCOMPARE(rig.key(u"fence"_s)->state, u"in_progress"_s);
}

void TestJobScheduler::zombiesAtStartupAndBySweep()
{
    // JOB-8: at startup this node's running jobs are zombies at once; later, by heartbeat age.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(2)));
    qint64 id = 0;
    QVERIFY(rig.accept(u"crash"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    rig.drain();
    rig.clock().setNowMs(kNow + 1000);
    QVERIFY(rig.startScheduler(settings(2))); // the old scheduler is gone, as after a kill
    const auto row = rig.job(id);
    QCOMPARE(row->state, u"failed"_s);
    QCOMPARE(row->errorCode, u"internal"_s);
    QCOMPARE(row->errorMessage, u"zombie: no heartbeat since 2024-06-14T01:30:00.000Z"_s);
    QVERIFY(!rig.key(u"crash"_s).has_value()); // released: the same key may run again
    const QVariantList journal =
        rig.query(u"SELECT message FROM ingest_errors WHERE step = 'job' AND job_id = %1"_s.arg(id));
    QCOMPARE(journal.size(), 1);
    QVERIFY2(journal.first().toString().contains(u"key crash"_s), qPrintable(journal.first().toString()));
    QCOMPARE(rig.handler().started.size(), 0);
    QVERIFY(rig.accept(u"crash"_s, kA)->execute);

    // Another node's job whose heartbeat stopped: reaped by the sweep after zombie_timeout_s.
    (void)rig.query(u"UPDATE jobs SET node_id = 7, state = 'running', heartbeat_at_ms = %1 WHERE job_id = %2"_s
                        .arg(kNow + 1000)
                        .arg(id));
    rig.clock().setNowMs(kNow + 1000 + 30000);
    rig.scheduler().beat();
    rig.drain();
    QCOMPARE(rig.job(id)->state, u"running"_s);
    rig.clock().setNowMs(kNow + 1000 + 30001);
    rig.scheduler().beat();
    QTRY_COMPARE(rig.job(id)->state, u"failed"_s);
}

void TestJobScheduler::retryDelayBounds_data()
{
    QTest::addColumn<qint64>("attempts");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expected");
    QTest::addRow("first, no jitter") << qint64(1) << 0.0 << qint64(2000);
    QTest::addRow("third, no jitter") << qint64(3) << 0.0 << qint64(8000);
    QTest::addRow("third, half jitter") << qint64(3) << 0.5 << qint64(8800);
    QTest::addRow("capped") << qint64(20) << 0.0 << qint64(300000);
    QTest::addRow("capped, top jitter") << qint64(20) << 0.999999 << qint64(359999);
    QTest::addRow("random 1 stays below 1.2") << qint64(1) << 1.0 << qint64(2399);
}

void TestJobScheduler::retryDelayBounds()
{
    // IDEM-13: min(cap, base·2^(attempts−1))·(1+j), j ∈ [0, 0.2).
    QFETCH(qint64, attempts);
    QFETCH(double, random);
    QFETCH(qint64, expected);
    QCOMPARE(JobScheduler::retryDelayMs(attempts, 2000, 300000, random), expected);
}

void TestJobScheduler::deferredJobRetriesThenFails()
{
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1, 2)));
    rig.random = 0.5;
    qint64 id = 0;
    QVERIFY(rig.accept(u"retry"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    rig.handler().live.at(id)->defer(Error::unavailable(u"exchange: HTTP 503"_s));
    QTRY_COMPARE(rig.job(id)->state, u"queued"_s);
    auto row = rig.job(id);
    QCOMPARE(row->nextAttemptAtMs, std::optional<qint64>(kNow + 2200));
    QCOMPARE(row->attempts, 1);
    QCOMPARE(rig.key(u"retry"_s)->state, u"in_progress"_s);
    rig.scheduler().schedule();
    rig.drain();
    QCOMPARE(rig.handler().started.size(), 1); // not due yet
    rig.clock().setNowMs(kNow + 2200);
    rig.scheduler().schedule();
    QTRY_COMPARE(rig.handler().started.size(), 2);
    QCOMPARE(rig.job(id)->attempts, 2);
    // jobs.max_attempts = 2: the next defer fails with the last error, a system error.
    rig.handler().live.at(id)->defer(Error::unavailable(u"exchange: HTTP 503"_s));
    QTRY_COMPARE(rig.job(id)->state, u"failed"_s);
    QCOMPARE(rig.job(id)->errorCode, u"unavailable"_s);
    QVERIFY(!rig.key(u"retry"_s).has_value());
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM ingest_errors WHERE step = 'job'"_s).value(0).toInt(), 1);
}

void TestJobScheduler::successCompletesKeyInTheSameTransaction()
{
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    qint64 id = 0;
    const auto first = rig.accept(u"ok"_s, kA, &id);
    QVERIFY(first->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    rig.handler().live.at(id)->progress(5, 10, u"candles"_s, u"fetch"_s);
    rig.handler().live.at(id)->succeed(QJsonObject{{u"inserted"_s, 5}});
    QTRY_COMPARE(rig.job(id)->state, u"succeeded"_s);
    const auto row = rig.job(id);
    QCOMPARE(row->resultJson, QByteArray(R"({"inserted":5})"));
    QCOMPARE(row->progressDone, 5);
    const auto key = rig.key(u"ok"_s);
    QCOMPARE(key->state, u"succeeded"_s);
    const QByteArray expected = R"({"job_id":")" + QByteArray::number(id) + R"(","result":{"inserted":5},"state":"succeeded"})";
    QCOMPARE(key->resultJson, expected);
    const auto replay = rig.accept(u"ok"_s, kA);
    QVERIFY(replay->replayed && replay->answer.ok());
    QCOMPARE(replay->answer->toObject().value("job_id"_L1).toString(), QString::number(id));
    QCOMPARE(rig.query(u"SELECT COUNT(*) FROM jobs"_s).value(0).toInt(), 1);
}

void TestJobScheduler::systemErrorReleasesKeyAndJournals()
{
    // IDEM-9: a business error keeps the key failed; a system error releases it, journaled.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(2)));
    qint64 biz = 0, sys = 0;
    QVERIFY(rig.accept(u"biz"_s, kA, &biz)->execute);
    QVERIFY(rig.accept(u"sys"_s, kB, &sys)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 2);
    rig.handler().live.at(biz)->fail(Error::notFound(u"series 'x': unknown"_s));
    rig.handler().live.at(sys)->fail(Error::internal(u"disk full"_s));
    QTRY_COMPARE(rig.job(sys)->state, u"failed"_s);
    QTRY_COMPARE(rig.job(biz)->state, u"failed"_s);
    QCOMPARE(rig.key(u"biz"_s)->errorCode, u"not_found"_s);
    QVERIFY(!rig.key(u"sys"_s).has_value());
    const QVariantList journal = rig.query(u"SELECT job_id FROM ingest_errors WHERE step = 'job'"_s);
    QCOMPARE(journal.size(), 1);
    QCOMPARE(journal.first().toLongLong(), sys);
}

void TestJobScheduler::progressEventsAreThrottled()
{
    // JOB-11: progress ≤ 4/s per job; the final state always.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    QSignalSpy events(&rig.scheduler(), &JobScheduler::jobChanged);
    qint64 id = 0;
    QVERIFY(rig.accept(u"p"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    const int before = int(events.size()); // queued, running
    QCOMPARE(before, 2);
    jobs::JobContext *ctx = rig.handler().live.at(id);
    for (int i = 1; i <= 100; ++i)
        ctx->progress(i, 100, u"rows"_s);
    QTRY_COMPARE(events.size(), before + 1); // coalesced into one, after the 250 ms window
    QCOMPARE(events.last().first().toJsonObject().value("progress"_L1).toObject().value("done"_L1).toInt(), 100);
    rig.clock().setNowMs(kNow + 250);
    ctx->progress(101, 200, u"rows"_s);
    QCOMPARE(events.size(), before + 2);
    ctx->succeed(QJsonObject());
    QTRY_COMPARE(events.size(), before + 3);
    QCOMPARE(events.last().first().toJsonObject().value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(events.last().first().toJsonObject().value("job_id"_L1).toString(), QString::number(id));
}

void TestJobScheduler::submittedRunsCarryTheJobId()
{
    // Writes go through the ingest pipeline tagged with the job: revisions name it.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    const SeriesId series = *SeriesId::parse(kA);
    CandleList candles = test::syntheticCandles(1718323200, 3);
    ingest::IngestRun seed;
    seed.runId = 1;
    seed.add(series, candles);
    QSignalSpy finished(rig.writer(), &ingest::IngestWriter::runFinished);
    rig.writer()->submit(seed);
    QTRY_COMPARE(finished.size(), 1);
    qint64 id = 0;
    QVERIFY(rig.accept(u"w"_s, kA, &id)->execute);
    QTRY_COMPARE(rig.handler().started.size(), 1);
    candles[1].close += 1;
    ingest::IngestRun run;
    run.add(series, candles);
    std::optional<ingest::RunReport> report;
    rig.handler().live.at(id)->submit(run, [&](const ingest::RunReport &r) { report = r; });
    QTRY_VERIFY(report.has_value());
    QVERIFY(report->ok());
    QCOMPARE(report->series.first().updated, 1);
    const QVariantList revisions = rig.query(u"SELECT job_id FROM candle_revisions"_s);
    QCOMPARE(revisions.size(), 1);
    QCOMPARE(revisions.first().toLongLong(), id);
}

void TestJobScheduler::clockBackwardsRefusesJobs()
{
    // JOB-4: no id, `unavailable`, nothing recorded; the health flag follows the episode.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler(settings(1)));
    QSignalSpy backwards(&rig.scheduler(), &JobScheduler::clockBackwardsChanged);
    QVERIFY(rig.accept(u"before"_s, kA)->execute);
    rig.clock().setNowMs(kNow - 1000);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 1000 ms"_s));
    const auto refused = rig.accept(u"during"_s, kB);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);
    QVERIFY(refused.error().message.contains(u"clock moved backwards by 1000 ms"_s));
    QCOMPARE(backwards.size(), 1);
    QCOMPARE(backwards.last().first().toBool(), true);
    QVERIFY(!rig.key(u"during"_s).has_value());
    rig.clock().setNowMs(kNow + 1);
    QVERIFY(rig.accept(u"after"_s, kB)->execute);
    QCOMPARE(backwards.size(), 2);
    QCOMPARE(backwards.last().first().toBool(), false);
}

QTEST_GUILESS_MAIN(TestJobScheduler)
#include "tst_jobscheduler.moc"
