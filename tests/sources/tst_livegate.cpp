// SRC-9: the live gate. With last = the base head, a closed bar t <= last is ignored,
// t = last + 60 goes in, t > last + 60 is held while [last + 60, t - 60] is healed, then the
// healed rows and t go in (t also when the heal failed); last := t.
#include "core/sources/binance/livegate.h"

#include <QTest>

using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kLast = 1700000040;

Candle bar(qint64 time, double close = 10)
{
    return Candle{time, close, close + 1, close - 1, close, 5};
}

QList<qint64> times(const CandleList &candles)
{
    QList<qint64> out;
    for (const Candle &c : candles)
        out << c.time;
    return out;
}

using Kind = LiveGate::Step::Kind;

} // namespace

class TestLiveGate : public QObject
{
    Q_OBJECT

private slots:
    void ignoresBarsAtOrBeforeLast();
    void ingestsTheNextBar();
    void ingestsARunOfBarsInOneStep();
    void holdsAndHeals();
    void failedHealStillIngests();
    void healKeepsOnlyRowsInsideTheHole();
    void queuesBehindAHeal();
    void emptyStoreTakesTheFirstBar();
    void headPassingTheHeldBarIgnoresIt();
    void resetDropsQueueAndHeal();
};

void TestLiveGate::ignoresBarsAtOrBeforeLast()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast - 60));
    gate.offer(bar(kLast));
    QCOMPARE(gate.next().kind, Kind::Idle);
    QCOMPARE(gate.ignored(), 2);
    QCOMPARE(gate.last(), kLast);
}

void TestLiveGate::ingestsTheNextBar()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 60, 12));
    const LiveGate::Step step = gate.next();
    QCOMPARE(step.kind, Kind::Ingest);
    QCOMPARE(step.candles, CandleList{bar(kLast + 60, 12)});
    QVERIFY(step.healed.isEmpty());
    QCOMPARE(gate.last(), kLast + 60);
    QCOMPARE(gate.next().kind, Kind::Idle);
}

void TestLiveGate::ingestsARunOfBarsInOneStep()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 60));
    gate.offer(bar(kLast + 60)); // a repeat: ignored
    gate.offer(bar(kLast + 120));
    const LiveGate::Step step = gate.next();
    QCOMPARE(step.kind, Kind::Ingest);
    QCOMPARE(times(step.candles), (QList<qint64>{kLast + 60, kLast + 120}));
    QCOMPARE(gate.ignored(), 1);
    QCOMPARE(gate.last(), kLast + 120);
}

void TestLiveGate::holdsAndHeals()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 240));
    const LiveGate::Step heal = gate.next();
    QCOMPARE(heal.kind, Kind::Heal);
    QCOMPARE(heal.from, kLast + 60);
    QCOMPARE(heal.to, kLast + 180);
    QVERIFY(gate.isHealing());
    QCOMPARE(gate.last(), kLast); // held: nothing moved yet
    QCOMPARE(gate.next().kind, Kind::Idle);

    const LiveGate::Step done = gate.finishHeal({bar(kLast + 60), bar(kLast + 120), bar(kLast + 180)});
    QCOMPARE(done.kind, Kind::Ingest);
    QCOMPARE(times(done.healed), (QList<qint64>{kLast + 60, kLast + 120, kLast + 180}));
    QCOMPARE(times(done.candles), QList<qint64>{kLast + 240});
    QCOMPARE(gate.last(), kLast + 240);
    QVERIFY(!gate.isHealing());
}

void TestLiveGate::failedHealStillIngests()
{
    // SRC-9: a failed heal still ingests t; PROTO-15 announces the hole, BF-6 retries it.
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 180));
    QCOMPARE(gate.next().kind, Kind::Heal);
    const LiveGate::Step done = gate.finishHeal({});
    QCOMPARE(done.kind, Kind::Ingest);
    QVERIFY(done.healed.isEmpty());
    QCOMPARE(times(done.candles), QList<qint64>{kLast + 180});
    QCOMPARE(gate.last(), kLast + 180);
}

void TestLiveGate::healKeepsOnlyRowsInsideTheHole()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 180));
    QCOMPARE(gate.next().kind, Kind::Heal);
    // Rows outside (last, t), repeats and rows out of order are not ingested twice.
    const LiveGate::Step done = gate.finishHeal(
        {bar(kLast), bar(kLast + 60), bar(kLast + 60), bar(kLast + 120), bar(kLast + 180), bar(kLast + 240)});
    QCOMPARE(times(done.healed), (QList<qint64>{kLast + 60, kLast + 120}));
    QCOMPARE(times(done.candles), QList<qint64>{kLast + 180});
}

void TestLiveGate::queuesBehindAHeal()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 120));
    QCOMPARE(gate.next().kind, Kind::Heal);
    gate.offer(bar(kLast + 180)); // arrives while the heal runs: waits for it
    gate.offer(bar(kLast + 300)); // a second hole behind it
    QCOMPARE(gate.next().kind, Kind::Idle);
    QCOMPARE(gate.queued(), 2);
    const LiveGate::Step done = gate.finishHeal({bar(kLast + 60)});
    QCOMPARE(times(done.healed), QList<qint64>{kLast + 60});
    QCOMPARE(times(done.candles), QList<qint64>{kLast + 120});
    const LiveGate::Step run = gate.next();
    QCOMPARE(run.kind, Kind::Ingest);
    QCOMPARE(times(run.candles), QList<qint64>{kLast + 180});
    const LiveGate::Step heal = gate.next();
    QCOMPARE(heal.kind, Kind::Heal);
    QCOMPARE(heal.from, kLast + 240);
    QCOMPARE(heal.to, kLast + 240);
}

void TestLiveGate::emptyStoreTakesTheFirstBar()
{
    LiveGate gate;
    gate.reset(std::nullopt);
    gate.offer(bar(kLast + 600));
    const LiveGate::Step step = gate.next();
    QCOMPARE(step.kind, Kind::Ingest);
    QCOMPARE(times(step.candles), QList<qint64>{kLast + 600});
    QCOMPARE(gate.last(), kLast + 600);
}

void TestLiveGate::headPassingTheHeldBarIgnoresIt()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 180));
    QCOMPARE(gate.next().kind, Kind::Heal);
    gate.advanceTo(kLast + 240); // stored by a backfill meanwhile
    const LiveGate::Step done = gate.finishHeal({bar(kLast + 60)});
    QVERIFY(done.healed.isEmpty());
    QVERIFY(done.candles.isEmpty());
    QCOMPARE(gate.last(), kLast + 240);
    QCOMPARE(gate.ignored(), 1);
}

void TestLiveGate::resetDropsQueueAndHeal()
{
    LiveGate gate;
    gate.reset(kLast);
    gate.offer(bar(kLast + 180));
    QCOMPARE(gate.next().kind, Kind::Heal);
    gate.offer(bar(kLast + 240));
    gate.reset(kLast + 60);
    QVERIFY(!gate.isHealing());
    QCOMPARE(gate.queued(), 0);
    QCOMPARE(gate.last(), kLast + 60);
    QCOMPARE(gate.finishHeal({}).kind, Kind::Idle);
}

QTEST_GUILESS_MAIN(TestLiveGate)
#include "tst_livegate.moc"
