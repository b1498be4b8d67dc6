// BF-13: the forming candle of a derived series is the roll-up of its bucket's stored minutes
// plus the live base's forming bar, sent as candle_forming to the derived series' subscribers.
#include "core/backfill/derivedforming.h"
#include "core/protocol/serverframes.h"
#include "core/runtime/livejobs.h"
#include "tests/support/frameclient.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kBase = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
const SeriesId kTwo = *SeriesId::parse(u"binance:spot:DEMO/USDT:2m"_s);

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

bool sameValues(const Candle &a, const Candle &b)
{
    return a.time == b.time && near(a.open, b.open) && near(a.high, b.high) && near(a.low, b.low)
           && near(a.close, b.close) && near(a.volume, b.volume);
}

// The 2m forming candle at virtual time `v` (seconds), computed here from the tape: the
// bucket's closed minutes before v's minute, then that minute's forming bar (SRC-17).
Candle expectedAt(const CandleList &rows, double v)
{
    const qint64 minute = qint64(v) / 60 * 60;
    const qint64 bucket = minute / 120 * 120;
    const Candle forming = formingAt(contiguousBar(rows, (minute - kReplayT0) / 60 + 1), (v - double(minute)) / 60.0);
    Candle out = forming;
    out.time = bucket;
    if (minute == bucket)
        return out;
    const Candle first = contiguousBar(rows, (bucket - kReplayT0) / 60 + 1);
    out.open = first.open;
    out.high = std::max(first.high, forming.high);
    out.low = std::min(first.low, forming.low);
    out.volume = first.volume + forming.volume;
    return out;
}

} // namespace

class TestDerivedForming : public QObject
{
    Q_OBJECT

private slots:
    void rollsStoredMinutesAndTheFormingBar();
    void formingBarAloneStartsTheBucket();
    void derivedSubscriberGetsRolledUpForming();
};

void TestDerivedForming::rollsStoredMinutesAndTheFormingBar()
{
    // BF-13: no completeness; a minute missing in the middle is simply not there.
    const Timeframe fiveMinutes = *Timeframe::parse(u"5m");
    const CandleList stored{{600, 10, 12, 9, 11, 1}, {720, 11, 15, 10, 14, 2}, {540, 1, 99, 0, 1, 7}};
    const Candle forming{780, 14, 14.5, 8, 13, 0.5};
    const Candle got = backfill::derivedForming(stored, forming, fiveMinutes);
    QCOMPARE(got, (Candle{600, 10, 15, 8, 13, 3.5})); // the 540 minute is another bucket's
}

void TestDerivedForming::formingBarAloneStartsTheBucket()
{
    const Candle forming{600, 5, 6, 4, 5.5, 2};
    QCOMPARE(backfill::derivedForming({}, forming, *Timeframe::parse(u"7m")), (Candle{420, 5, 6, 4, 5.5, 2}));
}

void TestDerivedForming::derivedSubscriberGetsRolledUpForming()
{
    const CandleList rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, rows}}));
    replay.setWall(5000);
    QString ws = replay.url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    TestCore core(kReplayW0 + 5000, {u"source.binance_spot_rest="_s + replay.url({}).toString(),
                                     u"source.binance_spot_ws="_s + ws, u"backfill.max_candles_per_request=300"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    // PROTO-25: the 2m subscription starts the live job of its 1m base.
    client.sendJson(subscribeFrame(kTwo.toString(), QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kTwo.toString(), 20000).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(core.core().liveJobs()->isLive(kBase), 20000);
    QList<double> ticks;
    for (qint64 ms = 7000; ms <= 187000; ms += 2000) {
        const qsizetype before = client.frames().size();
        core.clock().setNowMs(kReplayW0 + ms);
        replay.setWall(ms);
        ticks.append(double(kReplayW0 + ms) / 1000.0);
        (void)QTest::qWaitFor([&] { return client.frames().size() > before; }, 1000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(core.stored(kBase).constLast().time >= kReplayT0 + 120, 20000);
    // Every forming frame of the 2m series is the roll-up at one of the virtual times the
    // exchange sent a forming bar at; some of them rolled up stored minutes.
    int rolled = 0;
    int forming = 0;
    for (const QJsonObject &f : client.frames()) {
        if (f.value("type"_L1) != "candle_forming"_L1)
            continue;
        QCOMPARE(f.value("series_id"_L1).toString(), kTwo.toString());
        const auto candle = protocol::candleFromJson(f.value("candle"_L1));
        QVERIFY(candle);
        ++forming;
        const auto match = std::find_if(ticks.cbegin(), ticks.cend(),
                                        [&](double v) { return sameValues(*candle, expectedAt(rows, v)); });
        QVERIFY2(match != ticks.cend(), qPrintable(u"forming %1 is no roll-up of the tape"_s.arg(candle->time)));
        rolled += qint64(*match) / 60 * 60 != candle->time;
    }
    QVERIFY(forming >= 10);
    QVERIFY(rolled >= 5);
}

QTEST_GUILESS_MAIN(TestDerivedForming)
#include "tst_derivedforming.moc"
