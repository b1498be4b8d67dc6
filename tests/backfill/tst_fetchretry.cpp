// BF-23, ING-11: a running core retries a `fetch` journal row by backfilling the row's window
// from its source again; nothing still missing resolves the row.
#include "core/backfill/fetchretry.h"
#include "core/ingest/errorjournal.h"
#include "core/ingest/ingestwriter.h"
#include "core/ingest/journalentry.h"
#include "core/runtime/backfillservices.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;
using namespace gapless::test;

namespace {

const SeriesId kSpot = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kOffsetMs = 3600 * 1000;
using Outcome = Result<std::optional<FetchRetryResult>>;

qint64 slot(int i)
{
    return kReplayT0 - 60 * qint64(i);
}

} // namespace

class TestFetchRetry : public QObject
{
    Q_OBJECT

private slots:
    void cleanup();
    void resolvesAFetchRowOnceItsWindowIsFetched();
    void answersWhatItCannotRetry();

private:
    bool start(const QString &faults = {});
    GapResult backfill(qint64 from, qint64 to);
    Outcome retry(qint64 id, qint64 runId);
    ingest::JournalEntry journalRow(qint64 id);

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
    std::unique_ptr<TestCore> m_core;
};

void TestFetchRetry::cleanup()
{
    m_core.reset();
    m_replay.reset();
}

bool TestFetchRetry::start(const QString &faults)
{
    m_rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    m_replay = std::make_unique<ReplayFixture>();
    if (!m_replay->start({sources::ReplaySymbol{u"DEMOUSDT"_s, m_rows}}, faults))
        return false;
    m_replay->setWall(kOffsetMs);
    m_core = std::make_unique<TestCore>(kReplayW0 + kOffsetMs,
                                        QStringList{u"source.binance_spot_rest="_s + m_replay->url({}).toString(),
                                                    u"source.binance_rest_max_attempts=1"_s});
    if (!m_core->start()) {
        qWarning("core: %s", qPrintable(m_core->error()));
        return false;
    }
    return true;
}

GapResult TestFetchRetry::backfill(qint64 from, qint64 to)
{
    std::optional<GapResult> result;
    m_core->core().backfill()->gapBackfill()->run(kSpot, from, to + 60, [&](const GapResult &r) { result = r; });
    (void)QTest::qWaitFor([&] { return result.has_value(); }, 20000);
    return result.value_or(GapResult{});
}

Outcome TestFetchRetry::retry(qint64 id, qint64 runId)
{
    std::optional<Outcome> outcome;
    m_core->core().backfill()->fetchRetry()->retry(id, runId, [&](const Outcome &o) { outcome = o; });
    (void)QTest::qWaitFor([&] { return outcome.has_value(); }, 20000);
    return outcome.value_or(Outcome(Error::internal(u"no answer"_s)));
}

ingest::JournalEntry TestFetchRetry::journalRow(qint64 id)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto store = store::CandleStore::open(m_core->storeUrl(), options);
    if (!store) {
        qWarning("open: %s", qPrintable(store.error().message));
        return {};
    }
    auto entry = ingest::ErrorJournal(**store).get(id);
    if (!entry)
        qWarning("get: %s", qPrintable(entry.error().message));
    return entry ? *entry : ingest::JournalEntry{};
}

void TestFetchRetry::resolvesAFetchRowOnceItsWindowIsFetched()
{
    QVERIFY(start());
    QCOMPARE(backfill(slot(100), slot(91)).filled, 10); // the exchange clock is known from here on
    // One 503 with one attempt per window: the window is given up on and journalled (SRC-7).
    QVERIFY(m_replay->exchange().addFaults(u"http5xx:status=503"_s, u"test"_s).ok());
    QSignalSpy journalled(m_core->core().writer(), &ingest::IngestWriter::ingestErrorRecorded);
    const GapResult failed = backfill(slot(50), slot(41));
    QCOMPARE(failed.stillMissing, 10);
    QTRY_COMPARE(journalled.size(), 1);
    const auto entry = journalled.first().first().value<ingest::JournalEntry>();
    QCOMPARE(entry.step, u"fetch"_s);
    QCOMPARE(entry.firstTime, std::optional<qint64>(slot(50)));
    QCOMPARE(entry.lastTime, std::optional<qint64>(slot(41)));

    const Outcome outcome = retry(entry.id, 777);
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    QVERIFY(outcome->has_value());
    const FetchRetryResult &r = **outcome;
    QCOMPARE(r.series, kSpot);
    QCOMPARE(r.from, slot(50));
    QCOMPARE(r.to, slot(41));
    QCOMPARE(r.gap.filled, 10);
    QCOMPARE(r.gap.stillMissing, 0);
    QVERIFY(r.resolved);
    const ingest::JournalEntry row = journalRow(entry.id);
    QCOMPARE(row.status, u"resolved"_s);
    QCOMPARE(row.resolvedByRun, std::optional<qint64>(777));
    const CandleList stored = m_core->stored(kSpot);
    QCOMPARE(stored.size(), 20);
    QCOMPARE(stored.at(10), contiguousBar(m_rows, (slot(50) - kReplayT0) / 60 + 1));

    // ING-11: a resolved row is a conflict.
    const Outcome again = retry(entry.id, 778);
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
}

void TestFetchRetry::answersWhatItCannotRetry()
{
    QVERIFY(start());
    // Unknown id: not_found.
    const Outcome unknown = retry(99, 1);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    // A row of another step is ING-11's batch retry: no answer here.
    ingest::JournalEntry e;
    e.atMs = 1;
    e.runId = 1;
    e.source = u"import"_s;
    e.step = u"store"_s;
    e.seriesId = kSpot.toString();
    e.candleCount = 1;
    e.message = u"ingest store failed"_s;
    e.batchJson = "[[60,1,1,1,1,1]]";
    QSignalSpy journalled(m_core->core().writer(), &ingest::IngestWriter::ingestErrorRecorded);
    m_core->core().writer()->journal(e);
    QTRY_COMPARE(journalled.size(), 1);
    const Outcome batch = retry(journalled.first().first().value<ingest::JournalEntry>().id, 2);
    QVERIFY(batch);
    QVERIFY(!batch->has_value());
}

QTEST_GUILESS_MAIN(TestFetchRetry)
#include "tst_fetchretry.moc"
