// CLI-14 job subcommands through the executable: `--connect` to a real core on 127.0.0.1
// prints what the in-process run prints; IDEM-2/6/8: the same `--idempotency-key` replays the
// cached result with `(replayed)`, other arguments under it are idempotency_mismatch; bad
// keys, addresses and tokens are refused naming them.
#include "core/ingest/filevalidation.h"
#include "core/sources/candlefile.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const QString kSeries = u"file:cn:000001.SH:1m"_s;
const QString kToken = u"right-token-0123456789"_s;

QJsonObject jsonOf(const RunResult &r)
{
    return QJsonDocument::fromJson(r.out).object();
}

QString errorCode(const RunResult &r)
{
    return jsonOf(r).value("error"_L1).toObject().value("code"_L1).toString();
}

} // namespace

class TestCliJobs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cli14_connectVerifyPrintsAsInProcess();
    void cli14_connectRepairPrintsAsInProcess();
    void cli14_connectBackfillPrintsAsInProcess();
    void idem8_sameKeyReplaysOverConnect();
    void idem8_sameKeyReplaysInProcess();
    void idem6_sameKeyOtherArgsIsMismatch();
    void idem6_sameKeyWhileRunningWaitsForTheJob();
    void idem9_failedJobReplaysItsError();
    void idem2_badKey_data();
    void idem2_badKey();
    void cli14_nothingListening();
    void cli14_badConnect_data();
    void cli14_badConnect();
    void cli14_wrongToken();

private:
    /// A core whose store holds the data with two bars damaged; started when `listen`. One at a
    /// time: on PostgreSQL each test database of this process has the same name.
    std::unique_ptr<TestCore> makeCore(bool listen, const QStringList &settings = {});
    /// m_core: such a core, listening, with the token kToken.
    [[nodiscard]] bool startCore();
    /// Runs gapless while this process's event loop turns (the core lives here).
    RunResult run(const QStringList &args);
    [[nodiscard]] QStringList rangeArgs() const;
    [[nodiscard]] qint64 count(TestCore &core, const QString &sql);
    [[nodiscard]] static QStringList connectArgs(TestCore &core);

    QTemporaryDir m_dir;
    CandleList m_data;
    QList<qint64> m_damaged;
    std::unique_ptr<TestCore> m_core;
};

void TestCliJobs::initTestCase()
{
    const SeriesId series = *SeriesId::parse(kSeries);
    auto parsed = sources::readCandleFile(dataFile(u"sse_000001_1m.csv"_s), sources::FileFormat::Csv);
    QVERIFY(parsed);
    m_data = ingest::validateFile(*parsed, {series.timeframe(), 1735689600, false}).accepted;
    QVERIFY(m_data.size() > 1000);
    m_damaged = {m_data.at(100).time, m_data.at(m_data.size() - 100).time}; // on two different days
    QVERIFY(m_damaged.at(0) / 86400 != m_damaged.at(1) / 86400);
}

void TestCliJobs::cleanup()
{
    m_core.reset();
}

bool TestCliJobs::startCore()
{
    m_core = makeCore(true, {u"server.access_token="_s + kToken});
    return m_core->error().isEmpty() && m_core->url().port() > 0;
}

std::unique_ptr<TestCore> TestCliJobs::makeCore(bool listen, const QStringList &settings)
{
    auto core = std::make_unique<TestCore>(QDateTime::currentMSecsSinceEpoch(), settings);
    CandleList rows = m_data;
    for (Candle &c : rows) {
        if (m_damaged.contains(c.time)) {
            c.close += 0.5;
            c.high = std::max(c.high, c.close);
        }
    }
    if (!core->seed(*SeriesId::parse(kSeries), rows) || (listen && !core->start()))
        qWarning("core: %s", qPrintable(core->error()));
    return core;
}

RunResult TestCliJobs::run(const QStringList &args)
{
    return runGaplessServing(QStringList{u"--no-progress"_s} + args, m_dir.filePath(u"home"_s));
}

QStringList TestCliJobs::rangeArgs() const
{
    return {u"--series"_s, kSeries, u"--from"_s, QString::number(m_data.first().time), u"--to"_s,
            QString::number(m_data.last().time + 60), u"--source"_s, u"file:"_s + dataFile(u"sse_000001_1m.csv"_s)};
}

QStringList TestCliJobs::connectArgs(TestCore &core)
{
    return {u"--connect"_s, u"ws://127.0.0.1:%1"_s.arg(core.url().port()), u"--token"_s, kToken};
}

qint64 TestCliJobs::count(TestCore &core, const QString &sql)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto store = store::CandleStore::open(core.storeUrl(), options);
    if (!store)
        return -1;
    QSqlDatabase db = (*store)->database();
    auto q = store::prepareQuery(db, sql, u"test"_s);
    if (!q || !store::execQuery(*q, u"test"_s) || !q->next())
        return -1;
    return q->value(0).toLongLong();
}

void TestCliJobs::cli14_connectVerifyPrintsAsInProcess()
{
    RunResult inProcess;
    {
        auto local = makeCore(false);
        inProcess = run(QStringList{u"verify"_s, u"--db"_s, urlText(local->storeUrl())} + rangeArgs());
        QCOMPARE(inProcess.exitCode, 3);
        QCOMPARE(inProcess.outLines().size(), 3); // two differing days and the summary
        QCOMPARE(count(*local, u"SELECT COUNT(*) FROM jobs WHERE kind = 'verify' AND state = 'succeeded'"_s), 1);
    }
    QVERIFY(startCore());
    const RunResult remote = run(QStringList{u"verify"_s} + connectArgs(*m_core) + rangeArgs());
    QVERIFY2(remote.exitCode == 3, qPrintable(remote.errText()));
    QCOMPARE(remote.outText(), inProcess.outText());
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM jobs WHERE kind = 'verify' AND state = 'succeeded'"_s), 1);
}

void TestCliJobs::cli14_connectRepairPrintsAsInProcess()
{
    const QStringList args = rangeArgs() + QStringList{u"--policy"_s, u"source-wins"_s};
    RunResult inProcess;
    {
        auto local = makeCore(false);
        inProcess = run(QStringList{u"repair"_s, u"--db"_s, urlText(local->storeUrl())} + args);
        QVERIFY2(inProcess.exitCode == 0, qPrintable(inProcess.errText()));
        QCOMPARE(inProcess.outLines().last(), u"2 buckets differ: 0 rows inserted, 2 updated, 0 kept local, 0 review "
                                              u"items, 0 extra kept; write amplification 1.00; 0 residual buckets"_s);
    }
    QVERIFY(startCore());
    const RunResult remote = run(QStringList{u"repair"_s} + connectArgs(*m_core) + args);
    QVERIFY2(remote.exitCode == 0, qPrintable(remote.errText()));
    QCOMPARE(remote.outText(), inProcess.outText());
    const CandleList stored = m_core->stored(*SeriesId::parse(kSeries));
    QCOMPARE(stored.size(), m_data.size());
    for (qsizetype i = 0; i < stored.size(); ++i) { // the damaged bars are the source's again
        if (m_damaged.contains(stored.at(i).time))
            QCOMPARE(stored.at(i).close, m_data.at(i).close);
    }
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM candle_revisions WHERE cause = 'repair'"_s), 2);
}

void TestCliJobs::cli14_connectBackfillPrintsAsInProcess()
{
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *sources::ReplayTape::readCsv(
                                                                   dataFile(u"sse_000001_1m.csv"_s))}}));
    replay.setWall(5000);
    const QStringList sources{u"source.binance_spot_rest="_s + replay.url({}).toString(),
                              u"source.binance_rest_max_attempts=2"_s};
    TestCore core(kReplayW0 + 5000, sources);
    QVERIFY2(core.start(), qPrintable(core.error()));
    const QString series = u"binance:spot:DEMO/USDT:1m"_s;
    const QString from = QString::number(kReplayT0 - 1500 * 60);
    const QString to = QString::number(kReplayT0 - 60);
    const QStringList args{u"backfill"_s, u"--series"_s, series, u"--from"_s, from, u"--to"_s, to};
    QStringList local = args;
    for (const QString &s : sources)
        local << u"--set"_s << s;
    const RunResult inProcess = run(local + QStringList{u"--db"_s, m_dir.filePath(u"backfill.db"_s)});
    QVERIFY2(inProcess.exitCode == 0, qPrintable(inProcess.errText()));
    const RunResult remote = run(args + QStringList{u"--connect"_s, u"ws://127.0.0.1:%1"_s.arg(core.url().port())});
    QVERIFY2(remote.exitCode == 0, qPrintable(remote.errText()));
    const QString expected = u"%1 [%2..%3]: 1500 slots, 0 present, 1500 filled, 0 source-missing, 0 still missing; "
                             u"3 requests, "_s.arg(series, from, to);
    QVERIFY2(inProcess.outText().startsWith(expected), qPrintable(inProcess.outText()));
    QVERIFY2(remote.outText().startsWith(expected), qPrintable(remote.outText()));
    QCOMPARE(core.stored(*SeriesId::parse(series)).size(), 1500);
}

void TestCliJobs::idem8_sameKeyReplaysOverConnect()
{
    QVERIFY(startCore());
    const QStringList args = QStringList{u"repair"_s, u"--idempotency-key"_s, u"repair-1"_s} + connectArgs(*m_core)
                             + rangeArgs();
    const RunResult first = run(args);
    QVERIFY2(first.exitCode == 0, qPrintable(first.errText()));
    QVERIFY(!first.errText().contains(u"(replayed)"_s));
    const qint64 jobs = count(*m_core, u"SELECT COUNT(*) FROM jobs"_s);
    const qint64 revisions = count(*m_core, u"SELECT COUNT(*) FROM candle_revisions"_s);
    QCOMPARE(jobs, 1);
    QCOMPARE(revisions, 2);
    const RunResult again = run(args);
    QCOMPARE(again.exitCode, first.exitCode);
    QCOMPARE(again.outText(), first.outText());
    QVERIFY2(again.errLines().contains(u"(replayed)"_s), qPrintable(again.errText()));
    const RunResult json = run(QStringList{u"--json"_s} + args);
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(jsonOf(json).value("replayed"_L1).toBool(), true);
    QCOMPARE(jsonOf(json).value("rows_updated"_L1).toInteger(), 2);
    QVERIFY(json.errLines().contains(u"(replayed)"_s));
    // IDEM-8: nothing ran again.
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM jobs"_s), jobs);
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM candle_revisions"_s), revisions);
}

void TestCliJobs::idem8_sameKeyReplaysInProcess()
{
    auto local = makeCore(false);
    const QStringList args = QStringList{u"--json"_s, u"verify"_s, u"--idempotency-key"_s, u"verify:1"_s, u"--db"_s,
                                         urlText(local->storeUrl())}
                             + rangeArgs();
    const RunResult first = run(args);
    QCOMPARE(first.exitCode, 3);
    QVERIFY(!jsonOf(first).contains("replayed"_L1));
    const RunResult again = run(args);
    QCOMPARE(again.exitCode, 3); // the first run's code
    QVERIFY(again.errLines().contains(u"(replayed)"_s));
    QJsonObject replayed = jsonOf(again);
    QCOMPARE(replayed.take("replayed"_L1).toBool(), true);
    QCOMPARE(replayed, jsonOf(first));
    QCOMPARE(count(*local, u"SELECT COUNT(*) FROM jobs"_s), 1);
    QCOMPARE(count(*local, u"SELECT COUNT(*) FROM idempotency_keys WHERE \"key\" = 'verify:1'"_s), 1);
}

void TestCliJobs::idem6_sameKeyOtherArgsIsMismatch()
{
    QVERIFY(startCore());
    const QStringList key{u"--idempotency-key"_s, u"k-mismatch"_s};
    const RunResult first = run(QStringList{u"repair"_s} + key + connectArgs(*m_core) + rangeArgs()
                                + QStringList{u"--policy"_s, u"local-wins"_s});
    QVERIFY2(first.exitCode == 0 || first.exitCode == 3, qPrintable(first.errText()));
    const RunResult other = run(QStringList{u"--json"_s, u"repair"_s} + key + connectArgs(*m_core) + rangeArgs()
                                + QStringList{u"--policy"_s, u"source-wins"_s});
    QCOMPARE(other.exitCode, 1);
    QCOMPARE(errorCode(other), u"idempotency_mismatch"_s);
    QVERIFY2(other.errText().startsWith(u"gapless: "_s) && other.errText().contains(u"k-mismatch"_s),
             qPrintable(other.errText()));
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM jobs"_s), 1);
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM candle_revisions"_s), 0); // local-wins wrote nothing
}

void TestCliJobs::idem6_sameKeyWhileRunningWaitsForTheJob()
{
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *sources::ReplayTape::readCsv(
                                                                   dataFile(u"sse_000001_1m.csv"_s))}},
                         u"latency:min=400ms"_s));
    replay.setWall(5000);
    TestCore core(kReplayW0 + 5000, {u"source.binance_spot_rest="_s + replay.url({}).toString()});
    QVERIFY2(core.start(), qPrintable(core.error()));
    const QStringList args{u"backfill"_s, u"--series"_s, u"binance:spot:DEMO/USDT:1m"_s, u"--from"_s,
                           QString::number(kReplayT0 - 3000 * 60), u"--to"_s, QString::number(kReplayT0 - 60),
                           u"--idempotency-key"_s, u"slow-1"_s, u"--connect"_s,
                           u"ws://127.0.0.1:%1"_s.arg(core.url().port()), u"--no-progress"_s};
    QProcess first;
    startGapless(first, args, m_dir.filePath(u"home"_s));
    first.closeWriteChannel();
    QTRY_COMPARE_WITH_TIMEOUT(count(core, u"SELECT COUNT(*) FROM jobs WHERE state = 'running'"_s), 1, 30000);
    // IDEM-6 in_progress: the second run waits for the first run's job and prints its end.
    const RunResult second = run(args);
    QVERIFY2(second.exitCode == 0, qPrintable(second.errText()));
    QVERIFY(!second.errText().contains(u"(replayed)"_s));
    QVERIFY(QTest::qWaitFor([&] { return first.state() == QProcess::NotRunning; }, 60000));
    QCOMPARE(first.exitCode(), 0);
    const QString firstOut = QString::fromUtf8(first.readAllStandardOutput());
    QVERIFY2(firstOut.contains(u": 3000 slots, 0 present, 3000 filled"_s), qPrintable(firstOut));
    QCOMPARE(second.outText(), firstOut);
    QCOMPARE(count(core, u"SELECT COUNT(*) FROM jobs"_s), 1);
}

void TestCliJobs::idem9_failedJobReplaysItsError()
{
    auto local = makeCore(false);
    const QStringList args{u"--json"_s, u"repair"_s, u"--verify-job"_s, u"424242"_s, u"--idempotency-key"_s,
                           u"no-such-job"_s, u"--db"_s, urlText(local->storeUrl())};
    const RunResult first = run(args);
    QCOMPARE(first.exitCode, 1);
    QVERIFY2(first.errText().contains(u"verify job 424242"_s), qPrintable(first.errText()));
    QVERIFY(!jsonOf(first).contains("replayed"_L1));
    const RunResult again = run(args);
    QCOMPARE(again.exitCode, 1);
    QVERIFY(again.errLines().contains(u"(replayed)"_s));
    QJsonObject replayed = jsonOf(again);
    QCOMPARE(replayed.take("replayed"_L1).toBool(), true);
    QCOMPARE(replayed, jsonOf(first));
    QCOMPARE(count(*local, u"SELECT COUNT(*) FROM jobs WHERE state = 'failed'"_s), 1);
}

void TestCliJobs::idem2_badKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("empty") << QString();
    QTest::newRow("space") << u"two words"_s;
    QTest::newRow("slash") << u"a/b"_s;
    QTest::newRow("256 chars") << QString(256, u'k');
    QTest::newRow("non-ascii") << u"clé"_s;
}

void TestCliJobs::idem2_badKey()
{
    QFETCH(QString, key);
    QVERIFY(startCore());
    for (const QString &command : {u"verify"_s, u"backfill"_s}) {
        const RunResult r = run(QStringList{command, u"--idempotency-key"_s, key} + connectArgs(*m_core)
                                + rangeArgs().mid(0, 2));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.errText().startsWith(u"gapless: --idempotency-key '%1'"_s.arg(key)), qPrintable(r.errText()));
        QVERIFY(r.out.isEmpty());
    }
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM idempotency_keys"_s), 0);
}

void TestCliJobs::cli14_nothingListening()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const RunResult r = run(QStringList{u"--json"_s, u"verify"_s, u"--connect"_s, u"ws://127.0.0.1:%1"_s.arg(port)}
                            + rangeArgs());
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"ws://127.0.0.1:%1/ws/market"_s.arg(port)), qPrintable(r.errText()));
    QCOMPARE(errorCode(r), u"unavailable"_s);
}

void TestCliJobs::cli14_badConnect_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("names");
    QTest::newRow("http") << QStringList{u"--connect"_s, u"http://127.0.0.1:1"_s} << u"--connect 'http://127.0.0.1:1'"_s;
    QTest::newRow("no port") << QStringList{u"--connect"_s, u"ws://127.0.0.1"_s} << u"--connect 'ws://127.0.0.1'"_s;
    QTest::newRow("other path") << QStringList{u"--connect"_s, u"ws://127.0.0.1:9/x"_s} << u"ws://127.0.0.1:9/x"_s;
    QTest::newRow("no value") << QStringList{u"--connect"_s} << u"--connect"_s;
    QTest::newRow("with --db") << QStringList{u"--connect"_s, u"ws://127.0.0.1:9"_s, u"--db"_s, u"x.db"_s}
                               << u"--connect with --db"_s;
}

void TestCliJobs::cli14_badConnect()
{
    QFETCH(QStringList, args);
    QFETCH(QString, names);
    const RunResult r = run(QStringList{u"repair"_s} + rangeArgs() + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(u"gapless: "_s) && r.errText().contains(names), qPrintable(r.errText()));
    QVERIFY(r.out.isEmpty());
}

void TestCliJobs::cli14_wrongToken()
{
    QVERIFY(startCore());
    for (const QString &token : {u"wrong-token-0123456789"_s, QString()}) {
        QStringList args{u"--json"_s, u"verify"_s, u"--connect"_s, u"ws://127.0.0.1:%1"_s.arg(m_core->url().port())};
        if (!token.isEmpty())
            args << u"--token"_s << token;
        const RunResult r = run(args + rangeArgs());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(errorCode(r), u"unauthorized"_s);
        QVERIFY2(r.errText().contains(u"--token"_s), qPrintable(r.errText()));
    }
    QCOMPARE(count(*m_core, u"SELECT COUNT(*) FROM jobs"_s), 0);
}

QTEST_GUILESS_MAIN(TestCliJobs)
#include "tst_clijobs.moc"
