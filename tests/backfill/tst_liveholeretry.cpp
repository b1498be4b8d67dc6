// BF-6: a hole the live gate could not heal (SRC-9) is retried in the background, 5 s after it
// appeared and then 10 s, 20 s, … at most 300 s apart, on the core's clock; once healed, the
// subscriber hears of it as of any heal (gap healed:true, PROTO-19).
#include "core/backfill/liveholeretry.h"
#include "core/runtime/backfillservices.h"
#include "core/runtime/livejobs.h"
#include "tests/support/frameclient.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;
using namespace gapless::test;

namespace {

const SeriesId kBase = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
const QString kId = kBase.toString();

bool isGap(const QJsonObject &f, bool healed)
{
    return f.value("type"_L1) == "gap"_L1 && f.value("series_id"_L1).toString() == kId
           && f.value("healed"_L1).toBool() == healed;
}

} // namespace

class TestLiveHoleRetry : public QObject
{
    Q_OBJECT

private slots:
    void delaysDoubleUpToTheCap();
    void failedHealIsRetriedUntilHealed();
};

void TestLiveHoleRetry::delaysDoubleUpToTheCap()
{
    const QList<qint64> expected{5000, 10000, 20000, 40000, 80000, 160000, 300000, 300000};
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(LiveHoleRetry::delayMs(i), expected.at(i));
    QCOMPARE(LiveHoleRetry::delayMs(1000), 300000);
}

void TestLiveHoleRetry::failedHealIsRetriedUntilHealed()
{
    const CandleList rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, rows}}));
    replay.setWall(5000);
    QString ws = replay.url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    // One attempt per window: a single 503 fails a heal for good (SRC-7). No inline heal
    // (BF-4): the server announces the hole at once and only BF-6 heals it (D-BF-9).
    TestCore core(kReplayW0 + 5000, {u"source.binance_spot_rest="_s + replay.url({}).toString(),
                                     u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=300"_s,
                                     u"source.binance_rest_max_attempts=1"_s, u"backfill.gap_enabled=false"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId, 20000).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(core.core().liveJobs()->isLive(kBase), 20000);
    LiveHoleRetry *retry = core.core().backfill()->holeRetry();
    QSignalSpy found(retry, &LiveHoleRetry::holeFound);
    QSignalSpy finished(retry, &LiveHoleRetry::retryFinished);

    // The next x:true is dropped and the gate's heal of it gets a 503: the hole stays.
    QVERIFY(replay.exchange().addFaults(u"drop"_s, u"test"_s).ok());
    QVERIFY(replay.exchange().addFaults(u"http5xx:status=503"_s, u"test"_s).ok());
    qint64 ms = 5000;
    // Both clocks move in 2 s steps, as the exchange pushes: the stream stays live (SRC-11).
    const auto advanceTo = [&](qint64 toMs) {
        while (ms < toMs) {
            ms = std::min(ms + 2000, toMs);
            const qsizetype before = client.frames().size();
            core.clock().setNowMs(kReplayW0 + ms);
            replay.setWall(ms);
            (void)QTest::qWaitFor([&] { return client.frames().size() > before; }, 1000);
        }
    };
    while (found.isEmpty() && ms < 200000)
        advanceTo(ms + 2000);
    QCOMPARE(found.size(), 1);
    const qint64 hole = found.first().at(1).toLongLong();
    QCOMPARE(found.first().at(2).toLongLong(), hole + 60); // one bar
    const QJsonObject announced = client.waitFor([](const QJsonObject &f) { return isGap(f, false); });
    QCOMPARE(announced.value("expected_next_time"_L1).toInteger(), hole);
    const auto stored = [&] {
        const CandleList all = core.stored(kBase);
        return std::any_of(all.cbegin(), all.cend(), [&](const Candle &c) { return c.time == hole; });
    };
    QVERIFY(!stored());

    // The first retry meets another 503; nothing before 5 s.
    QVERIFY(replay.exchange().addFaults(u"http5xx:status=503"_s, u"test"_s).ok());
    const qint64 foundAt = ms;
    advanceTo(foundAt + 4000);
    QVERIFY(!finished.wait(600)); // two polls of the retry: still waiting
    advanceTo(foundAt + 6000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().at(3).toInt(), 0);
    QVERIFY(!finished.first().at(4).value<GapResult>().errors.isEmpty());
    QCOMPARE(finished.first().at(5).toBool(), false);
    QVERIFY(!stored());

    // The second waits 10 s more, and heals the hole.
    const qint64 failedAt = ms;
    advanceTo(failedAt + 8000);
    QVERIFY(!finished.wait(600));
    QCOMPARE(finished.size(), 1);
    advanceTo(failedAt + 10000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(finished.at(1).at(3).toInt(), 1);
    QCOMPARE(finished.at(1).at(4).value<GapResult>().stillMissing, 0);
    QCOMPARE(finished.at(1).at(5).toBool(), true);
    QVERIFY(stored());
    QCOMPARE(retry->pending(), 0);
    // PROTO-19: the subscriber hears of the heal (and fetches the bar, PROTO-31).
    const QJsonObject healed = client.waitFor([](const QJsonObject &f) { return isGap(f, true); });
    QCOMPARE(healed.value("expected_next_time"_L1).toInteger(), hole);
    QCOMPARE(healed.value("missing_bars"_L1).toInt(), 0);
    // The healed bar is the exchange's, and the base has no hole left.
    const CandleList after = core.stored(kBase);
    for (qsizetype i = 1; i < after.size(); ++i)
        QCOMPARE(after.at(i).time - after.at(i - 1).time, 60);
    const auto bar = std::find_if(after.cbegin(), after.cend(), [&](const Candle &c) { return c.time == hole; });
    QCOMPARE(*bar, contiguousBar(rows, (hole - kReplayT0) / 60 + 1));
}

QTEST_GUILESS_MAIN(TestLiveHoleRetry)
#include "tst_liveholeretry.moc"
