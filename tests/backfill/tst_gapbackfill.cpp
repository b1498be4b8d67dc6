// Gap backfill (BF-1..5) through the real pipeline: files first, then the 1m roll-up, then
// Binance REST from the replay exchange; source_missing slots are remembered, never invented;
// the four counts always add up to the slots.
#include "core/backfill/gapbackfill.h"
#include "core/backfill/progresstracker.h"
#include "core/domain/rollup.h"
#include "core/sources/binance/binancerestclient.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;
using namespace gapless::test;

namespace {

const SeriesId kSpot = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kOffsetMs = 3600 * 1000; // both clocks stand an hour after w0

qint64 slot(int i) // history slots before T0
{
    return kReplayT0 - 60 * qint64(i);
}

} // namespace

class TestGapBackfill : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void restFillsAHole();
    void filesComeFirst();
    void rollupBeforeRest();
    void sourceMissingIsRemembered();
    void identicalRequestsJoin();
    void canHealFollowsBf4();
    void tailCoverageUsesRestOnlyWhenAllowed();
    void derivedRestGoesThroughTheBase();
    void derivedTailReadsItsMinutes();
    void derivedBucketWithoutAMinuteIsSourceMissing();

private:
    bool start(const QString &faults = {}, const QStringList &fileDirs = {});
    GapResult runAndWait(const SeriesId &series, qint64 e, qint64 a);
    CandleList tapeBars(qint64 from, qint64 to) const;
    [[nodiscard]] QJsonObject replies() const;

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<sources::BinanceRestClient> m_rest;
    std::unique_ptr<ProgressTracker> m_tracker;
    std::unique_ptr<GapBackfill> m_backfill;
};

void TestGapBackfill::init()
{
    m_rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
}

void TestGapBackfill::cleanup()
{
    m_backfill.reset();
    m_tracker.reset();
    m_rest.reset();
    m_core.reset();
    m_replay.reset();
}

bool TestGapBackfill::start(const QString &faults, const QStringList &fileDirs)
{
    m_replay = std::make_unique<ReplayFixture>();
    if (!m_replay->start({sources::ReplaySymbol{u"DEMOUSDT"_s, m_rows}}, faults))
        return false;
    m_replay->setWall(kOffsetMs);
    m_core = std::make_unique<TestCore>(kReplayW0 + kOffsetMs);
    if (!m_core->start())
        return false;
    SourceSettings source;
    source.binanceSpotRest = m_replay->url({}).toString();
    m_rest = std::make_unique<sources::BinanceRestClient>(source, m_replay->wall(), [] { return 0.0; });
    m_tracker = std::make_unique<ProgressTracker>(m_replay->wall());
    m_backfill = std::make_unique<GapBackfill>(m_replay->wall(), m_core->core().writer(), m_rest.get(),
                                               sources::FileSource(fileDirs), m_tracker.get(), BackfillSettings{});
    return true;
}

CandleList TestGapBackfill::tapeBars(qint64 from, qint64 to) const
{
    CandleList out;
    for (qint64 t = from; t <= to; t += 60)
        out.append(contiguousBar(m_rows, (t - kReplayT0) / 60 + 1));
    return out;
}

QJsonObject TestGapBackfill::replies() const
{
    return m_replay->exchange().state().value("replies"_L1).toObject();
}

GapResult TestGapBackfill::runAndWait(const SeriesId &series, qint64 e, qint64 a)
{
    std::optional<GapResult> result;
    m_backfill->run(series, e, a, [&](const GapResult &r) { result = r; });
    (void)QTest::qWaitFor([&] { return result.has_value(); }, 30000);
    return result.value_or(GapResult{});
}

void TestGapBackfill::restFillsAHole()
{
    QVERIFY(start());
    // Stored: 40 bars with a hole of 30 in the middle.
    const CandleList all = tapeBars(slot(70), slot(31));
    QVERIFY(m_core->ingest(kSpot, all.mid(0, 5) + all.mid(35)));
    QSignalSpy progress(m_tracker.get(), &ProgressTracker::progressChanged);
    const GapResult r = runAndWait(kSpot, all.at(5).time, all.at(35).time);
    QCOMPARE(r.slotCount, 30);
    QCOMPARE(r.presentBefore, 0);
    QCOMPARE(r.filled, 30);
    QCOMPARE(r.sourceMissing, 0);
    QCOMPARE(r.stillMissing, 0);
    QVERIFY(r.errors.isEmpty());
    QCOMPARE(m_core->stored(kSpot), all);
    QCOMPARE(progress.last().at(1).toJsonObject().value("state"_L1).toString(), u"succeeded"_s);
}

void TestGapBackfill::filesComeFirst()
{
    QTemporaryDir dir;
    const CandleList all = tapeBars(slot(20), slot(1));
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (const Candle &c : all.mid(5, 10))
        csv += QByteArray::number(c.time) + ',' + QByteArray::number(c.open, 'g', 17) + ','
               + QByteArray::number(c.high, 'g', 17) + ',' + QByteArray::number(c.low, 'g', 17) + ','
               + QByteArray::number(c.close, 'g', 17) + ',' + QByteArray::number(c.volume, 'g', 17) + '\n';
    QVERIFY(QDir().mkpath(dir.path() + u"/binance"_s));
    QVERIFY(writeFile(dir.path() + u"/binance/DEMO_USDT-1m.csv"_s, csv));
    QVERIFY(start({}, {dir.path()}));
    QVERIFY(m_core->ingest(kSpot, all.mid(0, 5) + all.mid(15)));
    const GapResult r = runAndWait(kSpot, all.at(5).time, all.at(15).time);
    QCOMPARE(r.filled, 10);
    QCOMPARE(m_core->stored(kSpot), all);
    QCOMPARE(m_rest->requestCount(), 0); // the file had every missing slot
}

void TestGapBackfill::rollupBeforeRest()
{
    QVERIFY(start());
    const SeriesId fiveMinutes = kSpot.withTimeframe(*Timeframe::parse(u"5m"));
    // Minutes of a whole hour stored; the 5m series lacks its middle buckets.
    const qint64 hour = kReplayT0 - 7200 - (kReplayT0 - 7200) % 3600;
    const CandleList minutes = tapeBars(hour, hour + 3540);
    QVERIFY(m_core->ingest(kSpot, minutes));
    const RollupResult buckets = rollUp(minutes, Timeframe::parse(u"1m").value(), fiveMinutes.timeframe());
    QCOMPARE(buckets.complete.size(), 12);
    QVERIFY(m_core->ingest(fiveMinutes, buckets.complete.mid(0, 2) + buckets.complete.mid(10)));
    const GapResult r = runAndWait(fiveMinutes, buckets.complete.at(2).time, buckets.complete.at(10).time);
    QCOMPARE(r.slotCount, 8);
    QCOMPARE(r.filled, 8);
    QCOMPARE(m_core->stored(fiveMinutes), buckets.complete);
    QCOMPARE(m_rest->requestCount(), 0);
}

void TestGapBackfill::sourceMissingIsRemembered()
{
    // The exchange lacks three bars: T0 and the two after it (the fault's first closing bars).
    QVERIFY(start(u"hole:len=3"_s));
    const qint64 e = kReplayT0 - 60;
    const CandleList around = tapeBars(e - 60, e + 600);
    QVERIFY(m_core->ingest(kSpot, {around.first(), around.last()}));
    const GapResult r = runAndWait(kSpot, e, around.last().time);
    QCOMPARE(r.slotCount + 0, around.size() - 2);
    QCOMPARE(r.presentBefore + r.filled + r.sourceMissing + r.stillMissing, r.slotCount);
    QCOMPARE(r.sourceMissing, 3);
    QCOMPARE(r.stillMissing, 0);
    for (qint64 t = kReplayT0; t < kReplayT0 + 180; t += 60)
        QVERIFY(m_backfill->isKnownSourceMissing(kSpot, t));
    QVERIFY(!m_backfill->canHeal(kSpot, kReplayT0, kReplayT0 + 180));
    // Remembered: the same hole is not worth healing again, and nothing was invented.
    const CandleList stored = m_core->stored(kSpot);
    QCOMPARE(stored.size(), around.size() - r.sourceMissing);
}

void TestGapBackfill::identicalRequestsJoin()
{
    QVERIFY(start());
    const CandleList all = tapeBars(slot(50), slot(1));
    QVERIFY(m_core->ingest(kSpot, {all.first(), all.last()}));
    int answers = 0;
    GapResult first, second;
    m_backfill->run(kSpot, all.at(1).time, all.last().time, [&](const GapResult &r) { first = r, ++answers; });
    m_backfill->run(kSpot, all.at(1).time, all.last().time, [&](const GapResult &r) { second = r, ++answers; });
    QTRY_COMPARE(answers, 2);
    QCOMPARE(first.filled, 48);
    QCOMPARE(second.filled, 48);
    QCOMPARE(m_rest->requestCount(), 2); // /time and one page: one operation
}

void TestGapBackfill::canHealFollowsBf4()
{
    QVERIFY(start());
    const qint64 e = slot(100);
    QVERIFY(m_backfill->canHeal(kSpot, e, e + 60 * 50));
    QVERIFY(!m_backfill->canHeal(kSpot, e, e));                                     // nothing missing
    QVERIFY(!m_backfill->canHeal(kSpot, e, e + 60 * 10001));                        // over gap_heal_max_bars
    QVERIFY(!m_backfill->canHeal(*SeriesId::parse(u"file:cn:X:1m"_s), e, e + 600)); // no source, no file
    QVERIFY(!m_backfill->canHeal(kSpot, kReplayT0 + 3600, kReplayT0 + 3600 + 600)); // ends after E(now)
    BackfillSettings off;
    off.gapEnabled = false;
    m_backfill->setSettings(off);
    QVERIFY(!m_backfill->canHeal(kSpot, e, e + 600));
}

void TestGapBackfill::tailCoverageUsesRestOnlyWhenAllowed()
{
    QVERIFY(start());
    BackfillSettings noRest;
    noRest.restOnRead = false;
    m_backfill->setSettings(noRest);
    std::optional<TailResult> result;
    m_backfill->ensureTailCoverage(kSpot, 50, std::nullopt, [&](const TailResult &r) { result = r; });
    QTRY_VERIFY(result.has_value());
    // BF-8: without rest_on_read and without to_time, no REST; nothing stored, nothing covered.
    QCOMPARE(result->slotCount, 50);
    QCOMPARE(result->covered, 0);
    QCOMPARE(result->missing, 50);
    QCOMPARE(result->note, u"tail_coverage_partial"_s);
    QCOMPARE(m_rest->requestCount(), 0);
    // With a to_time REST is allowed: the window ends at it, never in a forming bucket (BF-7).
    result.reset();
    const qint64 to = slot(10) + 30; // inside a bar: floored
    m_backfill->ensureTailCoverage(kSpot, 50, to, [&](const TailResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
    QCOMPARE(result->end, slot(10));
    QCOMPARE(result->start, slot(59));
    QCOMPARE(result->covered, 50);
    QCOMPARE(result->filled, 50);
    QCOMPARE(result->note, u"tail_coverage_done"_s);
    QCOMPARE(m_core->stored(kSpot), tapeBars(slot(59), slot(10)));
}

void TestGapBackfill::derivedRestGoesThroughTheBase()
{
    // BF-2 level 3, BF-10: 7m is no Binance interval; its buckets come from 1m REST and the
    // roll-up, never from a klines request for 7m (the exchange would answer 400).
    QVERIFY(start());
    const SeriesId sevenMinutes = kSpot.withTimeframe(*Timeframe::parse(u"7m"));
    const qint64 first = sevenMinutes.timeframe().floor(slot(200));
    const CandleList minutes = tapeBars(first, first + 6 * 420 - 60);
    const CandleList buckets = rollUp(minutes, *Timeframe::parse(u"1m"), sevenMinutes.timeframe()).complete;
    QCOMPARE(buckets.size(), 6);
    QVERIFY(m_core->ingest(sevenMinutes, {buckets.first(), buckets.last()}));
    QVERIFY(m_core->ingest(kSpot, minutes.mid(420 / 60, 3))); // three minutes of bucket 1 are stored
    const GapResult r = runAndWait(sevenMinutes, buckets.at(1).time, buckets.last().time);
    QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(u"; ")));
    QCOMPARE(r.slotCount, 4);
    QCOMPARE(r.filled, 4);
    QCOMPARE(r.stillMissing, 0);
    QCOMPARE(m_core->stored(sevenMinutes), buckets);
    QCOMPARE(m_core->stored(kSpot), minutes.mid(7, 28));
    QCOMPARE(replies().value("400"_L1).toInt(), 0);
    QVERIFY(replies().value("200"_L1).toInt() >= 2); // /time and the 1m page
}

void TestGapBackfill::derivedTailReadsItsMinutes()
{
    // BF-12: tail coverage of 90m, N = 3, reads and fetches the 3 * 90 minutes it needs.
    QVERIFY(start());
    const SeriesId ninety = kSpot.withTimeframe(*Timeframe::parse(u"90m"));
    std::optional<TailResult> result;
    const qint64 to = slot(1);
    m_backfill->ensureTailCoverage(ninety, 3, to, [&](const TailResult &r) { result = r; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000);
    const qint64 end = ninety.timeframe().floor(to); // closed at the wall clock, an hour later
    QVERIFY(end + 5400 <= m_replay->wall().nowSeconds());
    const qint64 start = end - 2 * 5400;
    const CandleList minutes = tapeBars(start, end + 5400 - 60);
    QCOMPARE(minutes.size(), 270);
    const CandleList expected = rollUp(minutes, *Timeframe::parse(u"1m"), ninety.timeframe()).complete;
    QCOMPARE(result->note, u"tail_coverage_done"_s);
    QCOMPARE(result->start, start);
    QCOMPARE(result->end, end);
    QCOMPARE(result->covered, 3);
    QCOMPARE(m_core->stored(ninety), expected);
    QCOMPARE(m_core->stored(kSpot), minutes);
    QCOMPARE(replies().value("400"_L1).toInt(), 0);
}

void TestGapBackfill::derivedBucketWithoutAMinuteIsSourceMissing()
{
    // The exchange lacks T0, T0+60 and T0+120: the 2m buckets T0 and T0+120 can never be
    // complete, so they are source_missing (D-BF-7), remembered, and no bucket is invented.
    QVERIFY(start(u"hole:len=3"_s));
    const SeriesId twoMinutes = kSpot.withTimeframe(*Timeframe::parse(u"2m"));
    QCOMPARE(twoMinutes.timeframe().floor(kReplayT0), kReplayT0);
    const GapResult r = runAndWait(twoMinutes, kReplayT0 - 240, kReplayT0 + 480);
    QCOMPARE(r.slotCount, 6);
    QCOMPARE(r.sourceMissing, 2);
    QCOMPARE(r.filled, 4);
    QCOMPARE(r.stillMissing, 0);
    QVERIFY(m_backfill->isKnownSourceMissing(twoMinutes, kReplayT0));
    QVERIFY(m_backfill->isKnownSourceMissing(twoMinutes, kReplayT0 + 120));
    const CandleList stored = m_core->stored(twoMinutes);
    QCOMPARE(stored.size(), 4);
    for (const Candle &c : stored)
        QVERIFY(c.time < kReplayT0 || c.time >= kReplayT0 + 240);
}

QTEST_GUILESS_MAIN(TestGapBackfill)
#include "tst_gapbackfill.moc"
