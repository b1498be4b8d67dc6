// The `import` job through the protocol on a real core (CLI-6, CLI-9, ING-14, IDEM-1/6/8/9,
// JOB-5/11, PROTO §1.7): the SSE 000001 1m file written in runs of ingest.batch_max rows, its
// result as `gapless import --json` prints it plus job_id, replays, and each bad argument.
#include "tests/jobs/jobsession.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kNowMs = 1735689600000; // 2025-01-01Z: every bar of the file is closed
const QString kSeries = u"file:cn:000001.SH:1m"_s;

} // namespace

class TestImportJob final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void cli6_importWritesTheFileAndReplays();
    void cli6_rowsUpdatedByAJobCarryItsId();
    void cli9_rejectedRowsAndStrict();
    void cli6_badArgumentsFailTheKey_data();
    void cli6_badArgumentsFailTheKey();

private:
    QString writeCsv(const QString &name, const QByteArray &bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<JobSession> m_s;
};

void TestImportJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_core = std::make_unique<TestCore>(kNowMs, QStringList{u"ingest.batch_max=5000"_s});
    QVERIFY2(m_core->start(), qPrintable(m_core->error()));
    m_s = std::make_unique<JobSession>(*m_core);
    QVERIFY(m_s->open());
}

void TestImportJob::cleanup()
{
    m_s.reset();
    m_core.reset();
    m_dir.reset();
}

QString TestImportJob::writeCsv(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir->filePath(name);
    return writeFile(path, bytes) ? path : QString();
}

void TestImportJob::cli6_importWritesTheFileAndReplays()
{
    const QString file = dataFile(u"sse_000001_1m.csv"_s);
    const CandleList expected = readPlainCsv(file);
    QVERIFY(expected.size() > 15000);
    const QJsonObject args{{u"file"_s, file}, {u"series_id"_s, kSeries}};
    QJsonObject r = m_s->run(u"import"_s, args, u"import-1"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(JobSession::message(r)));
    QCOMPARE(JobSession::data(r).value("state"_L1).toString(), u"queued"_s); // IDEM-8
    const QString jobId = JobSession::data(r).value("job_id"_L1).toString();

    const QJsonObject done = m_s->finish(jobId);
    QCOMPARE(done.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(done.value("kind"_L1).toString(), u"import"_s);
    QCOMPARE(done.value("series_id"_L1).toString(), kSeries);
    const QJsonObject progress = done.value("progress"_L1).toObject();
    QCOMPARE(progress.value("unit"_L1).toString(), u"rows"_s);
    QCOMPARE(progress.value("done"_L1).toInteger(), expected.size());
    QCOMPARE(progress.value("total"_L1).toInteger(), expected.size());

    // CLI-9's document plus job_id, nothing else.
    const QJsonObject result = done.value("result"_L1).toObject();
    QStringList keys = result.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{u"anomalies"_s, u"file"_s, u"identical"_s, u"inserted"_s, u"job_id"_s, u"rejected"_s,
                                u"rows"_s, u"series_id"_s, u"updated"_s}));
    QCOMPARE(result.value("job_id"_L1).toString(), jobId);
    QCOMPARE(result.value("file"_L1).toString(), file);
    QCOMPARE(result.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(result.value("rows"_L1).toInteger(), expected.size());
    QCOMPARE(result.value("inserted"_L1).toInteger(), expected.size());
    QCOMPARE(result.value("updated"_L1).toInteger(), 0);
    QCOMPARE(result.value("rejected"_L1).toArray().size(), 0);
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)), expected);

    // ING-14: one run per 5000 rows, each an `import` run of this job (no journal row: none failed).
    QCOMPARE(m_s->query(u"SELECT COUNT(*) FROM ingest_errors"_s).value(0).toInt(), 0);

    // IDEM-6: the same key replays the cached result; other args under it are a mismatch.
    r = m_s->run(u"import"_s, args, u"import-1"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(JobSession::data(r).value("job_id"_L1).toString(), jobId);
    QCOMPARE(JobSession::data(r).value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(JobSession::data(r).value("result"_L1).toObject(), result);
    r = m_s->run(u"import"_s, {{u"file"_s, file}, {u"series_id"_s, kSeries}, {u"strict"_s, true}}, u"import-1"_s);
    QCOMPARE(JobSession::code(r), u"idempotency_mismatch"_s);

    // A second import of the same file under a new key changes nothing (ING-12).
    const QJsonObject again = m_s->runJob(u"import"_s, args, u"import-2"_s);
    QCOMPARE(again.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(again.value("result"_L1).toObject().value("identical"_L1).toInteger(), expected.size());
    QCOMPARE(again.value("result"_L1).toObject().value("inserted"_L1).toInteger(), 0);
    QCOMPARE(m_s->query(u"SELECT COUNT(*) FROM jobs WHERE kind = 'import' AND state = 'succeeded'"_s).value(0).toInt(),
             2);
}

void TestImportJob::cli6_rowsUpdatedByAJobCarryItsId()
{
    const QByteArray header = "time,open,high,low,close,volume\n";
    const QString first = writeCsv(u"first.csv"_s, header + "1718328600,10,12,9,11,100\n1718328660,11,13,10,12,100\n");
    const QString second = writeCsv(u"second.csv"_s, header + "1718328600,10,12,9,11,100\n1718328660,11,13,10,12.5,100\n");
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QCOMPARE(m_s->runJob(u"import"_s, {{u"file"_s, first}, {u"series_id"_s, kSeries}}, u"up-1"_s)
                 .value("state"_L1).toString(),
             u"succeeded"_s);
    const QJsonObject done = m_s->runJob(u"import"_s, {{u"file"_s, second}, {u"series_id"_s, kSeries}}, u"up-2"_s);
    QCOMPARE(done.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(done.value("result"_L1).toObject().value("updated"_L1).toInteger(), 1);
    QCOMPARE(done.value("result"_L1).toObject().value("identical"_L1).toInteger(), 1);
    // ING-2: the job's runs carry its id, so the overwrite's revision names the job.
    const qint64 jobId = done.value("job_id"_L1).toString().toLongLong();
    QCOMPARE(m_s->query(u"SELECT candle_time FROM candle_revisions WHERE job_id = ?"_s, {jobId}),
             (QVariantList{1718328660}));
    QCOMPARE(m_s->query(u"SELECT cause FROM candle_revisions WHERE job_id = ?"_s, {jobId}),
             (QVariantList{u"import"_s}));
}

void TestImportJob::cli9_rejectedRowsAndStrict()
{
    // Line 3: high below low.
    const QString path = writeCsv(u"bad.csv"_s, "time,open,high,low,close,volume\n1718328600,10,12,9,11,100\n"
                                                "1718328660,11,9,13,12,100\n1718328720,12,13,11,12,100\n");
    QVERIFY(!path.isEmpty());
    QJsonObject done = m_s->runJob(u"import"_s, {{u"file"_s, path}, {u"series_id"_s, kSeries}, {u"strict"_s, true}},
                                   u"strict-1"_s);
    QCOMPARE(done.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(JobSession::code(done), u"bad_request"_s);
    QVERIFY(JobSession::message(done).contains(u"1 of 3 rows rejected"_s));
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 0); // strict: nothing written

    done = m_s->runJob(u"import"_s, {{u"file"_s, path}, {u"series_id"_s, kSeries}}, u"lenient-1"_s);
    QCOMPARE(done.value("state"_L1).toString(), u"succeeded"_s);
    const QJsonObject result = done.value("result"_L1).toObject();
    QCOMPARE(result.value("inserted"_L1).toInteger(), 2);
    const QJsonArray rejected = result.value("rejected"_L1).toArray();
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).toObject().value("line"_L1).toInteger(), 3);
    QVERIFY(rejected.at(0).toObject().value("message"_L1).toString().startsWith(path + u":3:"_s));
    QCOMPARE(m_core->stored(*SeriesId::parse(kSeries)).size(), 2);
}

void TestImportJob::cli6_badArgumentsFailTheKey_data()
{
    QTest::addColumn<QJsonObject>("args");
    QTest::addColumn<QString>("expected");
    const QString file = dataFile(u"sse_000001_1m.csv"_s);
    QTest::addRow("missing file") << QJsonObject{{u"series_id"_s, kSeries}} << u"file: got"_s;
    QTest::addRow("file not a string") << QJsonObject{{u"file"_s, 42}, {u"series_id"_s, kSeries}} << u"file: got 42"_s;
    QTest::addRow("no such file") << QJsonObject{{u"file"_s, u"/nonexistent/x.csv"_s}, {u"series_id"_s, kSeries}}
                                  << u"/nonexistent/x.csv: no such file"_s;
    QTest::addRow("unknown format") << QJsonObject{{u"file"_s, file}, {u"series_id"_s, kSeries}, {u"format"_s, u"xlsx"_s}}
                                    << u"format: got \"xlsx\"; expected csv or freqtrade"_s;
    QTest::addRow("format not told") << QJsonObject{{u"file"_s, u"/tmp/rows.txt"_s}, {u"series_id"_s, kSeries}}
                                     << u"cannot tell the file format"_s;
    QTest::addRow("missing series_id") << QJsonObject{{u"file"_s, file}} << u"series_id: got"_s;
    QTest::addRow("bad series_id") << QJsonObject{{u"file"_s, file}, {u"series_id"_s, u"nope"_s}} << u"series_id: "_s;
    QTest::addRow("strict not a boolean")
        << QJsonObject{{u"file"_s, file}, {u"series_id"_s, kSeries}, {u"strict"_s, u"yes"_s}}
        << u"strict: got \"yes\"; expected true or false"_s;
    QTest::addRow("reject_anomalies not a boolean")
        << QJsonObject{{u"file"_s, file}, {u"series_id"_s, kSeries}, {u"reject_anomalies"_s, 1}}
        << u"reject_anomalies: got 1; expected true or false"_s;
}

void TestImportJob::cli6_badArgumentsFailTheKey()
{
    QFETCH(QJsonObject, args);
    QFETCH(QString, expected);
    const QJsonObject done = m_s->runJob(u"import"_s, args, u"bad-1"_s);
    QCOMPARE(done.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(JobSession::code(done), u"bad_request"_s);
    QVERIFY2(JobSession::message(done).contains(expected), qPrintable(JobSession::message(done)));
    // IDEM-9: a business error keeps the key failed; the same request replays the error.
    const QJsonObject replay = m_s->run(u"import"_s, args, u"bad-1"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QCOMPARE(JobSession::code(replay), u"bad_request"_s);
    QCOMPARE(m_s->query(u"SELECT COUNT(*) FROM candles"_s).value(0).toInt(), 0);
    // IDEM-1: no key, nothing recorded.
    QCOMPARE(JobSession::code(m_s->run(u"import"_s, args)), u"bad_request"_s);
    QCOMPARE(m_s->query(u"SELECT COUNT(*) FROM jobs"_s).value(0).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestImportJob)
#include "tst_importjob.moc"
