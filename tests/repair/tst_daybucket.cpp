// Day buckets, checksums and the bucket diff (REP-2, REP-3, REP-4), against hashes computed
// by hand (Python hashlib over the literal lines).
#include "core/repair/daybucket.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::repair;

class TestDayBucket : public QObject
{
    Q_OBJECT

private slots:
    void rep3_lineIsShortestRoundTrip();
    void rep3_checksumsOfKnownRows();
    void rep3_emptyBucketIsHashOfNothing();
    void rep2_spansAreUtcDaysClippedToTheRange();
    void rep4_diffSortsRowsIntoMissingExtraDiffer();
    void rep4_exactCompare();
    void rowsInIsHalfOpen();
};

void TestDayBucket::rep3_lineIsShortestRoundTrip()
{
    QCOMPARE(checksumLine(Candle{1718328600, 3020.96, 3021.78, 3015.67, 3018.92, 107160608}),
             "1718328600,3020.96,3021.78,3015.67,3018.92,107160608\n"_ba);
    // -0 prints as 0; whole numbers as integers; tiny values in exponent form.
    QCOMPARE(checksumLine(Candle{1718328660, 0.1, 1e-07, -0.0, 2.5, 100000}), "1718328660,0.1,1e-07,0,2.5,100000\n"_ba);
}

void TestDayBucket::rep3_checksumsOfKnownRows()
{
    const Candle a{1718328600, 3020.96, 3021.78, 3015.67, 3018.92, 107160608};
    const Candle b{1718328660, 0.1, 1e-07, -0.0, 2.5, 100000};
    QCOMPARE(bucketChecksum({a}), u"0babb770ef2c0afbcb7f9676f424aade8bb996d1e6b697f49add76ba93836a79"_s);
    QCOMPARE(bucketChecksum({a, b}), u"5c6407cafb31f8788f213f6ba07afcd344b1e54cf4984aa120fe9a2c31ce5bb6"_s);
    // -0 and 0 hash alike, as they compare equal.
    QCOMPARE(bucketChecksum({a, Candle{1718328660, 0.1, 1e-07, 0.0, 2.5, 100000}}), bucketChecksum({a, b}));
}

void TestDayBucket::rep3_emptyBucketIsHashOfNothing()
{
    QCOMPARE(bucketChecksum({}), u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s);
}

void TestDayBucket::rep2_spansAreUtcDaysClippedToTheRange()
{
    // 2024-06-14T01:30Z to 2024-06-16T00:05Z: a partial day, a whole day, five minutes.
    const QList<DaySpan> spans = daySpans(1718328600, 1718496300);
    QCOMPARE(spans.size(), 3);
    QCOMPARE(spans.at(0), (DaySpan{1718328600, 1718409600}));
    QCOMPARE(spans.at(1), (DaySpan{1718409600, 1718496000}));
    QCOMPARE(spans.at(2), (DaySpan{1718496000, 1718496300}));
    QCOMPARE(spans.at(0).name(), u"2024-06-14"_s);
    QCOMPARE(spans.at(1).name(), u"2024-06-15"_s);
    QCOMPARE(spans.at(2).name(), u"2024-06-16"_s);
    QVERIFY(daySpans(100, 100).isEmpty());
    QVERIFY(daySpans(200, 100).isEmpty());
}

void TestDayBucket::rep4_diffSortsRowsIntoMissingExtraDiffer()
{
    const CandleList local{{60, 1, 2, 1, 2, 5}, {120, 1, 2, 1, 2, 5}, {240, 1, 2, 1, 2, 5}, {300, 1, 2, 1, 2, 5}};
    const CandleList source{{0, 1, 2, 1, 2, 5}, {120, 1, 2, 1, 2, 6}, {180, 1, 2, 1, 2, 5}, {300, 1, 2, 1, 2, 5}};
    const BucketDiff d = diffRows(local, source);
    QCOMPARE(d.missing, (QList<qint64>{0, 180}));
    QCOMPARE(d.extra, (QList<qint64>{60, 240}));
    QCOMPARE(d.differ, (QList<qint64>{120}));
    QVERIFY(diffRows(source, source).isEmpty());
    QCOMPARE(diffRows({}, source).missing.size(), 4);
    QCOMPARE(diffRows(local, {}).extra.size(), 4);
}

void TestDayBucket::rep4_exactCompare()
{
    const double close = 3018.92;
    const double nudged = std::nextafter(close, 4000.0); // one ulp apart
    const BucketDiff d = diffRows({{60, 1, 2, 1, close, 5}}, {{60, 1, 2, 1, nudged, 5}});
    QCOMPARE(d.differ, (QList<qint64>{60}));
    QVERIFY(bucketChecksum({{60, 1, 2, 1, close, 5}}) != bucketChecksum({{60, 1, 2, 1, nudged, 5}}));
}

void TestDayBucket::rowsInIsHalfOpen()
{
    const CandleList rows{{0, 1, 1, 1, 1, 1}, {60, 1, 1, 1, 1, 1}, {120, 1, 1, 1, 1, 1}};
    QCOMPARE(rowsIn(rows, 60, 120).size(), 1);
    QCOMPARE(rowsIn(rows, 0, 121).size(), 3);
    QCOMPARE(rowsIn(rows, 121, 500).size(), 0);
}

QTEST_GUILESS_MAIN(TestDayBucket)
#include "tst_daybucket.moc"
