// IDEM-9, JOB-8, D-JOB-12: a job without a series of its own still ends with its journal row
// when it fails with a system error or is reaped as a zombie; the final transaction never
// fails on the journal's required series_id.
#include "core/ingest/errorjournal.h"
#include "core/jobs/jobledger.h"
#include "core/store/candlestore.h"
#include "tests/support/testdatabase.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::jobs;

namespace {

constexpr qint64 kNowMs = 1800000000000;

JobRow reviewJob(qint64 id)
{
    JobRow row;
    row.jobId = id;
    row.kind = u"review_resolve"_s;
    row.argsJson = QByteArrayLiteral(R"({"action":"accept_source","ids":[1]})");
    row.idempotencyKey = u"review-%1"_s.arg(id);
    row.createdAtMs = kNowMs;
    return row;
}

} // namespace

class TestJobLedger final : public QObject
{
    Q_OBJECT

private slots:
    void seriesLessJobFailureIsJournalled();
    void seriesLessZombieIsJournalled();

private:
    test::TestDatabase m_db;
};

void TestJobLedger::seriesLessJobFailureIsJournalled()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    auto store = store::CandleStore::open(m_db.freshUrl(), {});
    QVERIFY(store.ok());
    FixedClock clock(kNowMs);
    JobLedger ledger(**store, clock, 0, 86400);
    QVERIFY(ledger.jobs().insert(reviewJob(11)).ok());
    auto running = ledger.claim(11);
    QVERIFY(running.ok() && running->has_value());
    auto finished = ledger.finish(**running, u"failed"_s, Error::unavailable(u"source down"_s));
    QVERIFY2(finished.ok(), qPrintable(finished.ok() ? QString() : finished.error().message));
    QVERIFY(finished->applied);
    QCOMPARE(finished->job.state, u"failed"_s);
    QCOMPARE(finished->journal.size(), 1);
    auto rows = ingest::ErrorJournal(**store).list({});
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->constFirst().step, u"job"_s);
    QCOMPARE(rows->constFirst().jobId, std::optional<qint64>(11));
    QCOMPARE(rows->constFirst().seriesId, QString());
    QVERIFY(rows->constFirst().message.contains(u"review-11"_s));
}

void TestJobLedger::seriesLessZombieIsJournalled()
{
    auto store = store::CandleStore::open(m_db.freshUrl(), {});
    QVERIFY(store.ok());
    FixedClock clock(kNowMs);
    JobLedger ledger(**store, clock, 0, 86400);
    QVERIFY(ledger.jobs().insert(reviewJob(12)).ok());
    QVERIFY(ledger.claim(12).ok());
    // JOB-8: at startup this node's running jobs are zombies at once.
    auto reaped = ledger.reapZombies(0, kNowMs);
    QVERIFY2(reaped.ok(), qPrintable(reaped.ok() ? QString() : reaped.error().message));
    QCOMPARE(reaped->size(), 1);
    QCOMPARE(reaped->constFirst().job.state, u"failed"_s);
    auto rows = ingest::ErrorJournal(**store).list({});
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->constFirst().jobId, std::optional<qint64>(12));
}

QTEST_GUILESS_MAIN(TestJobLedger)
#include "tst_jobledger.moc"
