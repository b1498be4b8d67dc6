// A core with a startup-sync series on the replay exchange (SRC-10..12, BF-11, PROTO-23): the
// pinned kline job catches up by REST, goes live, and every closed bar reaches the store, its
// derived timeframes and a subscribed client, with no hole and no forming bar stored.
#include "core/backfill/startupsync.h"
#include "core/runtime/livejobs.h"
#include "tests/support/frameclient.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kBase = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
const QString kId = kBase.toString();

} // namespace

class TestLiveIngest : public QObject
{
    Q_OBJECT

private slots:
    void syncSeriesGoesLive();
    void subscriptionStartsALiveJob();

private:
    void advance(TestCore &core, ReplayFixture &replay, qint64 offsetMs);
};

void TestLiveIngest::advance(TestCore &core, ReplayFixture &replay, qint64 offsetMs)
{
    core.clock().setNowMs(kReplayW0 + offsetMs);
    replay.setWall(offsetMs);
}

void TestLiveIngest::syncSeriesGoesLive()
{
    const CandleList rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, rows}}));
    replay.setWall(5000); // the bar before T0 is closed once the exchange clock is 2 s past T0 (SRC-3)
    const QString base = replay.url({}).toString();
    QString ws = base;
    ws.replace(u"http://"_s, u"ws://"_s);
    TestCore core(kReplayW0 + 5000, {u"sync.series="_s + kId, u"source.binance_spot_rest="_s + base,
                              u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=600"_s,
                              u"sync.target_candles=600"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, QJsonValue(), true));
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"health"_s}, {u"series_id"_s, kId}});
    // BF-21: the report (also sent as startup_sync_done to the clients connected by then).
    QTRY_VERIFY_WITH_TIMEOUT(!core.core().startupSync()->report().isEmpty(), 20000);
    QCOMPARE(core.core().startupSync()->report().value("synced"_L1).toInt(), 1);

    // Startup sync (BF-20): the newest 600 closed bars before T0, then the live job.
    QTRY_COMPARE_WITH_TIMEOUT(core.stored(kBase).size(), 600, 20000);
    QCOMPARE(core.stored(kBase).constLast().time, kReplayT0 - 60);
    QTRY_VERIFY_WITH_TIMEOUT(core.core().liveJobs()->isLive(kBase), 20000);

    // Three minutes of live bars, two seconds at a time.
    for (qint64 ms = 7000; ms <= 187000; ms += 2000) {
        const qsizetype before = client.frames().size();
        advance(core, replay, ms);
        // Each tick sends a forming bar, which reaches the client once the job has it.
        (void)QTest::qWaitFor([&] { return client.frames().size() > before; }, 1000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(core.stored(kBase).constLast().time, kReplayT0 + 120, 20000);
    const CandleList stored = core.stored(kBase);
    for (qsizetype i = 1; i < stored.size(); ++i)
        QCOMPARE(stored.at(i).time - stored.at(i - 1).time, 60); // no hole
    for (const Candle &c : stored.mid(stored.size() - 3))
        QCOMPARE(c, contiguousBar(rows, (c.time - kReplayT0) / 60 + 1)); // the tape's bars, never a forming one

    // The subscribed client got them as closed candles, and forming frames while live.
    QTRY_COMPARE_WITH_TIMEOUT(client.closedCandles(kId).constLast().time, kReplayT0 + 120, 20000);
    QCOMPARE(client.closedCandles(kId), stored.mid(stored.size() - client.closedCandles(kId).size()));
    const bool sawForming = std::any_of(client.frames().cbegin(), client.frames().cend(), [](const QJsonObject &f) {
        return f.value("type"_L1) == "candle_forming"_L1;
    });
    QVERIFY(sawForming);
    // HLT-3: live, no lag, no error: green and fresh (HLT-5 frames on the health topic).
    const auto lampOf = [&](const QJsonObject &f) {
        return f.value("type"_L1) == "health"_L1 && f.value("series_id"_L1).toString() == kId;
    };
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(client.frames().cbegin(), client.frames().cend(), [&](const QJsonObject &f) {
        return lampOf(f) && f.value("lamp"_L1) == "green"_L1 && f.value("reason"_L1) == "fresh"_L1;
    }), 20000);
    // BF-11: the sync base's derived timeframes follow.
    QTRY_VERIFY_WITH_TIMEOUT(!core.stored(kBase.withTimeframe(*Timeframe::parse(u"5m"))).isEmpty(), 20000);
}

void TestLiveIngest::subscriptionStartsALiveJob()
{
    // PROTO-25: a subscription to a binance series references the live job of its base; one
    // beyond ingest.max_live_series is refused with capacity and gets nothing else.
    const CandleList rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, rows}}));
    replay.setWall(5000);
    QString ws = replay.url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    TestCore core(kReplayW0 + 5000, {u"source.binance_spot_rest="_s + replay.url({}).toString(),
                                     u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=300"_s,
                                     u"ingest.max_live_series=1"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId, 20000).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(core.core().liveJobs()->isLive(kBase), 20000);
    const QString other = u"binance:spot:OTHER/USDT:1m"_s;
    client.sendJson(subscribeFrame(other, QJsonValue(), true));
    const QJsonObject refused = client.waitFor([&](const QJsonObject &f) {
        return f.value("type"_L1) == "error"_L1 && f.value("series_id"_L1).toString() == other;
    });
    QCOMPARE(refused.value("code"_L1).toString(), u"capacity"_s);
    // The first series goes on: a live bar reaches the client.
    for (qint64 ms = 7000; ms <= 67000; ms += 2000) {
        const qsizetype before = client.frames().size();
        core.clock().setNowMs(kReplayW0 + ms);
        replay.setWall(ms);
        (void)QTest::qWaitFor([&] { return client.frames().size() > before; }, 1000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(client.closedCandles(kId).constLast().time, kReplayT0, 20000);
    for (const QJsonObject &f : client.frames()) {
        if (f.value("type"_L1) != "error"_L1)
            QVERIFY(f.value("series_id"_L1).toString() != other);
    }
}

QTEST_GUILESS_MAIN(TestLiveIngest)
#include "tst_liveingest.moc"
