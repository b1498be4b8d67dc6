// ReplayClock (SRC-15): V = w0 + (wall - w0)·X from an injected wall clock, T0 = floor_60(w0).
#include "core/sources/replay/replayclock.h"

#include <QTest>

using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kW0 = 1700000075500; // 35.5 s into a minute

} // namespace

class TestReplayClock final : public QObject
{
    Q_OBJECT

private slots:
    void runsAtSpeed_data();
    void runsAtSpeed();
    void tapeStartsAtTheMinuteOfW0();
    void convertsVirtualSpansToWall();
};

void TestReplayClock::runsAtSpeed_data()
{
    QTest::addColumn<double>("speed");
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<qint64>("virtualMs");
    QTest::addRow("real time") << 1.0 << qint64(1234) << kW0 + 1234;
    QTest::addRow("at start") << 60.0 << qint64(0) << kW0;
    QTest::addRow("60x") << 60.0 << qint64(1000) << kW0 + 60000;
    QTest::addRow("3600x") << 3600.0 << qint64(1000) << kW0 + 3600000;
    QTest::addRow("half speed rounds down") << 0.5 << qint64(3) << kW0 + 1;
}

void TestReplayClock::runsAtSpeed()
{
    QFETCH(double, speed);
    QFETCH(qint64, elapsedMs);
    QFETCH(qint64, virtualMs);
    FixedClock wall(kW0);
    const ReplayClock clock(wall, speed);
    wall.setNowMs(kW0 + elapsedMs);
    QCOMPARE(clock.nowMs(), virtualMs);
    QCOMPARE(clock.wallMs(), kW0 + elapsedMs);
    QCOMPARE(clock.startMs(), kW0);
    QCOMPARE(clock.speed(), speed);
}

void TestReplayClock::tapeStartsAtTheMinuteOfW0()
{
    FixedClock wall(kW0);
    const ReplayClock clock(wall, 10);
    QCOMPARE(clock.tapeStart(), qint64(1700000040));
    wall.setNowMs(kW0 + 600000);
    QCOMPARE(clock.tapeStart(), qint64(1700000040)); // fixed at w0
}

void TestReplayClock::convertsVirtualSpansToWall()
{
    FixedClock wall(kW0);
    const ReplayClock clock(wall, 60);
    QCOMPARE(clock.wallSpan(120000), qint64(2000));
    QCOMPARE(clock.wallSpan(1), qint64(1)); // rounded up, never early
}

QTEST_GUILESS_MAIN(TestReplayClock)
#include "tst_replayclock.moc"
