// D-ING-11, ING-1: stopping the store writer right after handing it work loses nothing: every
// queued run is committed and every journal row written before the thread ends.
#include "core/ingest/errorjournal.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::ingest;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:DRAIN:1m");
constexpr qint64 kNowMs = 1800000000000;
constexpr int kRuns = 200;
constexpr int kPerRun = 50;

} // namespace

class TestIngestWriter final : public QObject
{
    Q_OBJECT

private slots:
    void stopWritesEverythingHandedOver();

private:
    test::TestDatabase m_db;
};

void TestIngestWriter::stopWritesEverythingHandedOver()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    const store::StoreUrl url = m_db.freshUrl();
    FixedClock clock(kNowMs);
    EventLog log(clock);
    Failpoints failpoints;
    {
        IngestWriterThread thread(clock, log, failpoints);
        QSignalSpy opened(thread.writer(), &IngestWriter::opened);
        thread.writer()->open(url, {}, {});
        QVERIFY(opened.wait());
        for (int r = 0; r < kRuns; ++r) {
            IngestRun run;
            run.runId = r + 1;
            CandleList candles;
            for (int i = 0; i < kPerRun; ++i) {
                const qint64 n = qint64(r) * kPerRun + i;
                const double p = 100 + double(n % 13);
                candles.append({60 * (n + 1), p, p + 1, p - 1, p, 1});
            }
            run.add(kSeries, candles);
            thread.writer()->submit(run);
        }
        JournalEntry entry;
        entry.atMs = kNowMs;
        entry.source = u"backfill"_s;
        entry.step = u"fetch"_s;
        entry.seriesId = kSeries.toString();
        entry.message = u"handed over last"_s;
        thread.writer()->journal(entry);
        // The thread stops here, with nearly all of that still queued.
    }
    auto store = store::CandleStore::open(url, {});
    QVERIFY(store.ok());
    auto rows = (*store)->range(kSeries, 0, 60LL * (kRuns * kPerRun + 1));
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), qsizetype(kRuns) * kPerRun);
    ErrorJournal journal(**store);
    auto listed = journal.list({});
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->constFirst().message, u"handed over last"_s);
}

QTEST_GUILESS_MAIN(TestIngestWriter)
#include "tst_ingestwriter.moc"
