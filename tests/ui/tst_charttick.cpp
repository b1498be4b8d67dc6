// UI-9: price and time ticks, hand-checked.
#include "ui/chart/charttick.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless::ui;

class TestChartTick final : public QObject
{
    Q_OBJECT

private slots:
    void priceStep_data();
    void priceStep();
    void priceTicksAreMultiplesInRange();
    void timeStep_data();
    void timeStep();
    void timeLabel_data();
    void timeLabel();
    void timeTicks_data();
    void timeTicks();
};

void TestChartTick::priceStep_data()
{
    QTest::addColumn<double>("range");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("step");
    QTest::addColumn<int>("decimals");
    // step ≥ range ÷ floor(h / 50); decimals max(0, −k), +1 for m = 2.5 with k ≤ 0.
    QTest::addRow("10 over 10 ticks: 1") << 10.0 << 500 << 1.0 << 0;
    QTest::addRow("0.37 over 6 ticks: 0.1") << 0.37 << 300 << 0.1 << 1;
    QTest::addRow("43 over 8 ticks: 10") << 43.0 << 400 << 10.0 << 0;
    QTest::addRow("1.1 over 10 ticks: 0.2") << 1.1 << 500 << 0.2 << 1;
    QTest::addRow("0.2 over 9 ticks: 0.025, 3 decimals") << 0.2 << 450 << 0.025 << 3;
    QTest::addRow("24 over 10 ticks: 2.5, 1 decimal") << 24.0 << 500 << 2.5 << 1;
    QTest::addRow("240 over 10 ticks: 25, k = 1") << 240.0 << 500 << 25.0 << 0;
    QTest::addRow("2000 over 2 ticks: 1000") << 2000.0 << 100 << 1000.0 << 0;
    QTest::addRow("exact 3 over 3 ticks: 1") << 3.0 << 150 << 1.0 << 0;
    QTest::addRow("30 px still one tick") << 3.0 << 30 << 5.0 << 0;
    QTest::addRow("btc 64000..65000 over 16") << 1000.0 << 800 << 100.0 << 0;
    QTest::addRow("empty range: 1") << 0.0 << 500 << 1.0 << 0;
    QTest::addRow("negative range: 1") << -5.0 << 500 << 1.0 << 0;
    QTest::addRow("NaN range: 1") << std::nan("") << 500 << 1.0 << 0;
}

void TestChartTick::priceStep()
{
    QFETCH(double, range);
    QFETCH(int, height);
    QFETCH(double, step);
    QFETCH(int, decimals);
    const charttick::PriceStep got = charttick::priceStep(range, height);
    QVERIFY2(std::abs(got.step - step) < step * 1e-9, qPrintable(QString::number(got.step)));
    QCOMPARE(got.decimals, decimals);
}

void TestChartTick::priceTicksAreMultiplesInRange()
{
    const QList<double> ticks = charttick::priceTicks(99.93, 100.41, 0.1);
    QCOMPARE(ticks.size(), 5);
    QCOMPARE(charttick::formatPrice(ticks.constFirst(), 1), u"100.0"_s);
    QCOMPARE(charttick::formatPrice(ticks.constLast(), 1), u"100.4"_s);
    QVERIFY(charttick::priceTicks(1, 0, 0.1).isEmpty());
    QVERIFY(charttick::priceTicks(0, 1, 0).isEmpty());
}

void TestChartTick::timeStep_data()
{
    QTest::addColumn<double>("pxPerSecond");
    QTest::addColumn<qint64>("step");
    QTest::addRow("1m bars at 6 px: 15 min") << 6.0 / 60 << qint64(900);
    QTest::addRow("1m bars at 64 px: 2 min") << 64.0 / 60 << qint64(120);
    QTest::addRow("1m bars at 80 px: 1 min") << 80.0 / 60 << qint64(60);
    QTest::addRow("1m bars at 0.5 px: 3 h") << 0.5 / 60 << qint64(10800);
    QTest::addRow("1h bars at 6 px: 1 d") << 6.0 / 3600 << qint64(86400);
    QTest::addRow("1d bars at 6 px: 1 mo") << 6.0 / 86400 << qint64(30 * 86400);
    QTest::addRow("1d bars at 0.01 px: 1 y") << 0.01 / 86400 << qint64(365 * 86400);
}

void TestChartTick::timeStep()
{
    QFETCH(double, pxPerSecond);
    QFETCH(qint64, step);
    QCOMPARE(charttick::timeStep(pxPerSecond), step);
}

void TestChartTick::timeLabel_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<qint64>("previous");
    QTest::addColumn<QString>("label");
    const qint64 t = 1709296200; // 2024-03-01 12:30 UTC
    QTest::addRow("same day: HH:MM") << t << qint64(1709295300) << u"12:30"_s;
    QTest::addRow("day change: MM-DD") << t << qint64(1709209800) << u"03-01"_s;
    QTest::addRow("year change: YYYY-MM-DD") << qint64(1704067200) << qint64(1704063600) << u"2024-01-01"_s;
}

void TestChartTick::timeLabel()
{
    QFETCH(qint64, time);
    QFETCH(qint64, previous);
    QFETCH(QString, label);
    QCOMPARE(charttick::timeLabel(time, previous, true), label);
}

void TestChartTick::timeTicks_data()
{
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QList<qint64>>("ticks");
    QTest::addRow("hours") << qint64(1709296200) << qint64(1709305200) << qint64(3600)
                           << QList<qint64>{1709298000, 1709301600, 1709305200};
    QTest::addRow("weeks start on Monday") << qint64(1709251200) << qint64(1710892800) << qint64(7 * 86400)
                                           << QList<qint64>{1709510400, 1710115200, 1710720000};
    QTest::addRow("months on the 1st") << qint64(1705276800) << qint64(1712707200) << qint64(30 * 86400)
                                       << QList<qint64>{1706745600, 1709251200, 1711929600};
    QTest::addRow("quarters") << qint64(1698883200) << qint64(1722470400) << qint64(90 * 86400)
                              << QList<qint64>{1704067200, 1711929600, 1719792000};
    QTest::addRow("reversed range: none") << qint64(10) << qint64(0) << qint64(60) << QList<qint64>{};
}

void TestChartTick::timeTicks()
{
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(qint64, step);
    QFETCH(QList<qint64>, ticks);
    QCOMPARE(charttick::timeTicks(from, to, step, true), ticks);
}

QTEST_GUILESS_MAIN(TestChartTick)
#include "tst_charttick.moc"
