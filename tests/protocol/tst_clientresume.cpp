// PROTO-32 with kills: a real Core on a fresh database of the test backend goes away while a
// real protocol::Client is live or catching up, more candles are stored while no server runs,
// and a new Core comes up on the same port. The client must end caught up with what the store
// holds from its first candle to the head, no duplicate, every hole announced. Bars stored while
// it was away into a hole announced on an earlier connection come through the client's own
// fetch of its open holes after the reconnect, since the server sends nothing below the cursor.
#include "core/protocol/client.h"
#include "storeagreement.h"
#include "tests/support/testcore.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;
using gapless::protocol::Client;
using gapless::protocol::ClientOptions;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:RESUME:1m");
const QString kId = kSeries.toString();
constexpr qint64 kTf = 60;
constexpr qint64 kT0 = 1699999980; // a multiple of 60
constexpr qint64 kNowMs = (kT0 + 30 * 86400) * 1000;
constexpr int kWaitMs = 30000;

qint64 at(int i)
{
    return kT0 + kTf * qint64(i);
}

/// Quick retries with seeded jitter: the tests wait on events, never on the clock.
ClientOptions optionsFor(const QUrl &url, quint32 seed)
{
    ClientOptions options;
    options.url = url;
    options.reconnectBaseMs = 10;
    options.reconnectCapMs = 80;
    auto rng = std::make_shared<QRandomGenerator>(seed);
    options.random = [rng] { return rng->generateDouble(); };
    return options;
}

bool hasGap(const ClientLog &log, qint64 expected, qint64 actual, qint64 missing, bool healed)
{
    const QList<AnnouncedGap> gaps = log.gaps.value(kId);
    return std::any_of(gaps.cbegin(), gaps.cend(), [&](const AnnouncedGap &g) {
        return g.expectedNextTime == expected && g.actualTime == actual && g.missingBars == missing
               && g.healed == healed;
    });
}

/// Caught up on the current connection, holding `head`, every range fetch merged.
[[nodiscard]] bool settledAt(const Client &client, qint64 head)
{
    return QTest::qWaitFor(
        [&] {
            const CandleList &held = client.candles(kSeries);
            return client.isCaughtUp(kSeries) && !held.isEmpty() && held.constLast().time == head
                   && client.isIdle();
        },
        kWaitMs);
}

} // namespace

class TestClientResume final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void serverKilledMidStream_data();
    void serverKilledMidStream();
    void serverRestartedDuringCatchUp_data();
    void serverRestartedDuringCatchUp();
};

void TestClientResume::initTestCase()
{
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
}

void TestClientResume::serverKilledMidStream_data()
{
    QTest::addColumn<bool>("fromStart");
    QTest::addColumn<qint64>("firstHeld");
    // catchup_limit 100: the tail is the newest 100 candles, at(95)..at(199) less the hole.
    QTest::addRow("since null (tail)") << false << at(95);
    QTest::addRow("since 0") << true << at(0);
}

void TestClientResume::serverKilledMidStream()
{
    QFETCH(bool, fromStart);
    QFETCH(qint64, firstHeld);

    TestCore core(kNowMs, {u"server.catchup_limit=100"_s});
    // at(0)..at(199) with an interior hole of 5 at at(120)..at(124).
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 120) + syntheticCandles(at(125), 75)));
    QVERIFY2(core.start(), qPrintable(core.error()));

    Client client(optionsFor(core.url(), 17));
    ClientLog log;
    log.follow(client);
    client.subscribe(kSeries, fromStart ? std::optional<qint64>(0) : std::nullopt);
    client.open();
    QVERIFY(settledAt(client, at(199)));
    QCOMPARE(client.candles(kSeries).constFirst().time, firstHeld);
    QVERIFY(hasGap(log, at(120), at(125), 5, false));

    // Live, with a hole of its own at at(210)..at(214).
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(200), 10)));
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(215), 5)));
    QVERIFY(settledAt(client, at(219)));
    QVERIFY(hasGap(log, at(210), at(215), 5, false));

    // Mid-stream: these are committed and the server goes away without waiting for the client.
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(220), 10)));
    const int dropsBefore = log.drops;
    core.stop();
    // The connection ends and at least one attempt finds no server.
    QTRY_VERIFY_WITH_TIMEOUT(log.drops >= dropsBefore + 2, kWaitMs);
    QVERIFY(client.state() != Client::State::Live);

    // Stored while no server runs: the head grows past a new hole at at(240)..at(244), the
    // interior hole fills and the live one fills in part.
    QVERIFY(core.seed(kSeries, syntheticCandles(at(230), 10) + syntheticCandles(at(245), 15)));
    const CandleList oldHoleFills = syntheticCandles(at(120), 5) + syntheticCandles(at(211), 2);
    QVERIFY(core.seed(kSeries, oldHoleFills));
    QVERIFY2(core.restart(), qPrintable(core.error()));
    QVERIFY(settledAt(client, at(259)));
    QVERIFY(hasGap(log, at(240), at(245), 5, false));

    // The new connection knows the new hole: a live heal of it reaches the client (PROTO-19/31).
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(240), 5)));
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(260), 5)));
    QVERIFY(settledAt(client, at(264)));
    QVERIFY(hasGap(log, at(240), at(245), 0, true));

    // Killed while idle at the head; what is stored meanwhile starts after a hole right after the
    // client's newest candle, which only the anchor of the resumed subscription reveals (PROTO-15).
    const int dropsIdle = log.drops;
    core.stop();
    QTRY_VERIFY_WITH_TIMEOUT(log.drops >= dropsIdle + 2, kWaitMs);
    QVERIFY(core.seed(kSeries, syntheticCandles(at(268), 12)));
    QVERIFY2(core.restart(), qPrintable(core.error()));
    QVERIFY(settledAt(client, at(279)));
    QVERIFY(hasGap(log, at(265), at(268), 3, false));

    const StoreAgreement agreement = compareWithStore(client.candles(kSeries), core.stored(kSeries),
                                                      log.gaps.value(kId), kTf);
    QVERIFY2(agreement.mismatch.isEmpty(), qPrintable(agreement.mismatch));
    // PROTO-12 sends nothing at or below the cursor again; the client fetched its open holes
    // after each reconnect, so the bars stored into them while no server ran are held too.
    QVERIFY(agreement.unseen.isEmpty());
    for (const Candle &c : oldHoleFills)
        QVERIFY(std::find(client.candles(kSeries).begin(), client.candles(kSeries).end(), c)
                != client.candles(kSeries).end());
    QCOMPARE(client.duplicatesDropped(), 0);
}

void TestClientResume::serverRestartedDuringCatchUp_data()
{
    QTest::addColumn<qint64>("since");
    QTest::addColumn<qint64>("firstHeld");
    QTest::addRow("since 0") << qint64(0) << at(0);
    QTest::addRow("since inside") << at(700) << at(701);
}

void TestClientResume::serverRestartedDuringCatchUp()
{
    QFETCH(qint64, since);
    QFETCH(qint64, firstHeld);

    TestCore core(kNowMs, {u"server.catchup_limit=100"_s});
    // 5987 candles at(0)..at(5999), holes at(1000)..at(1002) and at(4000)..at(4009).
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 1000) + syntheticCandles(at(1003), 2997)
                                   + syntheticCandles(at(4010), 1990)));
    QVERIFY2(core.start(), qPrintable(core.error()));

    Client client(optionsFor(core.url(), 29));
    ClientLog log;
    log.follow(client);

    // The server goes away the first time the client holds 1500, then 3500 candles: in the
    // middle of a 60-page catch-up, from the client's own slot so that it cannot finish first.
    const QList<qsizetype> stopAt{1500, 3500};
    int stops = 0;
    QList<bool> caughtUpAtStop;
    QList<int> dropsAtStop;
    connect(&client, &Client::candlesReceived, this, [&] {
        if (stops < stopAt.size() && client.candles(kSeries).size() >= stopAt.at(stops)) {
            caughtUpAtStop.append(client.isCaughtUp(kSeries));
            dropsAtStop.append(log.drops);
            ++stops;
            core.stop();
        }
    });
    client.subscribe(kSeries, since);
    client.open();

    qint64 head = at(5999);
    for (int round = 0; round < stopAt.size(); ++round) {
        QTRY_COMPARE_WITH_TIMEOUT(stops, round + 1, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(log.drops >= dropsAtStop.at(round) + 2, kWaitMs);
        QVERIFY(!caughtUpAtStop.at(round));
        // Stored while no server runs: 50 more candles after a hole of 3.
        QVERIFY(core.seed(kSeries, syntheticCandles(head + 4 * kTf, 50)));
        head += 53 * kTf;
        QVERIFY2(core.restart(), qPrintable(core.error()));
    }
    QVERIFY(settledAt(client, head));

    QCOMPARE(client.candles(kSeries).constFirst().time, firstHeld);
    QVERIFY(hasGap(log, at(1000), at(1003), 3, false));
    QVERIFY(hasGap(log, at(4000), at(4010), 10, false));
    QVERIFY(hasGap(log, at(6000), at(6003), 3, false));
    QVERIFY(hasGap(log, at(6053), at(6056), 3, false));
    const StoreAgreement agreement = compareWithStore(client.candles(kSeries), core.stored(kSeries),
                                                      log.gaps.value(kId), kTf);
    QVERIFY2(agreement.mismatch.isEmpty(), qPrintable(agreement.mismatch));
    QVERIFY(agreement.unseen.isEmpty());
    QCOMPARE(client.duplicatesDropped(), 0);
}

QTEST_GUILESS_MAIN(TestClientResume)
#include "tst_clientresume.moc"
