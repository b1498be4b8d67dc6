// PROTO-25 on a real core and the replay exchange: an unreferenced live job stops after
// ingest.live_idle_ttl_s; a job beyond ingest.max_live_series evicts the longest-idle
// unreferenced one, and with none to evict the subscription gets `capacity` and nothing else.
// Also PROTO-13 with SRC-10: the first tail subscription of a live base fetches its tail once.
#include "core/runtime/livejobs.h"
#include "tests/support/frameclient.h"
#include "tests/support/httpprobe.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

SeriesId base(const QString &symbol)
{
    return *SeriesId::parse(u"binance:spot:%1/USDT:1m"_s.arg(symbol));
}

QJsonObject unsubscribeFrame(const SeriesId &series)
{
    return {{u"type"_s, u"unsubscribe"_s}, {u"series_id"_s, series.toString()}};
}

} // namespace

class TestLiveJobLimits : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void unreferencedJobStopsAfterIdleTtl();
    void newJobEvictsTheLongestIdle();
    void firstTailSubscriptionFetchesOnce();

private:
    /// A core on the replay exchange with `extra` settings; the replay serves `symbols`.
    [[nodiscard]] std::unique_ptr<TestCore> startCore(const QStringList &symbols, const QStringList &extra);

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
};

void TestLiveJobLimits::init()
{
    m_rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
}

std::unique_ptr<TestCore> TestLiveJobLimits::startCore(const QStringList &symbols, const QStringList &extra)
{
    m_replay = std::make_unique<ReplayFixture>();
    QList<sources::ReplaySymbol> served;
    for (const QString &symbol : symbols)
        served.append(sources::ReplaySymbol{symbol + u"USDT"_s, m_rows});
    if (!m_replay->start(served))
        return nullptr;
    m_replay->setWall(5000);
    QString ws = m_replay->url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    auto core = std::make_unique<TestCore>(
        kReplayW0 + 5000, QStringList{u"source.binance_spot_rest="_s + m_replay->url({}).toString(),
                                      u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=300"_s}
                              + extra);
    if (!core->start()) {
        qWarning("core: %s", qPrintable(core->error()));
        return nullptr;
    }
    return core;
}

void TestLiveJobLimits::unreferencedJobStopsAfterIdleTtl()
{
    auto core = startCore({u"DEMO"_s}, {u"ingest.live_idle_ttl_s=5"_s});
    QVERIFY(core);
    LiveJobs &live = *core->core().liveJobs();
    const SeriesId demo = base(u"DEMO"_s);
    FrameClient client;
    QVERIFY(client.open(core->url()));
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"health"_s}, {u"series_id"_s, demo.toString()}});
    client.sendJson(subscribeFrame(demo.toString(), QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, demo.toString(), 20000).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(live.isLive(demo), 20000);

    // Referenced for longer than the TTL, then released: the TTL counts from the release, so
    // the job survives a sweep 4 s after it and stops at the first sweep once 5 s have passed.
    core->clock().setNowMs(kReplayW0 + 15000);
    client.sendJson(unsubscribeFrame(demo));
    QVERIFY(!client.waitForSystem(u"unsubscribed"_s, demo.toString()).isEmpty());
    core->clock().setNowMs(kReplayW0 + 19000);
    live.stopIdle();
    QVERIFY(live.isRunning(demo));
    core->clock().setNowMs(kReplayW0 + 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!live.isRunning(demo), 5000);
    // HLT-2: no job, not live; the health topic says so.
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(client.frames().cbegin(), client.frames().cend(), [&](const QJsonObject &f) {
        return f.value("type"_L1) == "health"_L1 && f.value("series_id"_L1) == demo.toString()
               && f.value("reason"_L1) == "not_live"_L1 && f.value("source_state"_L1) == "none"_L1;
    }), 5000);
}

void TestLiveJobLimits::newJobEvictsTheLongestIdle()
{
    auto core = startCore({u"AAA"_s, u"BBB"_s, u"CCC"_s, u"DDD"_s, u"EEE"_s},
                          {u"ingest.max_live_series=2"_s, u"ingest.live_idle_ttl_s=600"_s});
    QVERIFY(core);
    LiveJobs &live = *core->core().liveJobs();
    FrameClient client;
    QVERIFY(client.open(core->url()));
    for (const QString &symbol : {u"AAA"_s, u"BBB"_s}) {
        client.sendJson(subscribeFrame(base(symbol).toString(), QJsonValue(), true));
        QVERIFY(!client.waitForSystem(u"caught_up"_s, base(symbol).toString(), 20000).isEmpty());
    }
    QVERIFY(live.isRunning(base(u"AAA"_s)) && live.isRunning(base(u"BBB"_s)));
    // AAA goes idle first, BBB a second later: both stay (TTL 600 s), AAA is the longest idle.
    client.sendJson(unsubscribeFrame(base(u"AAA"_s)));
    QVERIFY(!client.waitForSystem(u"unsubscribed"_s, base(u"AAA"_s).toString()).isEmpty());
    core->clock().setNowMs(kReplayW0 + 6000);
    client.sendJson(unsubscribeFrame(base(u"BBB"_s)));
    QVERIFY(!client.waitForSystem(u"unsubscribed"_s, base(u"BBB"_s).toString()).isEmpty());
    QVERIFY(live.isRunning(base(u"AAA"_s)) && live.isRunning(base(u"BBB"_s)));

    // A third series evicts AAA, a fourth BBB.
    client.sendJson(subscribeFrame(base(u"CCC"_s).toString(), QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, base(u"CCC"_s).toString(), 20000).isEmpty());
    QVERIFY(!live.isRunning(base(u"AAA"_s)));
    QVERIFY(live.isRunning(base(u"BBB"_s)));
    client.sendJson(subscribeFrame(base(u"DDD"_s).toString(), QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, base(u"DDD"_s).toString(), 20000).isEmpty());
    QVERIFY(!live.isRunning(base(u"BBB"_s)));
    QCOMPARE(live.bases().size(), 2);

    // CCC and DDD are referenced: EEE gets capacity and no other frame.
    const QString eee = base(u"EEE"_s).toString();
    client.sendJson(subscribeFrame(eee, QJsonValue(), true));
    const QJsonObject refused = client.waitFor([&](const QJsonObject &f) {
        return f.value("type"_L1) == "error"_L1 && f.value("series_id"_L1).toString() == eee;
    });
    QCOMPARE(refused.value("code"_L1).toString(), u"capacity"_s);
    QVERIFY(!live.isRunning(base(u"EEE"_s)));
    // A later frame on the same connection is answered, and still nothing came for EEE.
    client.sendJson(unsubscribeFrame(base(u"CCC"_s)));
    QVERIFY(!client.waitForSystem(u"unsubscribed"_s, base(u"CCC"_s).toString()).isEmpty());
    for (const QJsonObject &f : client.frames()) {
        if (f.value("type"_L1) != "error"_L1)
            QVERIFY(f.value("series_id"_L1).toString() != eee);
    }
}

void TestLiveJobLimits::firstTailSubscriptionFetchesOnce()
{
    auto core = startCore({u"DEMO"_s}, {});
    QVERIFY(core);
    const SeriesId demo = base(u"DEMO"_s);
    FrameClient client;
    QVERIFY(client.open(core->url()));
    client.sendJson(subscribeFrame(demo.toString(), QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, demo.toString(), 20000).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(core->core().liveJobs()->isLive(demo), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(core->stored(demo).size(), 300, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(client.closedCandles(demo.toString()).size(), 300, 20000);

    // SRC-3 asks for the exchange time once; the tail came with one klines request.
    HttpProbe http;
    const QJsonObject state = http.get(m_replay->url(u"/_replay/state"_s)).json().object();
    QCOMPARE(state.value("requests"_L1).toInteger(), 2);
}

QTEST_GUILESS_MAIN(TestLiveJobLimits)
#include "tst_livejoblimits.moc"
