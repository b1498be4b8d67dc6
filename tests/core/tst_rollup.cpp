#include "core/domain/rollup.h"

#include "tests/core/goldendata.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::Candle;
using gapless::CandleList;
using gapless::RollupAccumulator;
using gapless::Timeframe;

namespace {

Timeframe tf(QStringView text)
{
    return *Timeframe::parse(text);
}

// A 1m bar at minute `minute` whose values tell the aggregate rules apart.
Candle minute(qint64 minute, double open, double high, double low, double close, double volume)
{
    return Candle{minute * 60, open, high, low, close, volume};
}

// Clean 1m bars at the given minutes.
CandleList minutes(std::initializer_list<qint64> list)
{
    CandleList candles;
    for (const qint64 m : list)
        candles.append(minute(m, 10, 12, 8, 11, 1));
    return candles;
}

} // namespace

class TestRollup final : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data();
    void accepts();
    void rejects_data();
    void rejects();
    void rollsUp_data();
    void rollsUp();
    void emitsABucketWhenItsLastSlotArrives();
    void skipsRowsThatAreNotSlots();
    void golden_data();
    void golden();
};

void TestRollup::accepts_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("target");
    // DOM-11: T > b, T mod b = 0, T mod 60 = 0
    QTest::addRow("1m to 5m") << u"1m"_s << u"5m"_s;
    QTest::addRow("1m to 1h") << u"1m"_s << u"1h"_s;
    QTest::addRow("5m to 15m") << u"5m"_s << u"15m"_s;
    QTest::addRow("1h to 1d") << u"1h"_s << u"1d"_s;
    QTest::addRow("1m to 7d") << u"1m"_s << u"7d"_s;
    QTest::addRow("2m to 90m") << u"2m"_s << u"90m"_s;
}

void TestRollup::accepts()
{
    QFETCH(QString, base);
    QFETCH(QString, target);
    const auto checked = gapless::checkRollup(tf(base), tf(target));
    QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().message));
}

void TestRollup::rejects_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("message");
    QTest::addRow("same")
        << u"1m"_s << u"1m"_s
        << u"roll-up 1m to 1m: target 1m is not longer than base 1m; expected a target longer than 1m"_s;
    QTest::addRow("shorter")
        << u"5m"_s << u"1m"_s
        << u"roll-up 5m to 1m: target 1m is not longer than base 5m; expected a target longer than 5m"_s;
    QTest::addRow("not a multiple")
        << u"2m"_s << u"5m"_s
        << u"roll-up 2m to 5m: target 5m is not a multiple of base 2m; expected a target that is a whole number of 2m bars"_s;
    QTest::addRow("1h to 90m")
        << u"1h"_s << u"90m"_s
        << u"roll-up 1h to 90m: target 90m is not a multiple of base 1h; expected a target that is a whole number of 1h bars"_s;
    QTest::addRow("unset") << QString() << u"1h"_s
                           << u"roll-up: timeframe not set; expected a base and a target timeframe"_s;
}

void TestRollup::rejects()
{
    QFETCH(QString, base);
    QFETCH(QString, target);
    QFETCH(QString, message);
    const auto checked = gapless::checkRollup(base.isEmpty() ? Timeframe() : tf(base), tf(target));
    QVERIFY(!checked.ok());
    QCOMPARE(checked.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(checked.error().message, message);
}

void TestRollup::rollsUp_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<CandleList>("base");
    QTest::addColumn<CandleList>("expected");
    QTest::addColumn<qint64>("incomplete");
    QTest::addColumn<qint64>("buckets");
    // DOM-11 from 1m
    QTest::addRow("empty") << u"5m"_s << CandleList{} << CandleList{} << qint64(0) << qint64(0);
    QTest::addRow("open first, high max, low min, close last, volume sum")
        << u"5m"_s
        << CandleList{minute(0, 10, 11, 9, 10.5, 1), minute(1, 10.5, 14, 10, 13, 2), minute(2, 13, 13.5, 7, 8, 3),
                      minute(3, 8, 9, 7.5, 8.5, 4), minute(4, 8.5, 10, 8, 9.5, 0)}
        << CandleList{Candle{0, 10, 14, 7, 9.5, 10}} << qint64(0) << qint64(1);
    QTest::addRow("missing slot is incomplete") << u"5m"_s << minutes({0, 1, 3, 4}) << CandleList{} << qint64(1)
                                                << qint64(1);
    QTest::addRow("missing first slot") << u"5m"_s << minutes({1, 2, 3, 4}) << CandleList{} << qint64(1) << qint64(1);
    QTest::addRow("filling last bucket is incomplete")
        << u"5m"_s << minutes({0, 1, 2, 3, 4, 5, 6}) << CandleList{Candle{0, 10, 12, 8, 11, 5}} << qint64(1)
        << qint64(2);
    QTest::addRow("partial first bucket")
        << u"5m"_s << minutes({3, 4, 5, 6, 7, 8, 9}) << CandleList{Candle{300, 10, 12, 8, 11, 5}} << qint64(1)
        << qint64(2);
    QTest::addRow("empty bucket between is not counted")
        << u"5m"_s << minutes({0, 1, 2, 3, 4, 10, 11, 12, 13, 14})
        << CandleList{Candle{0, 10, 12, 8, 11, 5}, Candle{600, 10, 12, 8, 11, 5}} << qint64(0) << qint64(2);
    QTest::addRow("single row buckets")
        << u"15m"_s << minutes({0, 20, 40}) << CandleList{} << qint64(3) << qint64(3);
    QTest::addRow("bucket is floor_T")
        << u"1h"_s << minutes({59, 60}) << CandleList{} << qint64(2) << qint64(2);
}

void TestRollup::rollsUp()
{
    QFETCH(QString, target);
    QFETCH(CandleList, base);
    QFETCH(CandleList, expected);
    QFETCH(qint64, incomplete);
    QFETCH(qint64, buckets);
    const gapless::RollupResult result = gapless::rollUp(base, tf(u"1m"), tf(target));
    QCOMPARE(result.complete, expected);
    QCOMPARE(result.incomplete, incomplete);
    QCOMPARE(result.buckets, buckets);
}

void TestRollup::emitsABucketWhenItsLastSlotArrives()
{
    // Streaming export (CLI-10) must not wait for the next bucket to emit a complete one.
    RollupAccumulator accumulator(tf(u"1m"), tf(u"5m"));
    const CandleList base = minutes({0, 1, 2, 3, 4, 5});
    for (int i = 0; i < 4; ++i)
        QCOMPARE(accumulator.add(base.at(i)), std::nullopt);
    QCOMPARE(accumulator.add(base.at(4)), std::optional<Candle>(Candle{0, 10, 12, 8, 11, 5}));
    QCOMPARE(accumulator.complete(), 1);
    QCOMPARE(accumulator.add(base.at(5)), std::nullopt);
    QCOMPARE(accumulator.incomplete(), 0);
    QCOMPARE(accumulator.buckets(), 2);
    accumulator.finish();
    QCOMPARE(accumulator.incomplete(), 1);
    QCOMPARE(accumulator.complete(), 1);
}

void TestRollup::skipsRowsThatAreNotSlots()
{
    RollupAccumulator accumulator(tf(u"1m"), tf(u"5m"));
    QCOMPARE(accumulator.add(minute(0, 10, 12, 8, 11, 1)), std::nullopt);
    QCOMPARE(accumulator.add(minute(0, 99, 99, 99, 99, 99)), std::nullopt); // repeated time
    QCOMPARE(accumulator.add(Candle{90, 99, 99, 99, 99, 99}), std::nullopt); // not aligned to 1m
    for (qint64 m = 1; m < 4; ++m)
        QCOMPARE(accumulator.add(minute(m, 10, 12, 8, 11, 1)), std::nullopt);
    QCOMPARE(accumulator.add(minute(2, 99, 99, 99, 99, 99)), std::nullopt); // backwards
    QCOMPARE(accumulator.add(minute(4, 10, 12, 8, 11, 1)), std::optional<Candle>(Candle{0, 10, 12, 8, 11, 5}));
    QCOMPARE(accumulator.skipped(), 3);
}

void TestRollup::golden_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("sse_000001_1m") << u"sse_000001_1m"_s;
    QTest::addRow("cffex_IFL8_1m_part1") << u"cffex_IFL8_1m_part1"_s;
}

void TestRollup::golden()
{
    // DOM-11 roll-up counts for 5m, 15m, 1h and the complete 1h bars, value for value.
    QFETCH(QString, name);
    const gapless::test::CandleCsv csv = gapless::test::readCandleCsv(name + u".csv"_s);
    QVERIFY2(csv.error.isEmpty(), qPrintable(csv.error));
    QString error;
    const QJsonObject golden = gapless::test::readJsonObject(u"expected/"_s + name + u".json"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QJsonObject rollups = golden.value(u"rollups").toObject();
    QCOMPARE(rollups.keys(), QStringList({u"300"_s, u"3600"_s, u"900"_s}));

    for (const QString &seconds : rollups.keys()) {
        const auto target = Timeframe::fromSeconds(seconds.toLongLong());
        QVERIFY(target.ok());
        const gapless::RollupResult result = gapless::rollUp(csv.candles, tf(u"1m"), *target);
        const QJsonObject counts = rollups.value(seconds).toObject();
        QCOMPARE(result.complete.size(), counts.value(u"complete").toInteger());
        QCOMPARE(result.incomplete, counts.value(u"incomplete").toInteger());
        QCOMPARE(result.buckets, result.complete.size() + result.incomplete);
        if (seconds != u"3600")
            continue;
        const QString barsFile = golden.value(u"rollup_1h_file").toString();
        QCOMPARE(barsFile, name + u"_1h.csv"_s);
        const gapless::test::CandleCsv bars = gapless::test::readCandleCsv(u"expected/"_s + barsFile);
        QVERIFY2(bars.error.isEmpty(), qPrintable(bars.error));
        QCOMPARE(result.complete, bars.candles);
    }
}

QTEST_GUILESS_MAIN(TestRollup)
#include "tst_rollup.moc"
