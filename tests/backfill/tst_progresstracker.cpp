// BF-14..18: the tracker's counts always add up, the percentage never falls, the end state
// follows BF-17 and frames are announced at most 4 times a second, first and last always.
#include "core/backfill/progresstracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:BTC/USDT:5m"_s);
constexpr qint64 kNowMs = 1800000000000;

qint64 field(const QJsonObject &json, QLatin1StringView key)
{
    return qint64(json.value(key).toDouble());
}

bool addsUp(const ProgressRecord &r)
{
    return r.beginMissing == r.filled + r.sourceMissing + r.filledElsewhere + r.currentMissing;
}

} // namespace

class TestProgressTracker : public QObject
{
    Q_OBJECT

private slots:
    void runAddsUpAndSucceeds();
    void finalRecountCountsFilledElsewhere();
    void failsWithFirstThreeErrors();
    void errorsButNothingMissingSucceeds();
    void oneRunPerSeries();
    void emptyRunIsComplete();
    void announcesAtMostFourTimesASecond();
};

void TestProgressTracker::runAddsUpAndSucceeds()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QSignalSpy spy(&tracker, &ProgressTracker::progressChanged);
    QVERIFY(tracker.begin(kSeries, u"gap_backfill"_s, 1000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(1).toJsonObject().value("state"_L1).toString(), u"running"_s);
    double lastPct = -1;
    for (int page = 0; page < 4; ++page) {
        clock.setNowMs(clock.nowMs() + 1000);
        tracker.advance(kSeries, 240, 10);
        const ProgressRecord r = *tracker.record(kSeries);
        QVERIFY(addsUp(r));
        QVERIFY(r.progressPct >= lastPct);
        lastPct = r.progressPct;
    }
    QCOMPARE(tracker.record(kSeries)->currentMissing, 0);
    tracker.finish(kSeries, 0, u"done"_s);
    const QJsonObject last = spy.last().at(1).toJsonObject();
    QCOMPARE(last.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(last.value("progress_pct"_L1).toDouble(), 100.0);
    QCOMPARE(field(last, "filled"_L1), 960);
    QCOMPARE(field(last, "source_missing"_L1), 40);
    QCOMPARE(field(last, "filled_seconds"_L1), 960 * 300);
    QCOMPARE(last.value("series_id"_L1).toString(), kSeries.toString());
    QCOMPARE(spy.count(), 6);
}

void TestProgressTracker::finalRecountCountsFilledElsewhere()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QVERIFY(tracker.begin(kSeries, u"tail_coverage"_s, 300));
    tracker.advance(kSeries, 100, 0);
    QCOMPARE(tracker.record(kSeries)->progressPct, 33.3); // floor(1000*100/300)/10
    tracker.finish(kSeries, 50, u"tail_coverage_partial"_s);
    const ProgressRecord r = *tracker.record(kSeries);
    QCOMPARE(r.filledElsewhere, 150);
    QCOMPARE(r.currentMissing, 50);
    QVERIFY(addsUp(r));
    QCOMPARE(r.state, u"succeeded"_s); // no error: succeeded even with slots left (BF-17)
    QCOMPARE(r.progressPct, 83.3);
}

void TestProgressTracker::failsWithFirstThreeErrors()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QVERIFY(tracker.begin(kSeries, u"range_backfill"_s, 10));
    for (const QString &e : {u"rest: HTTP 503"_s, u"rest: timeout"_s, u"files: bad row"_s, u"rollup: x"_s})
        tracker.addError(kSeries, e);
    tracker.advance(kSeries, 4, 0);
    tracker.finish(kSeries, 6, u"tail_coverage_best_effort_failed"_s);
    const ProgressRecord r = *tracker.record(kSeries);
    QCOMPARE(r.state, u"failed"_s);
    QCOMPARE(r.toJson(kSeries).value("error"_L1).toString(), u"rest: HTTP 503; rest: timeout; files: bad row"_s);
}

void TestProgressTracker::errorsButNothingMissingSucceeds()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QVERIFY(tracker.begin(kSeries, u"gap_backfill"_s, 10));
    tracker.addError(kSeries, u"rest: HTTP 503"_s);
    tracker.advance(kSeries, 10, 0);
    tracker.finish(kSeries, 0, {});
    QCOMPARE(tracker.record(kSeries)->state, u"succeeded"_s);
}

void TestProgressTracker::oneRunPerSeries()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QVERIFY(tracker.begin(kSeries, u"gap_backfill"_s, 10));
    QVERIFY(!tracker.begin(kSeries, u"tail_coverage"_s, 99));
    QCOMPARE(tracker.record(kSeries)->beginMissing, 10);
    tracker.finish(kSeries, 10, {});
    QVERIFY(tracker.begin(kSeries, u"tail_coverage"_s, 99));
}

void TestProgressTracker::emptyRunIsComplete()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QVERIFY(tracker.begin(kSeries, u"tail_coverage"_s, 0));
    QCOMPARE(tracker.record(kSeries)->progressPct, 100.0);
    tracker.advance(kSeries, 5, 5); // more than was missing changes nothing
    QVERIFY(addsUp(*tracker.record(kSeries)));
    QCOMPARE(tracker.record(kSeries)->filled, 0);
}

void TestProgressTracker::announcesAtMostFourTimesASecond()
{
    FixedClock clock(kNowMs);
    ProgressTracker tracker(clock);
    QSignalSpy spy(&tracker, &ProgressTracker::progressChanged);
    QVERIFY(tracker.begin(kSeries, u"gap_backfill"_s, 100));
    for (int i = 0; i < 5; ++i)
        tracker.advance(kSeries, 1, 0); // same instant: held
    QCOMPARE(spy.count(), 1);
    // The newest state goes out when the interval ends.
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(field(spy.last().at(1).toJsonObject(), "filled"_L1), 5);
    clock.setNowMs(kNowMs + ProgressTracker::kMinIntervalMs);
    tracker.advance(kSeries, 1, 0);
    QCOMPARE(spy.count(), 3);
    tracker.finish(kSeries, 94, {}); // the final state always goes out at once
    QCOMPARE(spy.count(), 4);
}

QTEST_GUILESS_MAIN(TestProgressTracker)
#include "tst_progresstracker.moc"
