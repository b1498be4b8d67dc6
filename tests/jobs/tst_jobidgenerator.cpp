// JOB-1..4: the job id layout, bursts, seeding and the clock-backwards rule.
#include "core/jobs/jobidgenerator.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::FixedClock;
using gapless::jobs::JobIdGenerator;

namespace {

constexpr qint64 kNow = 1718328600000; // 2024-06-14T01:30:00Z

} // namespace

class TestJobIdGenerator final : public QObject
{
    Q_OBJECT

private slots:
    void layoutMatchesJob1();
    void burstStaysStrictlyIncreasing();
    void newMillisecondResetsSeq();
    void seedContinuesAfterStoredId();
    void backwardsWithinToleranceWaits_data();
    void backwardsWithinToleranceWaits();
    void backwardsBeyondToleranceRefuses();
    void oneWarningPerEpisode();
    void seededFutureIdCountsAsBackwards();
};

void TestJobIdGenerator::layoutMatchesJob1()
{
    FixedClock clock(kNow);
    JobIdGenerator ids(clock, 513, 5);
    const auto id = ids.next();
    QVERIFY(id.ok());
    QCOMPARE(*id, ((kNow - 1704067200000) << 22) | (qint64(513) << 12));
    QVERIFY(*id > 0);
    QCOMPARE(JobIdGenerator::msOf(*id), kNow);
    QCOMPARE(JobIdGenerator::nodeOf(*id), 513);
    QCOMPARE(JobIdGenerator::seqOf(*id), 0);
    // JOB-1: the id outgrows a double's exact range, hence the string form on the wire.
    QVERIFY(*id > (qint64(1) << 53));
}

void TestJobIdGenerator::burstStaysStrictlyIncreasing()
{
    // JOB-3: more than 4096 ids in one ms; the generator waits for the next ms by itself.
    FixedClock clock(kNow);
    int waits = 0;
    JobIdGenerator ids(clock, 7, 5, [&](qint64 ms) {
        ++waits;
        clock.setNowMs(clock.nowMs() + ms);
    });
    qint64 last = 0;
    for (int i = 0; i < 10000; ++i) {
        const auto id = ids.next();
        QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().message));
        QVERIFY2(*id > last, qPrintable(u"id %1 after %2 at %3"_s.arg(*id).arg(last).arg(i)));
        QCOMPARE(JobIdGenerator::nodeOf(*id), 7);
        last = *id;
    }
    QCOMPARE(waits, 2); // 10000 ids = 4096 + 4096 + 1808
    QCOMPARE(JobIdGenerator::msOf(last), kNow + 2);
    QCOMPARE(JobIdGenerator::seqOf(last), 10000 - 2 * 4096 - 1);
}

void TestJobIdGenerator::newMillisecondResetsSeq()
{
    FixedClock clock(kNow);
    JobIdGenerator ids(clock, 0, 5);
    QCOMPARE(JobIdGenerator::seqOf(*ids.next()), 0);
    QCOMPARE(JobIdGenerator::seqOf(*ids.next()), 1);
    clock.setNowMs(kNow + 1);
    const auto id = ids.next();
    QCOMPARE(JobIdGenerator::seqOf(*id), 0);
    QCOMPARE(JobIdGenerator::msOf(*id), kNow + 1);
}

void TestJobIdGenerator::seedContinuesAfterStoredId()
{
    // JOB-4: last_ms (and seq) come from the node's largest stored id, so a restart in the
    // same millisecond cannot reissue it.
    FixedClock clock(kNow);
    JobIdGenerator first(clock, 3, 5);
    (void)first.next();
    const qint64 stored = *first.next();
    JobIdGenerator restarted(clock, 3, 5);
    restarted.seed(stored);
    const auto id = restarted.next();
    QVERIFY(id.ok());
    QCOMPARE(*id, stored + 1);
}

void TestJobIdGenerator::backwardsWithinToleranceWaits_data()
{
    QTest::addColumn<qint64>("stepBack");
    QTest::addColumn<int>("tolerance");
    QTest::addRow("1 ms, tolerance 5") << qint64(1) << 5;
    QTest::addRow("5 ms = tolerance 5") << qint64(5) << 5;
    QTest::addRow("1000 ms = tolerance 1000") << qint64(1000) << 1000;
}

void TestJobIdGenerator::backwardsWithinToleranceWaits()
{
    QFETCH(qint64, stepBack);
    QFETCH(int, tolerance);
    FixedClock clock(kNow);
    qint64 waited = 0;
    JobIdGenerator ids(clock, 1, tolerance, [&](qint64 ms) {
        waited += ms;
        clock.setNowMs(clock.nowMs() + ms);
    });
    const qint64 before = *ids.next();
    clock.setNowMs(kNow - stepBack);
    const auto after = ids.next();
    QVERIFY(after.ok());
    QVERIFY(*after > before);
    QVERIFY(waited >= stepBack);
    QVERIFY(!ids.clockBackwards());
    QCOMPARE(ids.episodes(), 0);
}

void TestJobIdGenerator::backwardsBeyondToleranceRefuses()
{
    FixedClock clock(kNow);
    JobIdGenerator ids(clock, 1, 5, [](qint64) { QFAIL("a step beyond the tolerance must not be waited out"); });
    const qint64 before = *ids.next();
    clock.setNowMs(kNow - 6);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 6 ms"_s));
    const auto refused = ids.next();
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, gapless::ErrorCode::Unavailable);
    QVERIFY2(refused.error().message.contains(u"clock moved backwards by 6 ms"_s),
             qPrintable(refused.error().message));
    QVERIFY(ids.clockBackwards());
    // Resumes by itself once now >= last_ms, still above every earlier id.
    clock.setNowMs(kNow);
    const auto resumed = ids.next();
    QVERIFY(resumed.ok());
    QVERIFY(*resumed > before);
    QVERIFY(!ids.clockBackwards());
}

void TestJobIdGenerator::oneWarningPerEpisode()
{
    FixedClock clock(kNow);
    JobIdGenerator ids(clock, 1, 5);
    (void)ids.next();
    clock.setNowMs(kNow - 100);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 100 ms"_s));
    QVERIFY(!ids.next().ok());
    QTest::failOnWarning(QRegularExpression(u"clock moved backwards"_s));
    clock.setNowMs(kNow - 50);
    const auto second = ids.next();
    QVERIFY(!second.ok());
    QVERIFY(second.error().message.contains(u"by 50 ms"_s));
    QCOMPARE(ids.episodes(), 1);
    clock.setNowMs(kNow + 1);
    QVERIFY(ids.next().ok());
    QCOMPARE(ids.episodes(), 1);
}

void TestJobIdGenerator::seededFutureIdCountsAsBackwards()
{
    // A stored id from a clock that ran ahead: the node refuses ids until it catches up.
    FixedClock clock(kNow);
    JobIdGenerator ahead(clock, 2, 5);
    clock.setNowMs(kNow + 60000);
    const qint64 stored = *ahead.next();
    clock.setNowMs(kNow);
    JobIdGenerator ids(clock, 2, 5);
    ids.seed(stored);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 60000 ms"_s));
    QVERIFY(!ids.next().ok());
    QCOMPARE(ids.episodes(), 1);
}

QTEST_GUILESS_MAIN(TestJobIdGenerator)
#include "tst_jobidgenerator.moc"
