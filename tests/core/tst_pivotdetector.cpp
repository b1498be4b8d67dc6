#include "core/ingest/pivotdetector.h"

#include "tests/core/factortestutil.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::Candle;
using gapless::CandleList;
using gapless::PivotDetector;
using gapless::PivotEvent;
using gapless::Timeframe;
using gapless::test::describeAll;
using gapless::test::minuteBars;

using TimeList = QList<qint64>;
using PriceList = QList<double>;

namespace {

const Timeframe kM1 = *Timeframe::parse(u"1m");

// Lows half a point under the highs: their troughs are the highs' troughs, so a row about
// resistance has no support unless it says so.
PriceList below(const PriceList &highs)
{
    PriceList lows;
    for (const double high : highs)
        lows.append(high - 0.5);
    return lows;
}

QList<PivotEvent> feedAll(PivotDetector &detector, const CandleList &candles)
{
    QList<PivotEvent> events;
    for (const Candle &candle : candles)
        events.append(detector.add(candle));
    return events;
}

QList<PivotEvent> majorsOnly(const QList<PivotEvent> &events)
{
    QList<PivotEvent> majors;
    for (const PivotEvent &event : events) {
        if (event.major)
            majors.append(event);
    }
    return majors;
}

} // namespace

class TestPivotDetector final : public QObject
{
    Q_OBJECT

private slots:
    void findsMajors_data();
    void findsMajors();
    void findsMinors_data();
    void findsMinors();
    void keepsOnlyTheWindow();
    void ignoresCandlesNotAfterThePrevious();
    void restoredDetectorContinuesTheSame_data();
    void restoredDetectorContinuesTheSame();
};

void TestPivotDetector::findsMajors_data()
{
    QTest::addColumn<CandleList>("candles");
    QTest::addColumn<QStringList>("expected");
    // FAC-7 with W = 2 (w = 1; minors filtered out): events as `key price @visible_time`.
    const PriceList peak{1, 2, 5, 3, 2};
    QTest::addRow("clean peak") << minuteBars(peak, below(peak)) << QStringList{u"major:120:resistance:2 5 @240"_s};
    QTest::addRow("clean trough") << minuteBars({9, 8, 7, 8, 9}, {6, 5, 2, 4, 5})
                                  << QStringList{u"major:120:support:2 2 @240"_s};
    QTest::addRow("too few bars") << minuteBars({1, 2, 5, 3}, {0.5, 1.5, 4.5, 2.5}) << QStringList{};
    // Strict on the left, non-strict on the right: the earliest bar of a plateau wins.
    const PriceList plateau{1, 2, 5, 5, 2, 1};
    QTest::addRow("plateau high, earliest wins")
        << minuteBars(plateau, below(plateau)) << QStringList{u"major:120:resistance:2 5 @240"_s};
    QTest::addRow("plateau low, earliest wins")
        << minuteBars({9, 8, 7, 7, 8, 9}, {5, 4, 2, 2, 4, 5}) << QStringList{u"major:120:support:2 2 @240"_s};
    const PriceList leftEqual{5, 2, 5, 3, 2};
    QTest::addRow("equal high on the left blocks") << minuteBars(leftEqual, below(leftEqual)) << QStringList{};
    // An outside bar: highest high and lowest low; resistance is emitted first.
    QTest::addRow("resistance and support at one bar")
        << minuteBars({2, 3, 9, 3, 2}, {1.5, 2.5, 0.5, 2.5, 1.5})
        << QStringList{u"major:120:resistance:2 9 @240"_s, u"major:120:support:2 0.5 @240"_s};
    const PriceList zigzag{1, 2, 5, 3, 2, 4, 2, 3, 1};
    QTest::addRow("several")
        << minuteBars(zigzag, below(zigzag))
        << QStringList{u"major:120:resistance:2 5 @240"_s, u"major:240:support:2 1.5 @360"_s,
                       u"major:300:resistance:2 4 @420"_s};
    // FAC-9: minute 3 is missing, so the peak at minute 2 (window 0..4) is never a pivot.
    QTest::addRow("hole inside the window")
        << minuteBars({0, 1, 2, 4, 5, 6}, {1, 2, 5, 3, 2, 1}, {0.5, 1.5, 4.5, 2.5, 1.5, 0.5}) << QStringList{};
    // FAC-9: minutes 3..9 missing; the peak at 11 = h + 1 would need minute 9.
    QTest::addRow("peak one bar after a hole")
        << minuteBars({0, 1, 2, 10, 11, 12, 13}, {1, 1.5, 2, 3, 10, 4, 3}, {0.5, 1, 1.5, 2.5, 9.5, 3.5, 2.5})
        << QStringList{};
    // FAC-9: the hole ends at h = 600; the first major is h + W·tf = 720, visible h + 2W·tf = 840.
    QTest::addRow("first major after a hole")
        << minuteBars({0, 1, 2, 10, 11, 12, 13, 14}, {1, 1.5, 2, 1, 8, 9, 3, 2}, {0.5, 1, 1.5, 0.5, 7.5, 8.5, 2.5, 1.5})
        << QStringList{u"major:720:resistance:2 9 @840"_s};
}

void TestPivotDetector::findsMajors()
{
    QFETCH(CandleList, candles);
    QFETCH(QStringList, expected);
    PivotDetector detector(kM1, 2, 1);
    QCOMPARE(describeAll(majorsOnly(feedAll(detector, candles))), expected);
}

void TestPivotDetector::findsMinors_data()
{
    QTest::addColumn<int>("majorWindow");
    QTest::addColumn<int>("minorWindow");
    QTest::addColumn<CandleList>("candles");
    QTest::addColumn<QStringList>("expected");
    // FAC-8, every event in emission order: majors first at a tick, then minors.
    QTest::addRow("no minor before any major")
        << 2 << 1 << minuteBars({1, 2, 5, 3}, {0.5, 1.5, 4.5, 2.5}) << QStringList{};
    // The minor peak at minute 2 (visible at tick 3) comes before the first major, so it is
    // not emitted; minute 4 (support, q - w·tf = 180 >= 120) is the first minor.
    const PriceList zigzag{1, 2, 5, 3, 2, 4, 2, 3, 1};
    QTest::addRow("minors after a major")
        << 2 << 1 << minuteBars(zigzag, below(zigzag))
        << QStringList{u"major:120:resistance:2 5 @240"_s,  u"minor:240:support:1 1.5 @300"_s,
                       u"major:240:support:2 1.5 @360"_s,   u"minor:300:resistance:1 4 @360"_s,
                       u"major:300:resistance:2 4 @420"_s,  u"minor:360:support:1 1.5 @420"_s,
                       u"minor:420:resistance:1 3 @480"_s};
    // W = 3, w = 2: the major at minute 3 shows at tick 6, where the minor trough at minute 4
    // (window 2..6) reaches back before it: q - w·tf = 120 < 180, suppressed. At tick 8 the
    // peak at minute 6 has q - w·tf = 240 >= 180 and is emitted.
    QTest::addRow("minor window before the latest major")
        << 3 << 2
        << minuteBars({1, 2, 3, 9, 4, 3, 6, 5, 1}, {0.3, 0.4, 2.5, 8, 0.5, 2.5, 1.5, 4, 0.5})
        << QStringList{u"major:180:resistance:3 9 @360"_s, u"minor:360:resistance:2 6 @480"_s};
}

void TestPivotDetector::findsMinors()
{
    QFETCH(int, majorWindow);
    QFETCH(int, minorWindow);
    QFETCH(CandleList, candles);
    QFETCH(QStringList, expected);
    PivotDetector detector(kM1, majorWindow, minorWindow);
    QCOMPARE(describeAll(feedAll(detector, candles)), expected);
}

void TestPivotDetector::keepsOnlyTheWindow()
{
    PivotDetector detector(kM1, 3, 1);
    QCOMPARE(detector.windowCapacity(), 7);
    QCOMPARE(detector.lastTime(), std::nullopt);
    const PriceList highs{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const CandleList candles = minuteBars(highs, below(highs));
    feedAll(detector, candles);
    QCOMPARE(detector.window(), candles.mid(3));
    QCOMPARE(detector.lastTime(), std::optional<qint64>(540));
}

void TestPivotDetector::ignoresCandlesNotAfterThePrevious()
{
    PivotDetector detector(kM1, 2, 1);
    const PriceList peak{1, 2, 5, 3, 2};
    const CandleList candles = minuteBars(peak, below(peak));
    for (qsizetype i = 0; i < 4; ++i)
        QVERIFY(detector.add(candles.at(i)).isEmpty());
    QVERIFY(detector.add(Candle{180, 99, 99, 0.1, 99, 1}).isEmpty()); // repeated time
    QVERIFY(detector.add(Candle{60, 99, 99, 0.1, 99, 1}).isEmpty());  // backwards
    QCOMPARE(describeAll(detector.add(candles.at(4))), QStringList{u"major:120:resistance:2 5 @240"_s});
}

void TestPivotDetector::restoredDetectorContinuesTheSame_data()
{
    QTest::addColumn<int>("split");
    // FAC-3: a restart between any two ticks changes nothing.
    for (int split = 0; split <= 14; ++split)
        QTest::addRow("restart before candle %d", split) << split;
}

void TestPivotDetector::restoredDetectorContinuesTheSame()
{
    QFETCH(int, split);
    // Two zigzags around a hole at minutes 9..10, so the window crosses it for some splits.
    const CandleList candles = minuteBars({0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15},
                                          {1, 2, 5, 3, 2, 4, 2, 3, 1, 2, 6, 3, 4, 1},
                                          {0.5, 1.5, 4.5, 2.5, 1.5, 3.5, 1.5, 2.5, 0.5, 1, 5, 1, 3, 0.5});
    PivotDetector full(kM1, 2, 1);
    const QList<PivotEvent> expected = feedAll(full, candles);
    QVERIFY(!majorsOnly(expected).isEmpty());

    PivotDetector before(kM1, 2, 1);
    const CandleList head = candles.mid(0, std::min<qsizetype>(split, candles.size()));
    QList<PivotEvent> events = feedAll(before, head);
    PivotDetector after(kM1, 2, 1);
    // What a restarted pipeline reads back: the stored candles up to head_time and the ledger.
    const QList<PivotEvent> majors = majorsOnly(events);
    after.restore(head, majors.isEmpty() ? std::nullopt : std::optional<qint64>(majors.constLast().pivotTime));
    QCOMPARE(after.window(), before.window());
    events.append(feedAll(after, candles.mid(head.size())));
    QCOMPARE(describeAll(events), describeAll(expected));
}

QTEST_GUILESS_MAIN(TestPivotDetector)
#include "tst_pivotdetector.moc"
