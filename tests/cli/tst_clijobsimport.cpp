// CLI-14 `import` and `errors retry` as jobs (D-CLI-10): with `--connect` to a real core on
// 127.0.0.1 or with `--idempotency-key` they print what the direct run prints, and the same
// key replays the cached result with `(replayed)` without writing again (IDEM-8).
#include "core/ingest/errorjournal.h"
#include "core/ingest/journalentry.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const QString kSeries = u"file:x:T:1m"_s;

// Four rows: one rejected (high below low, line 3), one kept with an anomaly (zero volume, line 5).
const QByteArray kCsv = "time,open,high,low,close,volume\n"
                        "60,1,2,0.5,1,5\n"
                        "120,1,0.4,2,1,5\n"
                        "180,1,2,0.5,1.5,5\n"
                        "240,1,2,0.5,1,0\n";

QJsonObject jsonOf(const RunResult &r)
{
    return QJsonDocument::fromJson(r.out).object();
}

} // namespace

class TestCliJobsImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cli14_connectImportPrintsAsDirect();
    void idem8_importUnderAKeyReplays();
    void cli14_connectErrorsRetryResolvesTheRow();
    void idem8_errorsRetryUnderAKeyReplays();

private:
    RunResult run(const QStringList &args);
    [[nodiscard]] static qint64 count(const store::StoreUrl &url, const QString &sql);
    /// An open `store` row of an import batch of three bars in the store at `url`; its id.
    [[nodiscard]] static qint64 journalBatch(const store::StoreUrl &url);

    QTemporaryDir m_dir;
    QString m_csv;
};

void TestCliJobsImport::initTestCase()
{
    m_csv = m_dir.filePath(u"rows.csv"_s);
    QVERIFY(writeFile(m_csv, kCsv));
}

RunResult TestCliJobsImport::run(const QStringList &args)
{
    return runGaplessServing(QStringList{u"--no-progress"_s} + args, m_dir.filePath(u"home"_s));
}

qint64 TestCliJobsImport::count(const store::StoreUrl &url, const QString &sql)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto store = store::CandleStore::open(url, options);
    if (!store)
        return -1;
    QSqlDatabase db = (*store)->database();
    auto q = store::prepareQuery(db, sql, u"test"_s);
    if (!q || !store::execQuery(*q, u"test"_s) || !q->next())
        return -1;
    return q->value(0).toLongLong();
}

qint64 TestCliJobsImport::journalBatch(const store::StoreUrl &url)
{
    auto store = store::CandleStore::open(url, {});
    if (!store)
        return -1;
    ingest::JournalEntry e;
    e.atMs = 1;
    e.runId = 1;
    e.source = u"import"_s;
    e.step = u"store"_s;
    e.seriesId = kSeries;
    e.candleCount = 3;
    e.message = u"ingest store failed for %1: disk full"_s.arg(kSeries);
    e.batchJson = "[[60,1,2,0.5,1,5],[120,1,2,0.5,1.5,5],[180,1,2,0.5,1,5]]";
    auto id = ingest::ErrorJournal(**store).append(e);
    return id ? *id : -1;
}

void TestCliJobsImport::cli14_connectImportPrintsAsDirect()
{
    // The direct run on a SQLite file of its own: one test database at a time (PostgreSQL names).
    const QString direct = m_dir.filePath(u"direct.db"_s);
    const RunResult first = run({u"import"_s, m_csv, u"--series"_s, kSeries, u"--db"_s, direct});
    QCOMPARE(first.exitCode, 3);
    QCOMPARE(first.outLines(), QStringList{u"4 rows, 3 inserted, 0 updated, 0 identical, 1 rejected, 1 anomalies"_s});
    QCOMPARE(first.errLines().size(), 2);
    {
        TestCore core(QDateTime::currentMSecsSinceEpoch());
        QVERIFY2(core.start(), qPrintable(core.error()));
        const RunResult remote = run({u"import"_s, m_csv, u"--series"_s, kSeries, u"--connect"_s,
                                      u"ws://127.0.0.1:%1"_s.arg(core.url().port())});
        QCOMPARE(remote.exitCode, 3);
        QCOMPARE(remote.outText(), first.outText());
        QCOMPARE(remote.errText(), first.errText()); // FILE:LINE per rejected row and per anomaly
        QCOMPARE(core.stored(*SeriesId::parse(kSeries)).size(), 3);
        QCOMPARE(count(core.storeUrl(), u"SELECT COUNT(*) FROM jobs WHERE kind = 'import'"_s), 1);
    }
}

void TestCliJobsImport::idem8_importUnderAKeyReplays()
{
    TestDatabase db;
    const store::StoreUrl url = db.freshUrl();
    const QStringList args{u"import"_s, m_csv, u"--series"_s, kSeries, u"--db"_s, urlText(url),
                           u"--idempotency-key"_s, u"import-rows-1"_s};
    const RunResult first = run(args);
    QCOMPARE(first.exitCode, 3);
    QVERIFY(!first.errText().contains(u"(replayed)"_s));
    const RunResult again = run(args);
    QCOMPARE(again.exitCode, 3);
    QCOMPARE(again.outText(), first.outText());
    QCOMPARE(again.errLines().first(), u"(replayed)"_s);
    QCOMPARE(again.errLines().mid(1), first.errLines());
    const RunResult json = run(QStringList{u"--json"_s} + args);
    QCOMPARE(json.exitCode, 3);
    QCOMPARE(jsonOf(json).value("replayed"_L1).toBool(), true);
    QCOMPARE(jsonOf(json).value("inserted"_L1).toInteger(), 3);
    QVERIFY(!jsonOf(json).value("job_id"_L1).toString().isEmpty());
    QCOMPARE(count(url, u"SELECT COUNT(*) FROM jobs"_s), 1);
    QCOMPARE(count(url, u"SELECT COUNT(*) FROM candles"_s), 3);
}

void TestCliJobsImport::cli14_connectErrorsRetryResolvesTheRow()
{
    TestCore core(QDateTime::currentMSecsSinceEpoch());
    const qint64 id = journalBatch(core.storeUrl());
    QVERIFY(id > 0);
    QVERIFY2(core.start(), qPrintable(core.error()));
    const RunResult r = run({u"errors"_s, u"retry"_s, QString::number(id), u"--connect"_s,
                             u"ws://127.0.0.1:%1"_s.arg(core.url().port())});
    QVERIFY2(r.exitCode == 0, qPrintable(r.errText()));
    QVERIFY2(r.outText().startsWith(u"ingest error %1 resolved by run "_s.arg(id)), qPrintable(r.outText()));
    QVERIFY2(r.outText().endsWith(u": 3 inserted, 0 updated, 0 identical\n"_s), qPrintable(r.outText()));
    QCOMPARE(core.stored(*SeriesId::parse(kSeries)).size(), 3);
    QCOMPARE(count(core.storeUrl(), u"SELECT COUNT(*) FROM ingest_errors WHERE status = 'resolved'"_s), 1);
    // CLI-13: a resolved row cannot be retried again; a new key runs it and fails.
    const RunResult again = run({u"--json"_s, u"errors"_s, u"retry"_s, QString::number(id), u"--connect"_s,
                                 u"ws://127.0.0.1:%1"_s.arg(core.url().port())});
    QCOMPARE(again.exitCode, 1);
    QCOMPARE(jsonOf(again).value("error"_L1).toObject().value("code"_L1).toString(), u"conflict"_s);
}

void TestCliJobsImport::idem8_errorsRetryUnderAKeyReplays()
{
    TestDatabase db;
    const store::StoreUrl url = db.freshUrl();
    QCOMPARE(run({u"import"_s, m_csv, u"--series"_s, u"file:x:Other:1m"_s, u"--db"_s, urlText(url)}).exitCode, 3);
    const qint64 id = journalBatch(url);
    QVERIFY(id > 0);
    const QStringList args{u"errors"_s, u"retry"_s, QString::number(id), u"--db"_s, urlText(url),
                           u"--idempotency-key"_s, u"retry:%1"_s.arg(id)};
    const RunResult first = run(args);
    QVERIFY2(first.exitCode == 0, qPrintable(first.errText()));
    const RunResult again = run(args);
    QCOMPARE(again.exitCode, 0); // the first run's code, though the row is resolved by now
    QCOMPARE(again.outText(), first.outText());
    QVERIFY(again.errLines().contains(u"(replayed)"_s));
    QCOMPARE(count(url, u"SELECT COUNT(*) FROM jobs WHERE kind = 'retry_error'"_s), 1);
    QCOMPARE(count(url, u"SELECT COUNT(*) FROM candles WHERE series_id = 'file:x:T:1m'"_s), 3);
}

QTEST_GUILESS_MAIN(TestCliJobsImport)
#include "tst_clijobsimport.moc"
