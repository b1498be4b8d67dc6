// Verify (REP-1, REP-5): argument checks with messages naming the bad input, a file source
// whose rejected rows are counted, the exchange through the replay exchange, and the
// known-series cache (REP-12).
#include "core/repair/knownseries.h"
#include "core/repair/repairrun.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/replay/replaytape.h"
#include "core/store/candlestore.h"
#include "tests/repair/repairfixture.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::repair;
using namespace gapless::test;

namespace {

const SeriesId kFile = *SeriesId::parse(u"file:cn:000001.SH:1m"_s);
const SeriesId kSpot = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kNow = 1735689600;

void expectError(const Result<VerifyRequest> &r, ErrorCode code, const QString &names)
{
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QVERIFY2(r.error().message.contains(names), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(u"expected"_s), qPrintable(r.error().message));
}

} // namespace

class TestVerify : public QObject
{
    Q_OBJECT

private slots:
    void rep1_rangeIsCheckedAndClipped();
    void rep1_badArguments();
    void rep1_fileSourceCountsRejectedRows();
    void rep1_unknownSeriesAndMissingFile();
    void rep5_resultShape();
    void rep1_exchangeThroughTheReplayExchange();
    void rep12_unknownSeriesCostNoQuery();
};

void TestVerify::rep1_rangeIsCheckedAndClipped()
{
    auto r = makeVerifyRequest(kFile, 1718328600, 1718500000 / 60 * 60, u"file:/tmp/x.csv"_s, kNow);
    QVERIFY(r);
    QCOMPARE(r->source.path, u"/tmp/x.csv"_s);
    // `to` past now is clipped to the end of the newest closed bar.
    auto clipped = makeVerifyRequest(kFile, kNow - 600, kNow + 3600, {}, kNow + 90);
    QVERIFY(!clipped); // exchange needs a binance series
    auto spot = makeVerifyRequest(kSpot, kNow - 600, kNow + 3600, u"exchange"_s, kNow + 90);
    QVERIFY(spot);
    QCOMPARE(spot->to, kNow + 60);
    QVERIFY(!spot->source.isFile);
}

void TestVerify::rep1_badArguments()
{
    expectError(makeVerifyRequest(kFile, 1718328630, 1718500020, u"file:a.csv"_s, kNow), ErrorCode::BadRequest,
                u"from 1718328630"_s);
    expectError(makeVerifyRequest(kFile, 1718328600, 1718500030, u"file:a.csv"_s, kNow), ErrorCode::BadRequest,
                u"to 1718500030"_s);
    expectError(makeVerifyRequest(kFile, 1718500020, 1718328600, u"file:a.csv"_s, kNow), ErrorCode::BadRequest,
                u"from < to"_s);
    expectError(makeVerifyRequest(kFile, 1718328600, 1718328600, u"file:a.csv"_s, kNow), ErrorCode::BadRequest,
                u"empty range"_s);
    expectError(makeVerifyRequest(kFile, 1718328600, 1718500020, u"ftp:x"_s, kNow), ErrorCode::BadRequest,
                u"source 'ftp:x'"_s);
    expectError(makeVerifyRequest(kFile, 1718328600, 1718500020, u"file:"_s, kNow), ErrorCode::BadRequest,
                u"source 'file:'"_s);
    expectError(makeVerifyRequest(kFile, 1718328600, 1718500020, u"exchange"_s, kNow), ErrorCode::BadRequest,
                u"file:cn:000001.SH:1m"_s);
    expectError(makeVerifyRequest(kSpot, kNow, kNow + 600, u"exchange"_s, kNow), ErrorCode::BadRequest,
                u"no closed bar"_s);
}

void TestVerify::rep1_fileSourceCountsRejectedRows()
{
    RepairFixture fx;
    QVERIFY(fx.start());
    // A copy of day 0 with a malformed line and a high<low row; both rejected and counted.
    const CandleList day = fx.day(0);
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (const Candle &c : day)
        csv += checksumLine(c);
    csv += "1,2,3\n";
    csv += QByteArray::number(day.last().time + 60) + ",10,9,11,10,5\n";
    QTemporaryDir dir;
    const QString path = dir.filePath(u"day0.csv"_s);
    QVERIFY(writeFile(path, csv));
    LocalRepairControl control(1);
    SourceFetcher fetcher(nullptr, fx.core().clock());
    RepairServices services{fx.reader(), fetcher, control, fx.core().clock()};
    auto request = makeVerifyRequest(fx.series(), day.first().time, day.last().time + 60, u"file:"_s + path, kNow);
    QVERIFY(request);
    auto outcome = runVerify(services, *request);
    QVERIFY(outcome);
    const QJsonObject r = outcome->report.toJson();
    QCOMPARE(r.value("source_rejected"_L1).toInt(), 2);
    const QJsonArray messages = r.value("source_rejected_messages"_L1).toArray();
    QCOMPARE(messages.size(), 2);
    QVERIFY(messages.at(0).toString().startsWith(path + u":%1:"_s.arg(day.size() + 2)));
    QCOMPARE(r.value("buckets_differ"_L1).toInt(), 0);
    QCOMPARE(r.value("rows_source"_L1).toInteger(), day.size());
}

void TestVerify::rep1_unknownSeriesAndMissingFile()
{
    RepairFixture fx;
    QVERIFY(fx.start());
    LocalRepairControl control(1);
    SourceFetcher fetcher(nullptr, fx.core().clock());
    RepairServices services{fx.reader(), fetcher, control, fx.core().clock()};
    const SeriesId other = *SeriesId::parse(u"file:cn:NOPE:1m"_s);
    auto unknown = runVerify(services, *makeVerifyRequest(other, fx.from(), fx.to(), fx.sourceText(), kNow));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY(unknown.error().message.contains(u"file:cn:NOPE:1m"_s));
    auto noFile = runVerify(services, *makeVerifyRequest(fx.series(), fx.from(), fx.to(), u"file:/no/such.csv"_s, kNow));
    QVERIFY(!noFile);
    QCOMPARE(noFile.error().code, ErrorCode::NotFound);
    QVERIFY(noFile.error().message.contains(u"/no/such.csv"_s));
    auto badExt = runVerify(services, *makeVerifyRequest(fx.series(), fx.from(), fx.to(),
                                                         u"file:"_s + dataFile(u"NOTICE"_s), kNow));
    QVERIFY(!badExt);
    QCOMPARE(badExt.error().code, ErrorCode::BadRequest);
}

void TestVerify::rep5_resultShape()
{
    VerifyReport report = compareBuckets(daySpans(0, 3 * 86400), {{60, 1, 1, 1, 1, 1}},
                                         SourceRows{{{60, 1, 1, 1, 1, 2}, {86400, 1, 1, 1, 1, 1}}, 0, {}});
    const QJsonObject r = report.toJson();
    QCOMPARE(QStringList(r.keys()), (QStringList{u"buckets"_s, u"buckets_differ"_s, u"buckets_equal"_s,
                                                 u"buckets_total"_s, u"rows_local"_s, u"rows_source"_s,
                                                 u"source_rejected"_s, u"source_rejected_messages"_s, u"truncated"_s}));
    QCOMPARE(r.value("buckets_total"_L1).toInt(), 3);
    QCOMPARE(r.value("buckets_differ"_L1).toInt(), 2);
    const QJsonObject b0 = r.value("buckets"_L1).toArray().at(0).toObject();
    QCOMPARE(b0.value("day"_L1).toString(), u"1970-01-01"_s);
    QCOMPARE(b0.value("differ"_L1).toInt(), 1);
    QCOMPARE(r.value("buckets"_L1).toArray().at(1).toObject().value("missing"_L1).toInt(), 1);
    QCOMPARE(r.value("buckets"_L1).toArray().at(2).toObject().value("source_sha256"_L1).toString(), bucketChecksum({}));
    QCOMPARE(*differingDays(r), (QList<QString>{u"1970-01-01"_s, u"1970-01-02"_s}));
    // More than 10,000 days: the list stops there and says so.
    const VerifyReport big = compareBuckets(daySpans(0, 10001 * 86400), {}, SourceRows{});
    const QJsonObject br = big.toJson();
    QCOMPARE(br.value("buckets"_L1).toArray().size(), 10000);
    QCOMPARE(br.value("buckets_total"_L1).toInt(), 10001);
    QVERIFY(br.value("truncated"_L1).toBool());
    QVERIFY(!differingDays(br));
}

void TestVerify::rep1_exchangeThroughTheReplayExchange()
{
    const CandleList tape = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, tape}}));
    replay.setWall(3600 * 1000);
    TestCore core(kReplayW0 + 3600 * 1000);
    QVERIFY(core.start());
    // 120 history bars before T0, one corrupted and one left out locally.
    CandleList bars;
    for (qint64 t = kReplayT0 - 120 * 60; t < kReplayT0; t += 60)
        bars.append(contiguousBar(tape, (t - kReplayT0) / 60 + 1));
    CandleList local = bars;
    local[10].close += 0.5;
    local[10].high = std::max(local[10].high, local[10].close);
    local.removeAt(50);
    QVERIFY(core.ingest(kSpot, local));
    auto reader = store::CandleStore::open(core.storeUrl(), {.readOnly = true});
    QVERIFY(reader);
    SourceSettings source;
    source.binanceSpotRest = replay.url({}).toString();
    sources::BinanceRestClient rest(source, replay.wall(), [] { return 0.0; });
    LocalRepairControl control(1);
    SourceFetcher fetcher(&rest, replay.wall());
    RepairServices services{**reader, fetcher, control, replay.wall()};
    auto request = makeVerifyRequest(kSpot, bars.first().time, bars.last().time + 60, u"exchange"_s,
                                     replay.wall().nowSeconds());
    QVERIFY2(request, qPrintable(request ? QString() : request.error().message));
    auto outcome = runVerify(services, *request);
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    QCOMPARE(outcome->source.rows, bars);
    qint64 differ = 0;
    qint64 missing = 0;
    for (const BucketReport &b : outcome->report.buckets) {
        differ += b.diff.differ.size();
        missing += b.diff.missing.size();
    }
    QCOMPARE(differ, 1);
    QCOMPARE(missing, 1);
    QVERIFY(outcome->report.differing() >= 1);
}

void TestVerify::rep12_unknownSeriesCostNoQuery()
{
    RepairFixture fx;
    QVERIFY(fx.start());
    KnownSeries known;
    QVERIFY(known.load(fx.reader()));
    QCOMPARE(known.queryCount(), 1);
    QVERIFY(known.contains(fx.series()));
    known.follow(fx.core().core().writer());
    LocalRepairControl control(1);
    SourceFetcher fetcher(nullptr, fx.core().clock());
    RepairServices services{fx.reader(), fetcher, control, fx.core().clock(), nullptr, &known};
    for (int i = 0; i < 10000; ++i) {
        const SeriesId unknown = *SeriesId::parse(u"file:cn:U%1:1m"_s.arg(i));
        auto rows = readLocal(services, unknown, 0, 60);
        QVERIFY(!rows);
        QCOMPARE(rows.error().code, ErrorCode::NotFound);
    }
    QCOMPARE(known.queryCount(), 1);
    // The writer's first candle of a series makes it known, with no new query.
    const SeriesId fresh = *SeriesId::parse(u"file:cn:FRESH:1m"_s);
    QVERIFY(!known.contains(fresh));
    QVERIFY(fx.core().ingest(fresh, {{60, 1, 1, 1, 1, 1}}));
    QTRY_VERIFY(known.contains(fresh));
    QVERIFY(readLocal(services, fresh, 0, 120));
    QCOMPARE(known.queryCount(), 1);
}

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
