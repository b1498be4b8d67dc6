// HLT-1..5 on a controlled clock: the lamp walks the HLT-3 table as the source, the head and
// time move, and a frame goes out on each change of (lamp, reason, lag) and every 10 s.
#include "core/backfill/healthmonitor.h"
#include "core/backfill/progresstracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:BTC/USDT:1m"_s);
constexpr qint64 kNowS = 1800000000 - 1800000000 % 60 + 30; // 30 s into a minute

QString lampOf(const QSignalSpy &spy)
{
    const QJsonObject f = spy.last().at(1).toJsonObject();
    return f.value("lamp"_L1).toString() + u'/' + f.value("reason"_L1).toString();
}

} // namespace

class TestHealthMonitor : public QObject
{
    Q_OBJECT

private slots:
    void walksTheTable();
    void stoppedJobIsNotLive();
    void openErrorsFollowTheStore();
    void bannedIsSourceDownAtOnce();
};

void TestHealthMonitor::walksTheTable()
{
    FixedClock clock(kNowS * 1000);
    ProgressTracker tracker(clock);
    HealthMonitor monitor(clock, HealthSettings{}, &tracker);
    QSignalSpy spy(&monitor, &HealthMonitor::healthChanged);
    const qint64 latest = kNowS - 30 - 60; // E(now)
    monitor.track(kSeries, latest);
    QCOMPARE(lampOf(spy), u"gray/not_live"_s);
    monitor.jobStateChanged(kSeries, u"catching_up"_s);
    QCOMPARE(lampOf(spy), u"green/fresh"_s);
    const int before = spy.count();
    monitor.jobStateChanged(kSeries, u"live"_s); // same lamp, same lag: nothing new
    QCOMPARE(spy.count(), before);
    // A minute and a half later without a bar: lag 1 (< F = 2) is yellow, then stale.
    clock.setNowMs((kNowS + 90) * 1000);
    monitor.candlesCommitted(kSeries, {}); // no rows: no change of head
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(lampOf(spy), u"yellow/lagging"_s);
    QCOMPARE(spy.last().at(1).toJsonObject().value("lag_candles"_L1).toInteger(), 1);
    clock.setNowMs((kNowS + 150) * 1000);
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(lampOf(spy), u"red/stale"_s);
    // A backfill running: yellow; the source stopping for 30 s while lagging: red source_down.
    QVERIFY(tracker.begin(kSeries, u"gap_backfill"_s, 2));
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(lampOf(spy), u"yellow/lagging_backfilling"_s);
    tracker.finish(kSeries, 2, {}); // no error: succeeded (BF-17), so a recent backfill
    monitor.jobStateChanged(kSeries, u"backoff"_s);
    QCOMPARE(lampOf(spy), u"yellow/lagging_recent_backfill"_s);
    clock.setNowMs((kNowS + 181) * 1000);
    monitor.jobStateChanged(kSeries, u"backoff"_s);
    QCOMPARE(lampOf(spy), u"red/source_down"_s);
    // Bars arrive: fresh again, but an open journal row makes it yellow.
    monitor.jobStateChanged(kSeries, u"live"_s);
    monitor.candlesCommitted(kSeries, {Candle{kNowS + 120 - 60, 1, 1, 1, 1, 1}});
    QCOMPARE(lampOf(spy), u"green/fresh"_s);
    monitor.ingestErrorRecorded(kSeries);
    QCOMPARE(lampOf(spy), u"yellow/ingest_errors"_s);
    // Unchanged for 10 s: announced again anyway.
    const int quiet = spy.count();
    clock.setNowMs((kNowS + 185) * 1000);
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(spy.count(), quiet);
    clock.setNowMs((kNowS + 192) * 1000);
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(spy.count(), quiet + 1);
    monitor.setStoreUnwritable(true);
    QCOMPARE(lampOf(spy), u"red/store_unwritable"_s);
}

void TestHealthMonitor::stoppedJobIsNotLive()
{
    // HLT-2 with PROTO-25: once its job stopped, a series is not live (gray), and its
    // derived timeframes with it.
    FixedClock clock(kNowS * 1000);
    HealthMonitor monitor(clock, HealthSettings{}, nullptr);
    QSignalSpy spy(&monitor, &HealthMonitor::healthChanged);
    const SeriesId fiveMinutes = kSeries.withTimeframe(*Timeframe::parse(u"5m"));
    monitor.track(kSeries, kNowS - 90);
    monitor.track(fiveMinutes, std::nullopt);
    monitor.jobStateChanged(kSeries, u"live"_s);
    QCOMPARE(monitor.health(kSeries).value("lamp"_L1).toString(), u"green"_s);
    QCOMPARE(monitor.health(fiveMinutes).value("source_state"_L1).toString(), u"live"_s);
    monitor.jobStopped(kSeries);
    QCOMPARE(lampOf(spy), u"gray/not_live"_s);
    QCOMPARE(monitor.health(kSeries).value("source_state"_L1).toString(), u"none"_s);
    QCOMPARE(monitor.health(fiveMinutes).value("reason"_L1).toString(), u"not_live"_s);
    // Another base stopping changes nothing here.
    const int before = spy.count();
    monitor.jobStopped(*SeriesId::parse(u"binance:spot:ETH/USDT:1m"_s));
    QCOMPARE(spy.count(), before);
}

void TestHealthMonitor::openErrorsFollowTheStore()
{
    // HLT-5 open_errors: the store's counts replace what was counted, a series only in the
    // journal is tracked from then on, and a series with no open row any more has none.
    FixedClock clock(kNowS * 1000);
    HealthMonitor monitor(clock, HealthSettings{}, nullptr);
    const SeriesId other = *SeriesId::parse(u"file:test:WAVE:1m"_s);
    monitor.track(kSeries, kNowS - 90);
    monitor.jobStateChanged(kSeries, u"live"_s);
    monitor.ingestErrorRecorded(kSeries);
    monitor.ingestErrorRecorded(kSeries);
    QCOMPARE(monitor.health(kSeries).value("open_errors"_L1).toInteger(), 2);
    monitor.setOpenErrors({{kSeries, 5}, {other, 1}});
    QCOMPARE(monitor.health(kSeries).value("open_errors"_L1).toInteger(), 5);
    QVERIFY(monitor.series().contains(other));
    QCOMPARE(monitor.health(other).value("open_errors"_L1).toInteger(), 1);
    QCOMPARE(monitor.health(other).value("reason"_L1).toString(), u"not_live"_s);
    monitor.setOpenErrors({});
    QCOMPARE(monitor.health(kSeries).value("open_errors"_L1).toInteger(), 0);
    QCOMPARE(monitor.health(kSeries).value("reason"_L1).toString(), u"fresh"_s);
}

void TestHealthMonitor::bannedIsSourceDownAtOnce()
{
    // HLT-2: a banned job is down without waiting health.source_down_after_s.
    FixedClock clock(kNowS * 1000);
    HealthMonitor monitor(clock, HealthSettings{}, nullptr);
    monitor.track(kSeries, kNowS - 90);
    monitor.jobStateChanged(kSeries, u"banned"_s);
    QCOMPARE(monitor.health(kSeries).value("lamp"_L1).toString(), u"yellow"_s);
    QCOMPARE(monitor.health(kSeries).value("reason"_L1).toString(), u"source_down"_s);
    QCOMPARE(monitor.health(kSeries).value("source_state"_L1).toString(), u"banned"_s);
    monitor.jobStateChanged(kSeries, u"catching_up"_s);
    QCOMPARE(monitor.health(kSeries).value("reason"_L1).toString(), u"fresh"_s);
}

QTEST_GUILESS_MAIN(TestHealthMonitor)
#include "tst_healthmonitor.moc"
