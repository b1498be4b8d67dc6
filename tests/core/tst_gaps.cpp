#include "core/domain/gaps.h"

#include "tests/core/goldendata.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::Gap;
using gapless::GapScanner;
using gapless::Timeframe;

using GapList = QList<Gap>;
using TimeList = QList<qint64>;

namespace QTest {
template<>
char *toString(const Gap &gap)
{
    const QByteArray text = QByteArray::number(gap.prevTime) + ' ' + QByteArray::number(gap.nextTime) + ' '
        + QByteArray::number(gap.missingBars);
    return qstrdup(text.constData());
}
} // namespace QTest

class TestGaps final : public QObject
{
    Q_OBJECT

private slots:
    void findsGaps_data();
    void findsGaps();
    void scannerTracksTotals();
    void emptyScanner();
    void golden_data();
    void golden();
};

void TestGaps::findsGaps_data()
{
    QTest::addColumn<QString>("timeframe");
    QTest::addColumn<TimeList>("times");
    QTest::addColumn<GapList>("expected");
    // DOM-10: next - prev > tf, missing_bars = (next - prev) div tf - 1, given order, no calendar.
    QTest::addRow("empty") << u"1m"_s << TimeList{} << GapList{};
    QTest::addRow("one row") << u"1m"_s << TimeList{60} << GapList{};
    QTest::addRow("contiguous") << u"1m"_s << TimeList{60, 120, 180} << GapList{};
    QTest::addRow("one bar missing") << u"1m"_s << TimeList{60, 180} << GapList{{60, 180, 1}};
    QTest::addRow("lunch break") << u"1m"_s << TimeList{1718335740, 1718341200} << GapList{{1718335740, 1718341200, 90}};
    QTest::addRow("weekend at 1h") << u"1h"_s << TimeList{0, 3 * 86400} << GapList{{0, 259200, 71}};
    QTest::addRow("two gaps") << u"5m"_s << TimeList{0, 300, 1200, 1500, 3000}
                              << GapList{{300, 1200, 2}, {1500, 3000, 4}};
    QTest::addRow("duplicate is not a gap") << u"1m"_s << TimeList{60, 60, 120} << GapList{};
    QTest::addRow("out of order is not a gap") << u"1m"_s << TimeList{60, 600, 120, 180} << GapList{{60, 600, 8}};
    QTest::addRow("gap measured from the out-of-order row")
        << u"1m"_s << TimeList{600, 60, 300} << GapList{{60, 300, 3}};
    QTest::addRow("unaligned step just over tf") << u"1m"_s << TimeList{60, 121} << GapList{{60, 121, 0}};
    QTest::addRow("unaligned wide step") << u"1m"_s << TimeList{60, 250} << GapList{{60, 250, 2}};
}

void TestGaps::findsGaps()
{
    QFETCH(QString, timeframe);
    QFETCH(TimeList, times);
    QFETCH(GapList, expected);
    QCOMPARE(gapless::findGaps(times, *Timeframe::parse(timeframe)), expected);
}

void TestGaps::scannerTracksTotals()
{
    // CLI-11: rows, first/last time in feed order, gap count, missing total.
    GapScanner scanner(*Timeframe::parse(u"1m"));
    QCOMPARE(scanner.add(600), std::nullopt);
    QCOMPARE(scanner.add(720), std::optional<Gap>(Gap{600, 720, 1}));
    QCOMPARE(scanner.add(60), std::nullopt);
    QCOMPARE(scanner.add(420), std::optional<Gap>(Gap{60, 420, 5}));
    QCOMPARE(scanner.rowCount(), 4);
    QCOMPARE(scanner.firstTime(), std::optional<qint64>(600));
    QCOMPARE(scanner.lastTime(), std::optional<qint64>(420));
    QCOMPARE(scanner.gapCount(), 2);
    QCOMPARE(scanner.missingBarsTotal(), 6);
    QCOMPARE(scanner.gaps(), (GapList{{600, 720, 1}, {60, 420, 5}}));
}

void TestGaps::emptyScanner()
{
    const GapScanner scanner(*Timeframe::parse(u"1m"));
    QCOMPARE(scanner.rowCount(), 0);
    QCOMPARE(scanner.firstTime(), std::nullopt);
    QCOMPARE(scanner.lastTime(), std::nullopt);
    QCOMPARE(scanner.gapCount(), 0);
    QCOMPARE(scanner.missingBarsTotal(), 0);
}

void TestGaps::golden_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("sse_000001_1m") << u"sse_000001_1m"_s;
    QTest::addRow("cffex_IFL8_1m_part1") << u"cffex_IFL8_1m_part1"_s;
}

void TestGaps::golden()
{
    // DOM-10 over a whole file in file order, against tests/data/expected/<name>.json.
    QFETCH(QString, name);
    const gapless::test::CandleCsv csv = gapless::test::readCandleCsv(name + u".csv"_s);
    QVERIFY2(csv.error.isEmpty(), qPrintable(csv.error));
    QString error;
    const QJsonObject golden = gapless::test::readJsonObject(u"expected/"_s + name + u".json"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const auto tf = Timeframe::fromSeconds(golden.value(u"timeframe_seconds").toInteger());
    QVERIFY(tf.ok());
    GapScanner scanner(*tf);
    QMap<qint64, qint64> histogram;
    for (const gapless::Candle &c : csv.candles) {
        if (const auto gap = scanner.add(c.time))
            ++histogram[gap->nextTime - gap->prevTime];
    }

    GapList expected;
    for (const QJsonValue &v : golden.value(u"gaps").toArray()) {
        const QJsonObject g = v.toObject();
        expected.append(Gap{g.value(u"prev_time").toInteger(), g.value(u"next_time").toInteger(),
                            g.value(u"missing_bars").toInteger()});
    }
    QCOMPARE(scanner.gaps(), expected);
    QCOMPARE(scanner.gapCount(), golden.value(u"gap_count").toInteger());
    QCOMPARE(scanner.missingBarsTotal(), golden.value(u"missing_bars_total").toInteger());
    QCOMPARE(scanner.rowCount(), golden.value(u"rows").toInteger());
    QCOMPARE(scanner.firstTime(), std::optional<qint64>(golden.value(u"first_time").toInteger()));
    QCOMPARE(scanner.lastTime(), std::optional<qint64>(golden.value(u"last_time").toInteger()));

    QMap<qint64, qint64> expectedHistogram;
    const QJsonObject goldenHistogram = golden.value(u"gap_size_seconds_histogram").toObject();
    for (auto it = goldenHistogram.begin(); it != goldenHistogram.end(); ++it)
        expectedHistogram.insert(it.key().toLongLong(), it.value().toInteger());
    QCOMPARE(histogram, expectedHistogram);
}

QTEST_GUILESS_MAIN(TestGaps)
#include "tst_gaps.moc"
