// BF-10/11: committed 1m batches roll up into every derived timeframe, complete buckets only,
// through the core's own writer; checked against an aggregation computed here independently,
// on both shared data files, in order and out of order.
#include "core/backfill/derivedfanout.h"
#include "tests/support/testcore.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include "core/ingest/ingestwriter.h"

#include <QMap>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

// Every bucket whose tf/60 minutes are all present, aggregated the plain way.
CandleList expectedRollup(const CandleList &minutes, qint64 tf)
{
    QMap<qint64, CandleList> buckets;
    for (const Candle &c : minutes)
        buckets[c.time - c.time % tf].append(c);
    CandleList out;
    for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
        const CandleList &m = it.value();
        if (m.size() != tf / 60)
            continue;
        Candle b{it.key(), m.first().open, m.first().high, m.first().low, m.last().close, 0};
        for (const Candle &c : m) {
            b.high = std::max(b.high, c.high);
            b.low = std::min(b.low, c.low);
            b.volume += c.volume;
        }
        out.append(b);
    }
    return out;
}

qint64 nowAfter(const CandleList &rows)
{
    return (rows.last().time + 7 * 86400) * 1000;
}

} // namespace

class TestDerivedFanout : public QObject
{
    Q_OBJECT

private slots:
    void sharedFilesRollUp_data();
    void sharedFilesRollUp();
    void outOfOrderBackfillCompletesBuckets();
    void storedDerivedSeriesFollowAnyBase();
    void replayWritesNothing();
};

void TestDerivedFanout::sharedFilesRollUp_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("base");
    QTest::addRow("SSE composite") << u"sse_000001_1m.csv"_s << u"file:cn:000001.SH:1m"_s;
    QTest::addRow("CFFEX IF") << u"cffex_IFL8_1m_part1.csv"_s << u"file:cffex:IFL8:1m"_s;
}

void TestDerivedFanout::sharedFilesRollUp()
{
    QFETCH(QString, file);
    QFETCH(QString, base);
    const CandleList minutes = readPlainCsv(dataFile(file));
    QVERIFY(!minutes.isEmpty());
    TestCore core(nowAfter(minutes), {u"sync.series="_s + base});
    QVERIFY2(core.start(), qPrintable(core.error()));
    const SeriesId baseId = *SeriesId::parse(base);
    // Live-sized batches, as a stream or a backfill would commit them.
    for (qsizetype i = 0; i < minutes.size(); i += 2000)
        QVERIFY(core.ingest(baseId, minutes.mid(i, 2000)));
    for (const QString &tf : {u"5m"_s, u"15m"_s, u"1h"_s, u"4h"_s, u"1d"_s}) {
        const SeriesId derived = baseId.withTimeframe(*Timeframe::parse(tf));
        const CandleList expected = expectedRollup(minutes, derived.timeframe().seconds());
        QTRY_COMPARE_WITH_TIMEOUT(core.stored(derived).size(), expected.size(), 20000);
        QCOMPARE(core.stored(derived), expected);
    }
}

void TestDerivedFanout::outOfOrderBackfillCompletesBuckets()
{
    const CandleList minutes = readPlainCsv(dataFile(u"sse_000001_1m.csv"_s)).mid(0, 600);
    const SeriesId base = *SeriesId::parse(u"file:cn:000001.SH:1m"_s);
    TestCore core(nowAfter(minutes), {u"sync.series="_s + base.toString()});
    QVERIFY2(core.start(), qPrintable(core.error()));
    // Every other minute first: no 5m bucket is complete, none is written.
    CandleList even, odd;
    for (qsizetype i = 0; i < minutes.size(); ++i)
        (i % 2 ? odd : even).append(minutes.at(i));
    QVERIFY(core.ingest(base, even));
    const SeriesId fiveMinutes = base.withTimeframe(*Timeframe::parse(u"5m"));
    QVERIFY(core.ingest(base, odd));
    const CandleList expected = expectedRollup(minutes, 300);
    QTRY_COMPARE(core.stored(fiveMinutes).size(), expected.size());
    QCOMPARE(core.stored(fiveMinutes), expected);
}

void TestDerivedFanout::storedDerivedSeriesFollowAnyBase()
{
    const CandleList minutes = readPlainCsv(dataFile(u"cffex_IFL8_1m_part1.csv"_s)).mid(0, 480);
    const SeriesId base = *SeriesId::parse(u"file:cffex:IFL8:1m"_s);
    const SeriesId twoHours = base.withTimeframe(*Timeframe::parse(u"2h"));
    TestCore core(nowAfter(minutes)); // the base is not a sync series
    QVERIFY(core.seed(twoHours, {Candle{0, 1, 1, 1, 1, 1}})); // a 2h series already exists
    QVERIFY2(core.start(), qPrintable(core.error()));
    QVERIFY(core.ingest(base, minutes));
    const CandleList expected = CandleList{Candle{0, 1, 1, 1, 1, 1}} + expectedRollup(minutes, 7200);
    QTRY_COMPARE(core.stored(twoHours).size(), expected.size());
    QCOMPARE(core.stored(twoHours), expected);
    // Timeframes not stored and not configured for this base are not derived.
    QVERIFY(core.stored(base.withTimeframe(*Timeframe::parse(u"5m"))).isEmpty());
}

void TestDerivedFanout::replayWritesNothing()
{
    const CandleList minutes = readPlainCsv(dataFile(u"sse_000001_1m.csv"_s)).mid(0, 300);
    const SeriesId base = *SeriesId::parse(u"file:cn:000001.SH:1m"_s);
    TestCore core(nowAfter(minutes), {u"sync.series="_s + base.toString()});
    QVERIFY2(core.start(), qPrintable(core.error()));
    QVERIFY(core.ingest(base, minutes));
    const SeriesId oneHour = base.withTimeframe(*Timeframe::parse(u"1h"));
    QTRY_VERIFY(!core.stored(oneHour).isEmpty());
    const CandleList before = core.stored(oneHour);
    QSignalSpy committed(core.core().writer(), &ingest::IngestWriter::candlesCommitted);
    QVERIFY(core.ingest(base, minutes)); // ING-12: identical rows publish nothing, derive nothing
    QCOMPARE(committed.count(), 0);
    QCOMPARE(core.stored(oneHour), before);
}

QTEST_GUILESS_MAIN(TestDerivedFanout)
#include "tst_derivedfanout.moc"
