#include "core/domain/anomaly.h"

#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using gapless::AnomalyKind;
using gapless::AnomalySet;
using gapless::Candle;
using gapless::Timeframe;

class TestAnomaly final : public QObject
{
    Q_OBJECT

private slots:
    void names_data();
    void names();
    void unknownNameIsRefused();
    void setIteratesInSpecOrder();
    void setOperations();
    void details_data();
    void details();
};

void TestAnomaly::names_data()
{
    QTest::addColumn<AnomalyKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("reject");
    QTest::addColumn<int>("order");
    // DOM-7 names and order, DOM-8 reject/keep split
    QTest::addRow("high_below_low") << AnomalyKind::HighBelowLow << u"high_below_low"_s << true << 0;
    QTest::addRow("negative_volume") << AnomalyKind::NegativeVolume << u"negative_volume"_s << true << 1;
    QTest::addRow("nonpositive_price") << AnomalyKind::NonpositivePrice << u"nonpositive_price"_s << true << 2;
    QTest::addRow("time_not_aligned") << AnomalyKind::TimeNotAligned << u"time_not_aligned"_s << true << 3;
    QTest::addRow("duplicate_time") << AnomalyKind::DuplicateTime << u"duplicate_time"_s << true << 4;
    QTest::addRow("time_not_increasing") << AnomalyKind::TimeNotIncreasing << u"time_not_increasing"_s << true << 5;
    QTest::addRow("open_above_high") << AnomalyKind::OpenAboveHigh << u"open_above_high"_s << false << 6;
    QTest::addRow("open_below_low") << AnomalyKind::OpenBelowLow << u"open_below_low"_s << false << 7;
    QTest::addRow("close_above_high") << AnomalyKind::CloseAboveHigh << u"close_above_high"_s << false << 8;
    QTest::addRow("close_below_low") << AnomalyKind::CloseBelowLow << u"close_below_low"_s << false << 9;
    QTest::addRow("zero_volume") << AnomalyKind::ZeroVolume << u"zero_volume"_s << false << 10;
}

void TestAnomaly::names()
{
    QFETCH(AnomalyKind, kind);
    QFETCH(QString, name);
    QFETCH(bool, reject);
    QFETCH(int, order);
    QCOMPARE(gapless::anomalyKindName(kind), name);
    QCOMPARE(gapless::isRejectKind(kind), reject);
    AnomalyKind parsed = AnomalyKind::ZeroVolume;
    QVERIFY(gapless::anomalyKindFromName(name, &parsed));
    QCOMPARE(parsed, kind);
    QCOMPARE(static_cast<int>(kind), order); // DOM-7 order
}

void TestAnomaly::unknownNameIsRefused()
{
    AnomalyKind kind = AnomalyKind::ZeroVolume;
    QVERIFY(!gapless::anomalyKindFromName(u"High_Below_Low", &kind));
    QVERIFY(!gapless::anomalyKindFromName(u"", &kind));
    QCOMPARE(kind, AnomalyKind::ZeroVolume);
}

void TestAnomaly::setIteratesInSpecOrder()
{
    // Inserted out of order; reports list kinds in DOM-7 order (CLI-11).
    AnomalySet set;
    set.insert(AnomalyKind::ZeroVolume);
    set.insert(AnomalyKind::HighBelowLow);
    set.insert(AnomalyKind::DuplicateTime);
    set.insert(AnomalyKind::OpenAboveHigh);
    const QList<AnomalyKind> expected{AnomalyKind::HighBelowLow, AnomalyKind::DuplicateTime,
                                      AnomalyKind::OpenAboveHigh, AnomalyKind::ZeroVolume};
    QCOMPARE(set.kinds(), expected);
    QList<AnomalyKind> iterated;
    for (const AnomalyKind kind : set)
        iterated.append(kind);
    QCOMPARE(iterated, expected);
    QCOMPARE(set.names(),
             QStringList({u"high_below_low"_s, u"duplicate_time"_s, u"open_above_high"_s, u"zero_volume"_s}));

    AnomalySet all;
    for (int i = 0; i < gapless::kAnomalyKindCount; ++i)
        all.insert(static_cast<AnomalyKind>(i));
    QCOMPARE(all.size(), gapless::kAnomalyKindCount);
    const QList<AnomalyKind> kinds = all.kinds();
    for (int i = 0; i < kinds.size(); ++i)
        QCOMPARE(static_cast<int>(kinds.at(i)), i);
}

void TestAnomaly::setOperations()
{
    AnomalySet set;
    QVERIFY(set.isEmpty());
    QCOMPARE(set.size(), 0);
    QVERIFY(set.kinds().isEmpty());
    QVERIFY(!set.containsRejectKind());
    QVERIFY(set.begin() == set.end());

    set.insert(AnomalyKind::CloseBelowLow);
    set.insert(AnomalyKind::CloseBelowLow);
    QCOMPARE(set.size(), 1);
    QVERIFY(set.contains(AnomalyKind::CloseBelowLow));
    QVERIFY(!set.contains(AnomalyKind::CloseAboveHigh));
    QVERIFY(!set.containsRejectKind());

    set |= AnomalySet{AnomalyKind::TimeNotIncreasing};
    QVERIFY(set.containsRejectKind());
    QCOMPARE(set, (AnomalySet{AnomalyKind::TimeNotIncreasing, AnomalyKind::CloseBelowLow}));

    set.remove(AnomalyKind::TimeNotIncreasing);
    QCOMPARE(set, AnomalySet{AnomalyKind::CloseBelowLow});
    QVERIFY(!set.containsRejectKind());
    QVERIFY((AnomalySet{AnomalyKind::HighBelowLow} | AnomalySet{AnomalyKind::ZeroVolume}).contains(AnomalyKind::ZeroVolume));
}

void TestAnomaly::details_data()
{
    QTest::addColumn<AnomalyKind>("kind");
    QTest::addColumn<Candle>("candle");
    QTest::addColumn<qint64>("previous"); // -1 = not given
    QTest::addColumn<QString>("expected");
    // DOM-13: `<problem>; expected <what>`, numbers in shortest round-trip form.
    const Candle ok{1718328600, 3020.96, 3021.78, 3015.67, 3018.92, 107160608};
    Candle c = ok;
    c.high = 10;
    c.low = 11;
    QTest::addRow("high_below_low") << AnomalyKind::HighBelowLow << c << qint64(-1)
                                    << u"high 10 is below low 11; expected high >= low"_s;
    c = ok;
    c.volume = -2.5;
    QTest::addRow("negative_volume") << AnomalyKind::NegativeVolume << c << qint64(-1)
                                     << u"volume -2.5 is negative; expected volume >= 0"_s;
    c = ok;
    c.low = 0;
    QTest::addRow("nonpositive_price one") << AnomalyKind::NonpositivePrice << c << qint64(-1)
                                           << u"low 0 is not positive; expected open, high, low and close > 0"_s;
    c = ok;
    c.open = -1;
    c.close = -0.0;
    QTest::addRow("nonpositive_price two")
        << AnomalyKind::NonpositivePrice << c << qint64(-1)
        << u"open -1, close 0 are not positive; expected open, high, low and close > 0"_s;
    c = ok;
    c.time = 1718328601;
    QTest::addRow("time_not_aligned")
        << AnomalyKind::TimeNotAligned << c << qint64(-1)
        << u"time 1718328601 is not aligned to 1m; expected a multiple of 60 s (1718328600 or 1718328660)"_s;
    QTest::addRow("duplicate_time") << AnomalyKind::DuplicateTime << ok << qint64(-1)
                                    << u"time 1718328600 repeats an earlier row's; expected each time once"_s;
    QTest::addRow("time_not_increasing with previous")
        << AnomalyKind::TimeNotIncreasing << ok << qint64(1718328660)
        << u"time 1718328600 is before the preceding row's 1718328660; expected increasing times"_s;
    QTest::addRow("time_not_increasing without previous")
        << AnomalyKind::TimeNotIncreasing << ok << qint64(-1)
        << u"time 1718328600 is before the preceding row's; expected increasing times"_s;
    c = ok;
    c.open = 3022;
    QTest::addRow("open_above_high") << AnomalyKind::OpenAboveHigh << c << qint64(-1)
                                     << u"open 3022 is above high 3021.78; expected open <= high"_s;
    c.open = 3015;
    QTest::addRow("open_below_low") << AnomalyKind::OpenBelowLow << c << qint64(-1)
                                    << u"open 3015 is below low 3015.67; expected open >= low"_s;
    c = ok;
    c.close = 3021.79;
    QTest::addRow("close_above_high") << AnomalyKind::CloseAboveHigh << c << qint64(-1)
                                      << u"close 3021.79 is above high 3021.78; expected close <= high"_s;
    c.close = 2962.85;
    c.low = 2962.86;
    QTest::addRow("close_below_low") << AnomalyKind::CloseBelowLow << c << qint64(-1)
                                     << u"close 2962.85 is below low 2962.86; expected close >= low"_s;
    c = ok;
    c.volume = 0;
    QTest::addRow("zero_volume") << AnomalyKind::ZeroVolume << c << qint64(-1) << u"volume is 0; expected volume > 0"_s;
}

void TestAnomaly::details()
{
    QFETCH(AnomalyKind, kind);
    QFETCH(Candle, candle);
    QFETCH(qint64, previous);
    QFETCH(QString, expected);
    const std::optional<qint64> previousTime = previous < 0 ? std::nullopt : std::optional<qint64>(previous);
    QCOMPARE(gapless::anomalyDetail(kind, candle, *Timeframe::parse(u"1m"), previousTime), expected);
}

QTEST_GUILESS_MAIN(TestAnomaly)
#include "tst_anomaly.moc"
