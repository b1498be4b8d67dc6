// A running repair over a real socket (JOB-7, JOB-10, IDEM-7/8): 29,999 missing rows from a
// file source make three write batches of ≤ 10k rows. The writer is held right after the
// first batch commits, so the job is certainly running and mid-write when the test acts:
// - `job_cancel`: the `jobs` topic shows `cancelled`, the key is failed "cancelled" (a replay
//   answers that error with replayed:true), the committed batch stays, at most the one batch
//   already past its boundary follows, and nothing is written after the job ended;
// - another owner takes the job's row: the next batch's transaction finds it gone, writes
//   nothing, and the job writes nothing more (fenced).
// SQLite and PostgreSQL.
#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "core/runtime/jobservices.h"
#include "core/store/candlestore.h"
#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"
#include "tests/support/testdatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kT0 = 1704067200; // 2024-01-01Z
constexpr int kRows = 30000;
constexpr qint64 kNowMs = (kT0 + 60 * kRows + 86400) * 1000; // every bar closed
const SeriesId kSeries = *SeriesId::parse(u"file:test:BIG:1m"_s);

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

QJsonObject data(const QJsonObject &result)
{
    return result.value("data"_L1).toObject();
}

/// Holds the writer thread inside the first runFinished() after arm(), before anyone else
/// hears of that run, until release().
class WriterGate
{
public:
    explicit WriterGate(ingest::IngestWriter *writer)
    {
        QObject::connect(writer, &ingest::IngestWriter::runFinished, writer, [this] {
            if (m_armed.exchange(false)) {
                m_held.release();
                m_gate.acquire();
            }
        }, Qt::DirectConnection);
    }
    ~WriterGate() { release(); }
    Q_DISABLE_COPY_MOVE(WriterGate)

    void arm() { m_armed = true; }
    /// Waits until the writer is held.
    [[nodiscard]] bool waitHeld() { return QTest::qWaitFor([this] { return m_held.tryAcquire(); }, 30000); }
    void release()
    {
        if (m_gate.available() == 0 && !m_released.exchange(true))
            m_gate.release();
    }

private:
    std::atomic<bool> m_armed{false};
    std::atomic<bool> m_released{false};
    QSemaphore m_held;
    QSemaphore m_gate;
};

} // namespace

class TestRepairCancel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void job10_cancelARunningRepairOverTheSocket();
    void job7_takenRepairWritesNoFurtherBatch();

private:
    /// Sends a repair of the whole file under `key` and waits until its job runs; its id.
    QString startRepair(const QString &key);
    QJsonObject command(const QString &name, const QJsonObject &args, const QString &key = {});
    QJsonObject jobEvent(const QString &jobId, const QString &state);
    [[nodiscard]] QJsonObject repairArgs() const;
    qint64 storedRows();

    QTemporaryDir m_dir;
    QString m_file;
    CandleList m_source;
    std::unique_ptr<TestCore> m_core;
    std::unique_ptr<FrameClient> m_client;
    int m_request = 0;
};

void TestRepairCancel::initTestCase()
{
    m_source = syntheticCandles(kT0, kRows);
    m_file = m_dir.filePath(u"big.csv"_s);
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray text = "time,open,high,low,close,volume\n";
    for (const Candle &c : std::as_const(m_source))
        text += QByteArray::number(c.time) + ',' + QByteArray::number(c.open, 'g', 17) + ','
                + QByteArray::number(c.high, 'g', 17) + ',' + QByteArray::number(c.low, 'g', 17) + ','
                + QByteArray::number(c.close, 'g', 17) + ',' + QByteArray::number(c.volume, 'g', 17) + '\n';
    QCOMPARE(file.write(text), text.size());
}

void TestRepairCancel::init()
{
    // Heartbeats far apart: what stops the job is the cancel or the batch's own fence check.
    m_core = std::make_unique<TestCore>(kNowMs, QStringList{u"jobs.heartbeat_interval_s=100"_s,
                                                            u"jobs.zombie_timeout_s=300"_s});
    QVERIFY(m_core->seed(kSeries, m_source.mid(0, 1))); // a known series (REP-12) missing 29,999 rows
    QVERIFY2(m_core->start(), qPrintable(m_core->error()));
    m_client = std::make_unique<FrameClient>();
    QVERIFY(m_client->open(m_core->url()));
    m_client->sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    QVERIFY(!m_client->waitForSystem(u"watching"_s).isEmpty());
}

void TestRepairCancel::cleanup()
{
    m_client.reset();
    m_core.reset();
}

QJsonObject TestRepairCancel::command(const QString &name, const QJsonObject &args, const QString &key)
{
    const QString id = u"c%1"_s.arg(++m_request);
    QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
    if (!key.isEmpty())
        frame.insert(u"idempotency_key"_s, key);
    m_client->sendJson(frame);
    return m_client->waitFor([&](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    }, 30000);
}

QJsonObject TestRepairCancel::jobEvent(const QString &jobId, const QString &state)
{
    return m_client->waitFor([&](const QJsonObject &f) {
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId && f.value("state"_L1) == state;
    }, 30000);
}

qint64 TestRepairCancel::storedRows()
{
    return m_core->stored(kSeries).size();
}

QJsonObject TestRepairCancel::repairArgs() const
{
    return {{u"series_id"_s, kSeries.toString()},
            {u"from"_s, double(kT0)},
            {u"to"_s, double(kT0 + 60 * kRows)},
            {u"source"_s, QString(u"file:"_s + m_file)}};
}

QString TestRepairCancel::startRepair(const QString &key)
{
    const QJsonObject r = command(u"repair"_s, repairArgs(), key);
    return data(r).value("job_id"_L1).toString();
}

void TestRepairCancel::job10_cancelARunningRepairOverTheSocket()
{
    WriterGate gate(m_core->core().writer());
    gate.arm();
    const QString jobId = startRepair(u"big-repair"_s);
    QVERIFY(!jobId.isEmpty());
    QVERIFY(!jobEvent(jobId, u"running"_s).isEmpty());
    QVERIFY(gate.waitHeld()); // the first batch has committed; the job is mid-write

    m_client->sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, u"cancel"_s}, {u"name"_s, u"job_cancel"_s},
                        {u"args"_s, QJsonObject{{u"job_id"_s, jobId}}}});
    // flags_get is answered without the writer: once it is, the cancel has reached the job system.
    QVERIFY(command(u"flags_get"_s, QJsonObject()).value("ok"_L1).toBool());
    gate.release();
    const QJsonObject r = m_client->waitFor([](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1) == "cancel"_L1;
    }, 30000);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(r.value("error"_L1).toObject().value("message"_L1).toString()));
    QCOMPARE(data(r).value("state"_L1).toString(), u"running"_s);
    QCOMPARE(data(r).value("cancel_requested"_L1).toBool(), true);

    // JOB-10: the jobs topic shows cancelled, error "cancelled" (conflict).
    const QJsonObject cancelled = jobEvent(jobId, u"cancelled"_s);
    QVERIFY(!cancelled.isEmpty());
    QCOMPARE(cancelled.value("error"_L1).toObject().value("code"_L1).toString(), u"conflict"_s);
    QCOMPARE(cancelled.value("error"_L1).toObject().value("message"_L1).toString(), u"cancelled"_s);

    // Committed batches stay: whole batches from the start of the range, the first for
    // certain, at most one more that was past its boundary; never the whole repair.
    const qint64 written = storedRows() - 1;
    QVERIFY2(written == 10000 || written == 20000, qPrintable(QString::number(written)));
    const CandleList stored = m_core->stored(kSeries);
    QCOMPARE(stored.constLast().time, m_source.at(int(written)).time);
    QCOMPARE(stored, m_source.mid(0, int(written) + 1));

    // IDEM-7/9: the key failed "cancelled"; the same request replays that error.
    const QJsonObject replay = command(u"repair"_s, repairArgs(), u"big-repair"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QCOMPARE(replay.value("error"_L1).toObject().value("code"_L1).toString(), u"conflict"_s);
    QCOMPARE(replay.value("error"_L1).toObject().value("message"_L1).toString(), u"cancelled"_s);

    // Nothing is written after the job ended: the worker is gone and the count holds.
    QTRY_COMPARE(m_core->core().jobs()->scheduler()->runningCount(), 0);
    QCOMPARE(storedRows() - 1, written);
}

void TestRepairCancel::job7_takenRepairWritesNoFurtherBatch()
{
    WriterGate gate(m_core->core().writer());
    gate.arm();
    jobs::JobScheduler *scheduler = m_core->core().jobs()->scheduler();
    QSignalSpy ended(scheduler, &jobs::JobScheduler::jobEnded);
    const QString jobId = startRepair(u"taken-repair"_s);
    QVERIFY(!jobEvent(jobId, u"running"_s).isEmpty());
    QVERIFY(gate.waitHeld());
    // Another owner takes the row (a re-run elsewhere) while the writer is held between batches.
    const QString error = test::execElsewhere(m_core->storeUrl(),
                                        u"UPDATE jobs SET attempts = attempts + 1 WHERE job_id = %1"_s.arg(jobId));
    gate.release();
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty(), 30000);
    QCOMPARE(QString::number(ended.first().at(0).toLongLong()), jobId);
    QCOMPARE(ended.first().at(1).toString(), QString()); // fenced: no terminal state of its own
    QTRY_COMPARE(scheduler->runningCount(), 0);
    QCOMPARE(storedRows() - 1, 10000); // the batch after the takeover wrote nothing
    QCOMPARE(m_core->stored(kSeries), m_source.mid(0, 10001));
    const QJsonObject list = command(u"jobs_list"_s, QJsonObject());
    const QJsonArray items = data(list).value("items"_L1).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.at(0).toObject().value("state"_L1).toString(), u"running"_s); // as the new owner left it
    QCOMPARE(items.at(0).toObject().value("attempts"_L1).toInt(), 2);
}

QTEST_GUILESS_MAIN(TestRepairCancel)
#include "tst_repaircancel.moc"
