#include "core/domain/candlevalidator.h"

#include "tests/core/goldendata.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::AnomalyKind;
using gapless::AnomalySet;
using gapless::Candle;
using gapless::CandleList;
using gapless::SequenceValidator;
using gapless::Timeframe;

namespace {

const Timeframe kM1 = *Timeframe::parse(u"1m");

// A clean 1m bar at `time`.
Candle bar(qint64 time)
{
    return Candle{time, 10, 12, 9, 11, 100};
}

Candle withValues(qint64 time, double open, double high, double low, double close, double volume)
{
    return Candle{time, open, high, low, close, volume};
}

QString joined(AnomalySet kinds)
{
    return kinds.names().join(u',');
}

} // namespace

class TestCandleValidator final : public QObject
{
    Q_OBJECT

private slots:
    void rowKinds_data();
    void rowKinds();
    void sequence_data();
    void sequence();
    void resetStartsANewSequence();
    void closed_data();
    void closed();
    void rejects_data();
    void rejects();
    void goldenAnomalies_data();
    void goldenAnomalies();
};

void TestCandleValidator::rowKinds_data()
{
    QTest::addColumn<Candle>("candle");
    QTest::addColumn<QString>("expected");
    // DOM-7: each kind on its own, with its boundary.
    QTest::addRow("clean") << bar(60) << QString();
    QTest::addRow("flat bar is clean") << withValues(60, 5, 5, 5, 5, 1) << QString();
    QTest::addRow("high_below_low") << withValues(60, 10, 9, 9.5, 9.5, 1)
                                    << u"high_below_low,open_above_high,close_above_high"_s;
    QTest::addRow("negative_volume") << withValues(60, 10, 12, 9, 11, -1) << u"negative_volume"_s;
    QTest::addRow("nonpositive_price zero low") << withValues(60, 10, 12, 0, 11, 1) << u"nonpositive_price"_s;
    QTest::addRow("nonpositive_price negative close")
        << withValues(60, 10, 12, -1, -1, 1) << u"nonpositive_price"_s;
    QTest::addRow("nonpositive_price negative zero") << withValues(60, 10, 12, -0.0, 11, 1) << u"nonpositive_price"_s;
    QTest::addRow("time_not_aligned") << bar(61) << u"time_not_aligned"_s;
    QTest::addRow("time_not_aligned 1h into 1m") << bar(3600 + 30) << u"time_not_aligned"_s;
    QTest::addRow("open_above_high") << withValues(60, 13, 12, 9, 11, 1) << u"open_above_high"_s;
    QTest::addRow("open_below_low") << withValues(60, 8, 12, 9, 11, 1) << u"open_below_low"_s;
    QTest::addRow("close_above_high") << withValues(60, 10, 12, 9, 12.5, 1) << u"close_above_high"_s;
    QTest::addRow("close_below_low") << withValues(60, 10, 12, 9, 8.99, 1) << u"close_below_low"_s;
    QTest::addRow("zero_volume") << withValues(60, 10, 12, 9, 11, 0) << u"zero_volume"_s;
    QTest::addRow("negative zero volume") << withValues(60, 10, 12, 9, 11, -0.0) << u"zero_volume"_s;
    QTest::addRow("every row kind at once")
        << withValues(61, -1, 2, 3, 4, -5)
        << u"high_below_low,negative_volume,nonpositive_price,time_not_aligned,open_below_low,close_above_high"_s;
}

void TestCandleValidator::rowKinds()
{
    QFETCH(Candle, candle);
    QFETCH(QString, expected);
    QCOMPARE(joined(gapless::checkCandle(candle, kM1)), expected);
    // The first row of a sequence has no earlier rows, so it gets the same kinds.
    SequenceValidator validator(kM1);
    QCOMPARE(joined(validator.check(candle)), expected);
}

void TestCandleValidator::sequence_data()
{
    QTest::addColumn<CandleList>("rows");
    QTest::addColumn<QStringList>("expected");
    // DOM-7: duplicate_time against any earlier row, time_not_increasing against the preceding
    // one; earlier and preceding rows include rejected ones.
    QTest::addRow("ascending") << CandleList{bar(60), bar(120), bar(300)} << QStringList{{}, {}, {}};
    QTest::addRow("repeated time")
        << CandleList{bar(60), bar(60)} << QStringList{QString(), u"duplicate_time"_s};
    QTest::addRow("duplicate after a rejected row")
        << CandleList{bar(60), withValues(120, 10, 9, 11, 10, 1), bar(120)}
        << QStringList{QString(),
                       u"high_below_low,open_above_high,open_below_low,close_above_high,close_below_low"_s,
                       u"duplicate_time"_s};
    QTest::addRow("preceding row is a rejected one")
        << CandleList{bar(60), withValues(600, 10, 12, 9, 11, -1), bar(120)}
        << QStringList{QString(), u"negative_volume"_s, u"time_not_increasing"_s};
    QTest::addRow("out of order")
        << CandleList{bar(60), bar(180), bar(120), bar(240), bar(180)}
        << QStringList{QString(), QString(), u"time_not_increasing"_s, QString(),
                       u"duplicate_time,time_not_increasing"_s};
    QTest::addRow("back then forward again")
        << CandleList{bar(600), bar(60), bar(120)} << QStringList{QString(), u"time_not_increasing"_s, QString()};
    QTest::addRow("duplicate of a non-adjacent row")
        << CandleList{bar(60), bar(120), bar(180), bar(60)}
        << QStringList{QString(), QString(), QString(), u"duplicate_time,time_not_increasing"_s};
    QTest::addRow("every reject kind in one row")
        << CandleList{bar(61), bar(120), withValues(61, 0, 5, 6, 7, -1)}
        << QStringList{u"time_not_aligned"_s, QString(),
                       u"high_below_low,negative_volume,nonpositive_price,time_not_aligned,duplicate_time,"
                       "time_not_increasing,open_below_low,close_above_high"_s};
    QTest::addRow("keep kinds beside a duplicate")
        << CandleList{bar(60), withValues(60, 13, 12, 9, 8, 0)}
        << QStringList{QString(), u"duplicate_time,open_above_high,close_below_low,zero_volume"_s};
}

void TestCandleValidator::sequence()
{
    QFETCH(CandleList, rows);
    QFETCH(QStringList, expected);
    SequenceValidator validator(kM1);
    QStringList actual;
    for (const Candle &row : rows)
        actual.append(joined(validator.check(row)));
    QCOMPARE(actual, expected);
    QCOMPARE(validator.rowCount(), rows.size());
    QCOMPARE(validator.lastTime(), std::optional<qint64>(rows.last().time));
}

void TestCandleValidator::resetStartsANewSequence()
{
    SequenceValidator validator(kM1);
    QCOMPARE(validator.lastTime(), std::nullopt);
    QVERIFY(validator.check(bar(120)).isEmpty());
    validator.reset();
    QCOMPARE(validator.rowCount(), 0);
    QCOMPARE(validator.lastTime(), std::nullopt);
    QVERIFY(validator.check(bar(120)).isEmpty());
    QVERIFY(validator.check(bar(60)).contains(AnomalyKind::TimeNotIncreasing));
}

void TestCandleValidator::closed_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("closed");
    // DOM-5: closed iff time + tf <= now
    QTest::addRow("exactly at close") << qint64(1735689600) << qint64(1735689660) << true;
    QTest::addRow("one second early") << qint64(1735689600) << qint64(1735689659) << false;
    QTest::addRow("long closed") << qint64(0) << qint64(1735689659) << true;
    QTest::addRow("at open") << qint64(1735689600) << qint64(1735689600) << false;
    QTest::addRow("future bar") << qint64(1735689660) << qint64(1735689600) << false;
    QTest::addRow("huge time") << std::numeric_limits<qint64>::max() << qint64(1735689600) << false;
}

void TestCandleValidator::closed()
{
    QFETCH(qint64, time);
    QFETCH(qint64, now);
    QFETCH(bool, closed);
    QCOMPARE(gapless::isClosed(bar(time), kM1, now), closed);
}

void TestCandleValidator::rejects_data()
{
    QTest::addColumn<AnomalySet>("kinds");
    QTest::addColumn<bool>("rejectSoft");
    QTest::addColumn<bool>("rejected");
    // DOM-8 and ingest.reject_soft_anomalies
    QTest::addRow("clean") << AnomalySet() << false << false;
    QTest::addRow("clean, soft on") << AnomalySet() << true << false;
    QTest::addRow("keep kind") << AnomalySet{AnomalyKind::ZeroVolume} << false << false;
    QTest::addRow("keep kind, soft on") << AnomalySet{AnomalyKind::ZeroVolume} << true << true;
    QTest::addRow("reject kind") << AnomalySet{AnomalyKind::DuplicateTime} << false << true;
    QTest::addRow("reject and keep") << AnomalySet{AnomalyKind::CloseBelowLow, AnomalyKind::TimeNotAligned} << false
                                     << true;
    QTest::addRow("every keep kind")
        << AnomalySet{AnomalyKind::OpenAboveHigh, AnomalyKind::OpenBelowLow, AnomalyKind::CloseAboveHigh,
                      AnomalyKind::CloseBelowLow, AnomalyKind::ZeroVolume}
        << false << false;
}

void TestCandleValidator::rejects()
{
    QFETCH(AnomalySet, kinds);
    QFETCH(bool, rejectSoft);
    QFETCH(bool, rejected);
    QCOMPARE(gapless::rejects(kinds, rejectSoft), rejected);
}

void TestCandleValidator::goldenAnomalies_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("sse_000001_1m") << u"sse_000001_1m"_s;
    QTest::addRow("cffex_IFL8_1m_part1") << u"cffex_IFL8_1m_part1"_s;
}

void TestCandleValidator::goldenAnomalies()
{
    // DOM-7 over a whole file in file order, against tests/data/expected/<name>.json.
    QFETCH(QString, name);
    const gapless::test::CandleCsv csv = gapless::test::readCandleCsv(name + u".csv"_s);
    QVERIFY2(csv.error.isEmpty(), qPrintable(csv.error));
    QString error;
    const QJsonObject golden = gapless::test::readJsonObject(u"expected/"_s + name + u".json"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(golden.value(u"timeframe_seconds").toInteger(), kM1.seconds());

    SequenceValidator validator(kM1);
    QStringList actual;
    QMap<QString, qint64> counts;
    for (qsizetype i = 0; i < csv.candles.size(); ++i) {
        const Candle &c = csv.candles.at(i);
        for (const AnomalyKind kind : validator.check(c)) {
            actual.append(u"%1 %2 %3"_s.arg(csv.lines.at(i)).arg(c.time).arg(gapless::anomalyKindName(kind)));
            ++counts[gapless::anomalyKindName(kind)];
        }
    }
    QStringList expected;
    for (const QJsonValue &v : golden.value(u"anomalies").toArray()) {
        const QJsonObject a = v.toObject();
        expected.append(u"%1 %2 %3"_s.arg(a.value(u"line").toInteger())
                            .arg(a.value(u"time").toInteger())
                            .arg(a.value(u"kind").toString()));
    }
    QCOMPARE(actual, expected);

    QMap<QString, qint64> expectedCounts;
    const QJsonObject goldenCounts = golden.value(u"anomaly_counts").toObject();
    for (auto it = goldenCounts.begin(); it != goldenCounts.end(); ++it)
        expectedCounts.insert(it.key(), it.value().toInteger());
    QCOMPARE(counts, expectedCounts);
    QCOMPARE(counts.value(u"duplicate_time"_s), golden.value(u"duplicate_times").toInteger());
    QCOMPARE(counts.value(u"time_not_increasing"_s), golden.value(u"out_of_order").toInteger());
    QCOMPARE(validator.rowCount(), golden.value(u"rows").toInteger());
}

QTEST_GUILESS_MAIN(TestCandleValidator)
#include "tst_candlevalidator.moc"
