// JOB-4 → HLT-3: while the job id clock is behind the last job id beyond
// runtime.clock_backwards_tolerance_ms, a live series at lag 0 is yellow `clock_backwards` in
// its health frames and in the `health` command (HLT-5/6); it clears by itself once the clock
// has caught up, without a job request. The clock is injected and goes back.
#include "core/backfill/healthmonitor.h"
#include "core/jobs/jobscheduler.h"
#include "core/runtime/healthanswer.h"
#include "tests/jobs/jobrig.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using jobs::JobScheduler;
using test::JobRig;

namespace {

constexpr qint64 kNow = 1718328600000; // on a minute
const SeriesId kSeries = *SeriesId::parse(u"binance:spot:BTCUSDT:1m"_s);

QString lampOf(const QSignalSpy &spy)
{
    if (spy.isEmpty())
        return {};
    const QJsonObject f = spy.last().at(1).toJsonObject();
    return f.value("lamp"_L1).toString() + u'/' + f.value("reason"_L1).toString();
}

QString answeredLamp(const backfill::HealthMonitor &monitor, qint64 nowS)
{
    const auto answer = healthAnswer(monitor, {{u"series_id"_s, kSeries.toString()}}, nowS, {});
    if (!answer)
        return answer.error().message;
    const QJsonObject s = answer->toObject().value("series"_L1).toArray().first().toObject();
    return s.value("lamp"_L1).toString() + u'/' + s.value("reason"_L1).toString();
}

} // namespace

class TestClockHealth final : public QObject
{
    Q_OBJECT

private slots:
    void clockBackwardsWhileTheEpisodeLasts();
    void withinToleranceIsNoEpisode();
    void lastIdAheadAtStartup();
};

void TestClockHealth::clockBackwardsWhileTheEpisodeLasts()
{
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler());
    backfill::HealthMonitor monitor(rig.clock(), HealthSettings{}, nullptr);
    followJobClock(rig.scheduler(), monitor);
    QSignalSpy frames(&monitor, &backfill::HealthMonitor::healthChanged);
    monitor.track(kSeries, kNow / 1000 - 60); // the newest closed bar: lag 0
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(lampOf(frames), u"green/fresh"_s);
    QVERIFY(rig.accept(u"first"_s, kSeries.toString())->execute); // last_ms = now

    // One second back: no request needed, the scheduler's watch sees it.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 1000 ms"_s));
    rig.clock().setNowMs(kNow - 1000);
    QTRY_COMPARE(lampOf(frames), u"yellow/clock_backwards"_s);
    QCOMPARE(answeredLamp(monitor, (kNow - 1000) / 1000), u"yellow/clock_backwards"_s);
    const auto refused = rig.accept(u"during"_s, kSeries.toString());
    QCOMPARE(refused.error().code, ErrorCode::Unavailable);
    QCOMPARE(lampOf(frames), u"yellow/clock_backwards"_s);

    // Caught up: fresh again by itself.
    rig.clock().setNowMs(kNow + 1);
    QTRY_COMPARE(lampOf(frames), u"green/fresh"_s);
    QCOMPARE(answeredLamp(monitor, kNow / 1000), u"green/fresh"_s);
    QVERIFY(!rig.scheduler().clockBackwards());
}

void TestClockHealth::withinToleranceIsNoEpisode()
{
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler());
    QSignalSpy changed(&rig.scheduler(), &JobScheduler::clockBackwardsChanged);
    QVERIFY(rig.accept(u"first"_s, kSeries.toString())->execute);
    rig.clock().setNowMs(kNow - 5); // = runtime.clock_backwards_tolerance_ms: ids wait instead
    rig.scheduler().checkClock();
    QCOMPARE(changed.size(), 0);
    rig.clock().setNowMs(kNow - 6);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"clock moved backwards by 6 ms"_s));
    QCOMPARE(rig.accept(u"second"_s, kSeries.toString()).error().code, ErrorCode::Unavailable);
    QCOMPARE(changed.size(), 1);
    QVERIFY(rig.scheduler().clockBackwards());
}

void TestClockHealth::lastIdAheadAtStartup()
{
    // last_ms is seeded from the stored ids: a node restarted on a clock behind them shows
    // clock_backwards from the start.
    JobRig rig(kNow);
    QVERIFY2(rig.open(), qPrintable(rig.error()));
    QVERIFY(rig.startScheduler());
    QVERIFY(rig.accept(u"before"_s, kSeries.toString())->execute);
    rig.clock().setNowMs(kNow - 60000);
    QVERIFY(rig.startScheduler());
    QVERIFY(rig.scheduler().clockBackwards());
    backfill::HealthMonitor monitor(rig.clock(), HealthSettings{}, nullptr);
    followJobClock(rig.scheduler(), monitor);
    monitor.track(kSeries, (kNow - 60000) / 1000 - 60);
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(answeredLamp(monitor, (kNow - 60000) / 1000), u"yellow/clock_backwards"_s);
    QSignalSpy frames(&monitor, &backfill::HealthMonitor::healthChanged);
    rig.clock().setNowMs(kNow);
    QTRY_COMPARE(lampOf(frames), u"green/fresh"_s);
}

QTEST_GUILESS_MAIN(TestClockHealth)
#include "tst_clockhealth.moc"
