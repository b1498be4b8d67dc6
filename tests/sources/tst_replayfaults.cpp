// ReplayFaults and the fault SPEC grammar (SRC-18): every kind with its defaults, bad items
// named in the message, exact `every` counting, once-only items, seeded draws.
#include "core/sources/replay/replayfaults.h"
#include "core/sources/replay/replaytape.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kT0 = 1700000040;
constexpr qint64 kWall = 1700000040000;

ReplayFaultItem item(const QString &spec)
{
    const Result<QList<ReplayFaultItem>> items = parseReplayFaults(spec, u"--faults"_s);
    if (!items || items->size() != 1)
        qFatal("bad test spec %s", qPrintable(spec));
    return items->constFirst();
}

ReplayTape tape()
{
    CandleList rows;
    for (qint64 i = 0; i < 10; ++i)
        rows.append(Candle{1600000020 + 60 * i, 1, 2, 0.5, 1.5, 10});
    return ReplayTape(rows, ReplayTimeMode::Contiguous, kT0);
}

QList<qint64> covered(const ReplayFaults &faults, bool hidden)
{
    const ReplayTape t = tape();
    QList<qint64> ordinals;
    for (qint64 o = t.firstOrdinal(); o <= 12; ++o) {
        if (hidden ? faults.isHidden(t, o) : faults.isDropped(t, o))
            ordinals << o;
    }
    return ordinals;
}

QList<int> statuses(ReplayFaults &faults, int requests)
{
    QList<int> out;
    for (int i = 0; i < requests; ++i)
        out << faults.nextRestRequest().status;
    return out;
}

} // namespace

class TestReplayFaults final : public QObject
{
    Q_OBJECT

private slots:
    void parsesDefaults();
    void parsesKeys();
    void parsesSpecs_data();
    void parsesSpecs();
    void rejectsBadItems_data();
    void rejectsBadItems();
    void parsesDurations_data();
    void parsesDurations();
    void countsRestRequests();
    void firesOnceWithoutEvery();
    void countsFromWhenAdded();
    void holesAndDropsByBar();
    void holeAddedLaterSparesHistory();
    void malformedStreamMessages();
    void timedFaults();
    void standingItemsHoldAndReplace();
    void seededLatencyIsReproducible();
};

void TestReplayFaults::parsesDefaults()
{
    // SRC-18's table: disconnect for 5s, notice false; hole len 1; http429 retry_after 1;
    // http5xx status 500; weights limit per market, ban_after 3; cutoff after 24h.
    const ReplayFaultItem disconnect = item(u"disconnect"_s);
    QCOMPARE(disconnect.kind, ReplayFaultKind::Disconnect);
    QCOMPARE(disconnect.forMs, 5000);
    QCOMPARE(disconnect.notice, false);
    QVERIFY(!disconnect.isRepeating());
    QCOMPARE(item(u"stall"_s).forMs, 5000);
    QCOMPARE(item(u"hole"_s).len, 1);
    QCOMPARE(item(u"http429"_s).retryAfterS, 1);
    QCOMPARE(item(u"http5xx"_s).status, 500);
    QCOMPARE(item(u"malformed"_s).streamTarget, false);
    const ReplayFaultItem weights = item(u"weights"_s);
    QVERIFY(!weights.limit);
    QCOMPARE(weights.banAfter, 3);
    QVERIFY(weights.isStanding());
    QCOMPARE(item(u"cutoff"_s).afterMs, 24 * 3600 * 1000);
    const ReplayFaultItem latency = item(u"latency:min=20ms"_s);
    QCOMPARE(latency.minMs, 20);
    QCOMPARE(latency.maxMs, 20);
    QCOMPARE(item(u"drop"_s).kind, ReplayFaultKind::Drop);
}

void TestReplayFaults::parsesKeys()
{
    const ReplayFaultItem disconnect = item(u" disconnect : every=30s , for=2m, notice=true "_s);
    QCOMPARE(disconnect.everyMs.value_or(0), 30000);
    QCOMPARE(disconnect.forMs, 120000);
    QVERIFY(disconnect.notice);
    QCOMPARE(item(u"stall:every=1h,for=500ms"_s).everyMs.value_or(0), 3600000);
    const ReplayFaultItem hole = item(u"hole:every=7,len=3"_s);
    QCOMPARE(hole.everyCount.value_or(0), 7);
    QCOMPARE(hole.len, 3);
    QCOMPARE(item(u"drop:every=2"_s).everyCount.value_or(0), 2);
    QCOMPARE(item(u"http429:every=4,retry_after=9"_s).retryAfterS, 9);
    QCOMPARE(item(u"http5xx:status=503"_s).status, 503);
    const ReplayFaultItem latency = item(u"latency:min=10ms,max=2s"_s);
    QCOMPARE(latency.minMs, 10);
    QCOMPARE(latency.maxMs, 2000);
    QVERIFY(item(u"malformed:every=3,target=stream"_s).streamTarget);
    const ReplayFaultItem weights = item(u"weights:limit=100,ban_after=0"_s);
    QCOMPARE(weights.limit.value_or(0), 100);
    QCOMPARE(weights.banAfter, 0);
    QCOMPARE(item(u"cutoff:after=90s"_s).afterMs, 90000);
}

void TestReplayFaults::parsesSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("kinds");
    QTest::addRow("empty") << u""_s << QStringList();
    QTest::addRow("blank") << u"  "_s << QStringList();
    QTest::addRow("two") << u"drop:every=2;hole"_s << QStringList{u"drop"_s, u"hole"_s};
    QTest::addRow("all kinds") << u"disconnect;stall;drop;hole;http429;http5xx;latency;malformed;weights;cutoff"_s
                               << QStringList{u"disconnect"_s, u"stall"_s, u"drop"_s, u"hole"_s, u"http429"_s,
                                              u"http5xx"_s, u"latency"_s, u"malformed"_s, u"weights"_s, u"cutoff"_s};
}

void TestReplayFaults::parsesSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QStringList, kinds);
    const Result<QList<ReplayFaultItem>> items = parseReplayFaults(spec, u"--faults"_s);
    QVERIFY2(items.ok(), items.ok() ? "" : qPrintable(items.error().message));
    QStringList names;
    for (const ReplayFaultItem &i : *items)
        names << replayFaultKindName(i.kind);
    QCOMPARE(names, kinds);
}

void TestReplayFaults::rejectsBadItems_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown kind") << u"drop;boom:every=1"_s
                                  << u"--faults item 2 'boom:every=1': kind 'boom' is unknown; expected one of "
                                     u"disconnect, stall, drop, hole, http429, http5xx, latency, malformed, "
                                     u"weights, cutoff"_s;
    QTest::addRow("unknown key") << u"drop:len=2"_s
                                 << u"--faults item 1 'drop:len=2': key 'len' is unknown for drop; expected every"_s;
    QTest::addRow("count as duration") << u"drop:every=2s"_s
                                       << u"--faults item 1 'drop:every=2s': every '2s' is not a count; expected an "
                                          u"integer >= 1"_s;
    QTest::addRow("duration as count") << u"disconnect:every=5"_s
                                       << u"--faults item 1 'disconnect:every=5': every '5': not a duration; "
                                          u"expected N followed by ms, s, m or h (e.g. 30s)"_s;
    QTest::addRow("zero every") << u"stall:every=0s"_s
                                << u"--faults item 1 'stall:every=0s': every '0s' is zero; expected a duration "
                                   u"above 0"_s;
    QTest::addRow("len zero") << u"hole:len=0"_s
                              << u"--faults item 1 'hole:len=0': len '0' is not a count; expected an integer >= 1"_s;
    QTest::addRow("status not 5xx") << u"http5xx:status=404"_s
                                    << u"--faults item 1 'http5xx:status=404': status '404' is not a 5xx status; "
                                       u"expected an integer in [500, 599]"_s;
    QTest::addRow("negative retry") << u"http429:retry_after=-1"_s
                                    << u"--faults item 1 'http429:retry_after=-1': retry_after '-1' is not a whole "
                                       u"number; expected an integer >= 0"_s;
    QTest::addRow("min above max") << u"latency:min=50ms,max=10ms"_s
                                   << u"--faults item 1 'latency:min=50ms,max=10ms': min 50 ms is above max 10 ms; "
                                      u"expected min <= max"_s;
    QTest::addRow("bad target") << u"malformed:target=ws"_s
                                << u"--faults item 1 'malformed:target=ws': target 'ws' is unknown; expected rest or "
                                   u"stream"_s;
    QTest::addRow("bad flag") << u"disconnect:notice=maybe"_s
                              << u"--faults item 1 'disconnect:notice=maybe': notice 'maybe' is not a flag; expected "
                                 u"true or false"_s;
    QTest::addRow("key twice") << u"drop:every=1,every=2"_s
                               << u"--faults item 1 'drop:every=1,every=2': key 'every' is given twice; expected each "
                                  u"key once"_s;
    QTest::addRow("no value") << u"hole:len"_s
                              << u"--faults item 1 'hole:len': 'len' is not KEY=VALUE; expected every, len"_s;
    QTest::addRow("empty item") << u"drop;;hole"_s
                                << u"--faults item 2 '': empty; expected KIND[:KEY=VALUE,...]"_s;
    QTest::addRow("cutoff zero") << u"cutoff:after=0h"_s
                                 << u"--faults item 1 'cutoff:after=0h': after '0h' is zero; expected a duration "
                                    u"above 0"_s;
    QTest::addRow("every on standing") << u"weights:every=2"_s
                                       << u"--faults item 1 'weights:every=2': key 'every' is unknown for weights; "
                                          u"expected limit, ban_after"_s;
}

void TestReplayFaults::rejectsBadItems()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    const Result<QList<ReplayFaultItem>> items = parseReplayFaults(spec, u"--faults"_s);
    QVERIFY(!items.ok());
    QCOMPARE(items.error().message, message);
}

void TestReplayFaults::parsesDurations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::addRow("ms") << u"250ms"_s << qint64(250);
    QTest::addRow("s") << u"3s"_s << qint64(3000);
    QTest::addRow("m") << u"2m"_s << qint64(120000);
    QTest::addRow("h") << u"24h"_s << qint64(86400000);
    QTest::addRow("no unit") << u"5"_s << qint64(-1);
    QTest::addRow("no number") << u"s"_s << qint64(-1);
    QTest::addRow("fraction") << u"1.5s"_s << qint64(-1);
    QTest::addRow("days") << u"1d"_s << qint64(-1);
}

void TestReplayFaults::parsesDurations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const Result<qint64> parsed = parseReplayDuration(text);
    QCOMPARE(parsed.ok() ? *parsed : -1, ms);
}

void TestReplayFaults::countsRestRequests()
{
    ReplayFaults faults(1);
    faults.add(item(u"http429:every=3,retry_after=7"_s), kWall, kT0);
    faults.add(item(u"http5xx:every=2,status=503"_s), kWall, kT0);
    // The 6th request is due for both: 429 wins.
    QCOMPARE(statuses(faults, 7), (QList<int>{0, 503, 429, 503, 0, 429, 0}));
    QCOMPARE(faults.restRequests(), 7);
    ReplayFaults retry(1);
    retry.add(item(u"http429:every=1,retry_after=7"_s), kWall, kT0);
    QCOMPARE(retry.nextRestRequest().retryAfterS, 7);
}

void TestReplayFaults::firesOnceWithoutEvery()
{
    ReplayFaults faults(1);
    faults.add(item(u"http5xx:status=502"_s), kWall, kT0);
    faults.add(item(u"malformed"_s), kWall, kT0);
    const ReplayFaults::RestFault first = faults.nextRestRequest();
    QCOMPARE(first.status, 502);
    QVERIFY(first.malformed);
    const ReplayFaults::RestFault second = faults.nextRestRequest();
    QCOMPARE(second.status, 0);
    QVERIFY(!second.malformed);
}

void TestReplayFaults::countsFromWhenAdded()
{
    ReplayFaults faults(1);
    QCOMPARE(statuses(faults, 5), (QList<int>{0, 0, 0, 0, 0}));
    faults.add(item(u"http5xx:every=2"_s), kWall, kT0);
    QCOMPARE(statuses(faults, 4), (QList<int>{0, 500, 0, 500}));
}

void TestReplayFaults::holesAndDropsByBar()
{
    ReplayFaults faults(1);
    faults.add(item(u"hole:every=3,len=2"_s), kWall, kT0);
    faults.add(item(u"drop:every=5"_s), kWall, kT0);
    // Bars count from the first bar at T0 (ordinal 1); history (ordinals <= 0) is never touched.
    QCOMPARE(covered(faults, true), (QList<qint64>{3, 4, 6, 7, 9, 10, 12}));
    QCOMPARE(covered(faults, false), (QList<qint64>{5, 10}));
    ReplayFaults once(1);
    once.add(item(u"hole:len=2"_s), kWall, kT0);
    once.add(item(u"drop"_s), kWall, kT0);
    QCOMPARE(covered(once, true), (QList<qint64>{1, 2}));
    QCOMPARE(covered(once, false), (QList<qint64>{1}));
}

void TestReplayFaults::holeAddedLaterSparesHistory()
{
    ReplayFaults faults(1);
    faults.add(item(u"hole:every=2"_s), kWall + 180000, kT0 + 180); // three bars later: ordinal 4 counts first
    QCOMPARE(covered(faults, true), (QList<qint64>{5, 7, 9, 11}));
}

void TestReplayFaults::malformedStreamMessages()
{
    ReplayFaults faults(1);
    faults.add(item(u"malformed:every=2,target=stream"_s), kWall, kT0);
    QList<bool> cut;
    for (int i = 0; i < 4; ++i)
        cut << faults.nextStreamMessageMalformed();
    QCOMPARE(cut, (QList<bool>{false, true, false, true}));
    QVERIFY(!faults.nextRestRequest().malformed); // the stream target leaves REST alone
}

void TestReplayFaults::timedFaults()
{
    ReplayFaults faults(1);
    faults.add(item(u"disconnect:every=10s,for=3s,notice=true"_s), kWall, kT0);
    QVERIFY(faults.fireDue(kWall + 9999).isEmpty());
    const QList<ReplayFaultItem> fired = faults.fireDue(kWall + 10000);
    QCOMPARE(fired.size(), 1);
    QVERIFY(fired.constFirst().notice);
    QVERIFY(faults.refusesUpgrades(kWall + 12999));
    QVERIFY(!faults.refusesUpgrades(kWall + 13000));
    QVERIFY(faults.fireDue(kWall + 15000).isEmpty());
    QCOMPARE(faults.fireDue(kWall + 45000).size(), 1); // a late tick fires once
    QCOMPARE(faults.fireDue(kWall + 50000).size(), 1);

    faults.add(item(u"stall:for=4s"_s), kWall + 52000, kT0);
    QVERIFY(faults.fireDue(kWall + 52000).isEmpty()); // a stall closes nothing
    QVERIFY(faults.isStalled(kWall + 55999));
    QVERIFY(!faults.isStalled(kWall + 56000));
    QVERIFY(faults.fireDue(kWall + 58000).isEmpty()); // fired once only
    QVERIFY(!faults.isStalled(kWall + 58000));
}

void TestReplayFaults::standingItemsHoldAndReplace()
{
    ReplayFaults faults(1);
    QVERIFY(!faults.weights());
    QVERIFY(!faults.cutoffMs());
    faults.add(item(u"weights:limit=10"_s), kWall, kT0);
    faults.add(item(u"weights:limit=20"_s), kWall, kT0);
    faults.add(item(u"cutoff:after=1m"_s), kWall, kT0);
    QCOMPARE(faults.weights()->limit.value_or(0), 20);
    QCOMPARE(faults.cutoffMs().value_or(0), 60000);
    QCOMPARE(faults.texts(), (QStringList{u"weights:limit=10"_s, u"weights:limit=20"_s, u"cutoff:after=1m"_s}));
}

void TestReplayFaults::seededLatencyIsReproducible()
{
    const auto draws = [](quint64 seed) {
        ReplayFaults faults(seed);
        faults.add(item(u"latency:min=10ms,max=1000ms"_s), kWall, kT0);
        QList<qint64> delays;
        for (int i = 0; i < 50; ++i)
            delays << faults.nextRestRequest().delayMs;
        return delays;
    };
    const QList<qint64> first = draws(7);
    QCOMPARE(draws(7), first);
    QVERIFY(draws(8) != first);
    for (const qint64 delay : first)
        QVERIFY(delay >= 10 && delay <= 1000);
    QVERIFY(*std::max_element(first.begin(), first.end()) > *std::min_element(first.begin(), first.end()));
}

QTEST_GUILESS_MAIN(TestReplayFaults)
#include "tst_replayfaults.moc"
