#include "core/protocol/heldcandles.h"

#include <QTest>

using gapless::Candle;
using gapless::CandleList;
using gapless::protocol::HeldCandles;

namespace {

Candle bar(qint64 time, double close = 100)
{
    return Candle{time, close, close + 1, close - 1, close, 10};
}

HeldCandles holding(const CandleList &candles)
{
    HeldCandles held;
    for (const Candle &c : candles) {
        if (!held.append(c))
            qFatal("fixture candles must ascend");
    }
    return held;
}

} // namespace

class TestHeldCandles final : public QObject
{
    Q_OBJECT

private slots:
    void appendsOnlyNewerCandles();
    void merges_data();
    void merges();
};

void TestHeldCandles::appendsOnlyNewerCandles()
{
    // PROTO-31
    HeldCandles held;
    QVERIFY(!held.newestTime());
    QVERIFY(held.append(bar(0)));
    QVERIFY(held.append(bar(60)));
    QVERIFY(!held.append(bar(60, 5)));
    QVERIFY(!held.append(bar(0)));
    QVERIFY(held.append(bar(180)));
    QCOMPARE(held.list(), (CandleList{bar(0), bar(60), bar(180)}));
    QCOMPARE(*held.newestTime(), 180);
}

void TestHeldCandles::merges_data()
{
    QTest::addColumn<CandleList>("held");
    QTest::addColumn<CandleList>("incoming");
    QTest::addColumn<CandleList>("expected");
    QTest::addColumn<CandleList>("inserted");
    QTest::addColumn<int>("replaced");

    const CandleList holed{bar(60), bar(240)};
    QTest::addRow("fills a hole") << holed << CandleList{bar(120), bar(180)}
                                  << CandleList{bar(60), bar(120), bar(180), bar(240)}
                                  << CandleList{bar(120), bar(180)} << 0;
    QTest::addRow("unsorted input") << holed << CandleList{bar(180), bar(120)}
                                    << CandleList{bar(60), bar(120), bar(180), bar(240)}
                                    << CandleList{bar(120), bar(180)} << 0;
    QTest::addRow("replaces changed values") << holed << CandleList{bar(60, 7), bar(240)}
                                             << CandleList{bar(60, 7), bar(240)} << CandleList{} << 1;
    QTest::addRow("identical values change nothing") << holed << holed << holed << CandleList{} << 0;
    QTest::addRow("last of equal times wins") << holed << CandleList{bar(120, 1), bar(120, 2)}
                                              << CandleList{bar(60), bar(120, 2), bar(240)}
                                              << CandleList{bar(120, 2)} << 0;
    QTest::addRow("nothing past the newest held") << holed << CandleList{bar(300), bar(0)}
                                                  << CandleList{bar(0), bar(60), bar(240)} << CandleList{bar(0)}
                                                  << 0;
    QTest::addRow("empty list takes nothing") << CandleList{} << CandleList{bar(60)} << CandleList{} << CandleList{}
                                              << 0;
}

void TestHeldCandles::merges()
{
    // PROTO-31: merge by time
    QFETCH(CandleList, held);
    QFETCH(CandleList, incoming);
    QFETCH(CandleList, expected);
    QFETCH(CandleList, inserted);
    QFETCH(int, replaced);
    HeldCandles candles = holding(held);
    const auto outcome = candles.merge(incoming);
    QCOMPARE(candles.list(), expected);
    QCOMPARE(outcome.inserted, inserted);
    QCOMPARE(outcome.replaced, replaced);
}

QTEST_GUILESS_MAIN(TestHeldCandles)
#include "tst_heldcandles.moc"
