// SRC-3 and SRC-5: the exchange clock from /time replies and the per-minute weight budget.
#include "core/sources/binance/exchangeclock.h"
#include "core/sources/binance/weightbudget.h"

#include <QTest>

using namespace gapless::sources;

class TestWeightBudget : public QObject
{
    Q_OBJECT

private slots:
    void clockFollowsServerAndSpeed();
    void budgetWaitsForNextMinute();
    void headerReplacesLocalCount();
};

void TestWeightBudget::clockFollowsServerAndSpeed()
{
    ExchangeClock clock;
    QCOMPARE(clock.nowMs(5000), 5000); // unsynced: the local clock
    clock.update(1'000'000, 1, 10'000, 10'200); // round trip 200 ms, midpoint 10 100
    QCOMPARE(clock.nowMs(10'100), 1'000'000);
    QCOMPARE(clock.nowMs(11'100), 1'001'000);
    clock.update(1'000'000, 60, 10'000, 10'000); // replay at 60x
    QCOMPARE(clock.nowMs(11'000), 1'060'000);
    // 1 000 000 ms is 40 s into its minute: 20 s of exchange time = 1/3 s of local time.
    QCOMPARE(clock.nextMinuteLocalMs(10'000), 10'334);
}

void TestWeightBudget::budgetWaitsForNextMinute()
{
    ExchangeClock clock;
    clock.update(60'000 * 100 + 30'000, 1, 0, 0); // 30 s into an exchange minute at local 0
    WeightBudget budget(100, 80);                 // 80 per minute may be used
    qint64 wait = -1;
    for (int i = 0; i < 16; ++i)
        QVERIFY(budget.reserve(5, 0, clock, &wait));
    QCOMPARE(wait, 0);
    QVERIFY(!budget.reserve(5, 0, clock, &wait));
    QCOMPARE(wait, 30'000 + 250);
    QVERIFY(budget.reserve(5, 30'250, clock, &wait)); // a new minute starts from 0
    QCOMPARE(budget.used(30'250, clock), 5);
}

void TestWeightBudget::headerReplacesLocalCount()
{
    ExchangeClock clock;
    clock.update(0, 1, 0, 0);
    WeightBudget budget(6000, 80);
    qint64 wait = 0;
    const auto a = budget.reserve(2, 0, clock, &wait);
    const auto b = budget.reserve(2, 0, clock, &wait);
    const auto c = budget.reserve(2, 0, clock, &wait);
    QCOMPARE(budget.used(0, clock), 6);
    // Other clients of the same IP used 1000: the header says so after request a.
    budget.observeReply(*a, 1002, 10, clock);
    QCOMPARE(budget.used(10, clock), 1006); // plus b and c, still unanswered
    budget.observeReply(*c, 1006, 20, clock);
    QCOMPARE(budget.used(20, clock), 1006);
    budget.observeReply(*b, std::nullopt, 30, clock); // no header: the count stays
    QCOMPARE(budget.used(30, clock), 1006);
}

QTEST_GUILESS_MAIN(TestWeightBudget)
#include "tst_weightbudget.moc"
