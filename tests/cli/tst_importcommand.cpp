// `gapless import` end to end (CLI-6..9, DOM-6..8, ING-14): the real executable on a real store,
// run once per backend. Every bad input is refused with a message naming it, and what was
// stored before stays exactly as it was.
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

#include <zlib.h>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::RunResult;

namespace {

const QString kHeader = u"time,open,high,low,close,volume\n"_s;

QByteArray gzip(const QByteArray &data)
{
    z_stream z{};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 32, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}


} // namespace

class TestImportCommand final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void importsSharedFiles_data();
    void importsSharedFiles();
    void reportsJson();
    void rejectsBadRows_data();
    void rejectsBadRows();
    void rejectsFormingBar();
    void keepsSoftAnomalies_data();
    void keepsSoftAnomalies();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void strictWritesNothing();
    void rejectAnomaliesOption();
    void smallBatchesGiveSameResult();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void showsProgressOnTerminal();
    void exitsOnInterrupt();
    void refusesSecondWriter();
    void refusesReadOnlyFile();
    void refusesUnreachableServer();

private:
    RunResult gapless(QStringList args, const QProcessEnvironment &env = {});
    QString writeFile(const QString &name, const QByteArray &bytes);
    QByteArray snapshot(const QString &series);

    test::TestDatabase m_db;
    QString m_url;
};

void TestImportCommand::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    QVERIFY(QFile::exists(test::gaplessBinary()));
}

void TestImportCommand::init()
{
    m_url = test::urlText(m_db.freshUrl());
}

RunResult TestImportCommand::gapless(QStringList args, const QProcessEnvironment &env)
{
    args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s), env);
}

QString TestImportCommand::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_db.tempPath(name);
    if (!test::writeFile(path, bytes))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// Everything stored for `series`, as export prints it; "" when the series is not stored.
QByteArray TestImportCommand::snapshot(const QString &series)
{
    const RunResult r = gapless({u"export"_s, u"--series"_s, series});
    return r.exitCode == 0 ? r.out : QByteArray();
}

void TestImportCommand::importsSharedFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("anomalies");
    QTest::addRow("sse") << u"sse_000001_1m.csv"_s << 16080 << 68;
    QTest::addRow("cffex") << u"cffex_IFL8_1m_part1.csv"_s << 24000 << 0;
}

void TestImportCommand::importsSharedFiles()
{
    // CLI-9 counts; CLI-10 export gives the file back byte for byte; re-import changes nothing.
    QFETCH(QString, file);
    QFETCH(int, rows);
    QFETCH(int, anomalies);
    const QString path = test::dataFile(file);
    const QString series = u"file:cn:SAMPLE:1m"_s;
    RunResult r = gapless({u"import"_s, path, u"--series"_s, series});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText(), u"%1 rows, %1 inserted, 0 updated, 0 identical, 0 rejected, %2 anomalies\n"_s.arg(rows).arg(anomalies));
    QCOMPARE(r.errLines().size(), anomalies);
    for (const QString &line : r.errLines())
        QVERIFY2(line.startsWith(path + u':') && line.contains(u": warning: "_s), qPrintable(line));

    QCOMPARE(snapshot(series), test::readFile(path));

    r = gapless({u"import"_s, path, u"--series"_s, series});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText(), u"%1 rows, 0 inserted, 0 updated, %1 identical, 0 rejected, %2 anomalies\n"_s.arg(rows).arg(anomalies));
    QCOMPARE(snapshot(series), test::readFile(path));
}

void TestImportCommand::reportsJson()
{
    const QString path = writeFile(u"j.csv"_s, (kHeader + u"60,1,2,0.5,1,5\n120,1,2,3,1,5\n180,1,1,1,1,0\nx,1,1,1,1,1\n"_s).toUtf8());
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:J:1m"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"file"_s).toString(), path);
    QCOMPARE(doc.value(u"series_id"_s).toString(), u"file:x:J:1m"_s);
    QCOMPARE(doc.value(u"rows"_s).toInt(), 4);
    QCOMPARE(doc.value(u"inserted"_s).toInt(), 2);
    QCOMPARE(doc.value(u"updated"_s).toInt(), 0);
    QCOMPARE(doc.value(u"identical"_s).toInt(), 0);
    const QJsonArray rejected = doc.value(u"rejected"_s).toArray();
    QCOMPARE(rejected.size(), 2);
    QCOMPARE(rejected.at(0).toObject().value(u"line"_s).toInt(), 3);
    QCOMPARE(rejected.at(0).toObject().value(u"time"_s).toInt(), 120);
    QCOMPARE(rejected.at(0).toObject().value(u"reasons"_s).toArray(), QJsonArray{u"high_below_low"_s});
    QVERIFY(rejected.at(0).toObject().value(u"message"_s).toString().startsWith(path + u":3: "_s));
    QCOMPARE(rejected.at(1).toObject().value(u"line"_s).toInt(), 5);
    QVERIFY(!rejected.at(1).toObject().contains(u"time"_s));
    QCOMPARE(rejected.at(1).toObject().value(u"reasons"_s).toArray(), QJsonArray{u"malformed"_s});
    const QJsonArray anomalies = doc.value(u"anomalies"_s).toArray();
    QCOMPARE(anomalies.size(), 1);
    QCOMPARE(anomalies.at(0).toObject(), (QJsonObject{{u"line"_s, 4}, {u"time"_s, 180}, {u"kind"_s, u"zero_volume"_s}}));
}

void TestImportCommand::rejectsBadRows_data()
{
    // One bad row between two good ones: the good rows are stored, the bad one reported (exit 3).
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("expected");
    QTest::addRow("high below low") << u"120,10,9,11,10,1"_s << u":3: high_below_low: "_s;
    QTest::addRow("negative volume") << u"120,10,11,9,10,-1"_s << u":3: negative_volume: "_s;
    QTest::addRow("zero price") << u"120,0,11,0,10,1"_s << u":3: nonpositive_price"_s;
    QTest::addRow("unaligned time") << u"121,10,11,9,10,1"_s << u":3: time_not_aligned: "_s;
    QTest::addRow("duplicate time") << u"60,10,11,9,10,1"_s << u":3: duplicate_time: "_s;
    QTest::addRow("out of order") << u"0,10,11,9,10,1"_s << u":3: time_not_increasing: "_s;
    QTest::addRow("several kinds") << u"120,10,9,11,10,-5"_s << u":3: high_below_low,negative_volume: "_s;
    QTest::addRow("not a number") << u"120,ten,11,9,10,1"_s << u":3: malformed: "_s;
    QTest::addRow("NaN") << u"120,NaN,11,9,10,1"_s << u":3: not_finite: "_s;
    QTest::addRow("Inf") << u"120,10,inf,9,10,1"_s << u":3: not_finite: "_s;
    QTest::addRow("five columns") << u"120,10,11,9,10"_s << u":3: malformed: "_s;
    QTest::addRow("seven columns") << u"120,10,11,9,10,1,1"_s << u":3: malformed: "_s;
    QTest::addRow("time out of range") << u"100000000000,10,11,9,10,1"_s << u":3: malformed: "_s;
}

void TestImportCommand::rejectsBadRows()
{
    QFETCH(QString, row);
    QFETCH(QString, expected);
    const QByteArray bytes = (kHeader + u"60,10,11,9,10,1\n"_s + row + u"\n180,10,11,9,10,1\n"_s).toUtf8();
    const QString path = writeFile(u"rows.csv"_s, bytes);
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:R:1m"_s});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.outText(), u"3 rows, 2 inserted, 0 updated, 0 identical, 1 rejected, 0 anomalies\n"_s);
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.errLines().constFirst().startsWith(path + expected), qPrintable(r.errText()));
    QVERIFY2(r.errLines().constFirst().contains(u"; expected "_s), qPrintable(r.errText()));
    QCOMPARE(snapshot(u"file:x:R:1m"_s), (kHeader + u"60,10,11,9,10,1\n180,10,11,9,10,1\n"_s).toUtf8());
}

void TestImportCommand::rejectsFormingBar()
{
    // DOM-6: a bar that has not closed yet is never stored.
    const qint64 forming = QDateTime::currentSecsSinceEpoch() / 60 * 60;
    const QString path = writeFile(u"forming.csv"_s, (kHeader + u"60,10,11,9,10,1\n%1,10,11,9,10,1\n"_s.arg(forming)).toUtf8());
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:N:1m"_s});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.outText(), u"2 rows, 1 inserted, 0 updated, 0 identical, 1 rejected, 0 anomalies\n"_s);
    QVERIFY2(r.errText().startsWith(path + u":3: not_closed: bar %1 closes at %2"_s.arg(forming).arg(forming + 60)),
             qPrintable(r.errText()));
    QCOMPARE(snapshot(u"file:x:N:1m"_s), (kHeader + u"60,10,11,9,10,1\n"_s).toUtf8());
}

void TestImportCommand::keepsSoftAnomalies_data()
{
    QTest::addColumn<QString>("row");
    QTest::addColumn<QString>("kind");
    QTest::addRow("open above high") << u"120,12,11,9,10,1"_s << u"open_above_high"_s;
    QTest::addRow("open below low") << u"120,8,11,9,10,1"_s << u"open_below_low"_s;
    QTest::addRow("close above high") << u"120,10,11,9,12,1"_s << u"close_above_high"_s;
    QTest::addRow("close below low") << u"120,10,11,9,8,1"_s << u"close_below_low"_s;
    QTest::addRow("zero volume") << u"120,10,11,9,10,0"_s << u"zero_volume"_s;
}

void TestImportCommand::keepsSoftAnomalies()
{
    // DOM-8: keep kinds are stored and reported as warnings; exit 0.
    QFETCH(QString, row);
    QFETCH(QString, kind);
    const QString path = writeFile(u"soft.csv"_s, (kHeader + row + u"\n"_s).toUtf8());
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:S:1m"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText(), u"1 rows, 1 inserted, 0 updated, 0 identical, 0 rejected, 1 anomalies\n"_s);
    QCOMPARE(r.errText(), u"%1:2: warning: %2\n"_s.arg(path, kind));
    QCOMPARE(snapshot(u"file:x:S:1m"_s), (kHeader + row + u"\n"_s).toUtf8());
}

void TestImportCommand::rejectsBadFiles_data()
{
    // A file that cannot be read at all: exit 1, one line naming it, nothing stored changes.
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QByteArray good = (kHeader + u"60,1,2,0.5,1,5\n"_s).toUtf8();
    QTest::addRow("empty") << u"empty.csv"_s << QByteArray() << u"empty"_s;
    QTest::addRow("wrong header") << u"h.csv"_s << QByteArray("t,o,h,l,c,v\n60,1,2,0.5,1,5\n") << u"header"_s;
    QTest::addRow("missing header") << u"m.csv"_s << QByteArray("60,1,2,0.5,1,5\n") << u"header"_s;
    QTest::addRow("binary garbage") << u"bin.csv"_s << QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 16) << u""_s;
    QTest::addRow("NUL byte") << u"nul.csv"_s << (good + QByteArray("120,1,2,0.5\0,1,5\n", 18)) << u"NUL"_s;
    QTest::addRow("invalid UTF-8") << u"utf.csv"_s << (good + QByteArray("120,1,2,0.5,1,5 \xff\xfe\n")) << u"UTF-8"_s;
    QTest::addRow("truncated gzip") << u"t.csv.gz"_s << gzip(good).left(12) << u"gzip"_s;
    QTest::addRow("JSON not an array") << u"o.json"_s << QByteArray("{\"a\": 1}") << u"array"_s;
    QTest::addRow("JSON garbage") << u"g.json"_s << QByteArray("[[60000, 1, 2") << u""_s;
}

void TestImportCommand::rejectsBadFiles()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString series = u"file:x:F:1m"_s;
    const QString good = writeFile(u"good.csv"_s, (kHeader + u"60,1,2,0.5,1,5\n"_s).toUtf8());
    QCOMPARE(gapless({u"import"_s, good, u"--series"_s, series}).exitCode, 0);
    const QByteArray before = snapshot(series);
    QVERIFY(!before.isEmpty());

    const QString path = writeFile(name, bytes);
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, series});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.errText().startsWith(u"gapless: "_s + path), qPrintable(r.errText()));
    QVERIFY2(r.errText().contains(expected, Qt::CaseInsensitive), qPrintable(r.errText()));
    QVERIFY2(r.errText().contains(u"expected"_s), qPrintable(r.errText()));
    QVERIFY(r.out.isEmpty());
    QCOMPARE(snapshot(series), before);
}

void TestImportCommand::strictWritesNothing()
{
    // CLI-9: --strict, any rejection → nothing written, exit 1.
    const QString path = writeFile(u"strict.csv"_s, (kHeader + u"60,1,2,0.5,1,5\n120,1,0.4,2,1,5\n180,1,2,0.5,1,5\n"_s).toUtf8());
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:T:1m"_s, u"--strict"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(path + u":3: high_below_low: "_s), qPrintable(r.errText()));
    QVERIFY2(r.errLines().constLast().startsWith(u"gapless: "_s + path + u": 1 of 3 rows rejected"_s), qPrintable(r.errText()));
    QCOMPARE(snapshot(u"file:x:T:1m"_s), QByteArray());

    const QString clean = writeFile(u"clean.csv"_s, (kHeader + u"60,1,2,0.5,1,5\n120,1,2,0.5,1,5\n"_s).toUtf8());
    QCOMPARE(gapless({u"import"_s, clean, u"--series"_s, u"file:x:T:1m"_s, u"--strict"_s}).exitCode, 0);
    QCOMPARE(snapshot(u"file:x:T:1m"_s), test::readFile(clean));
}

void TestImportCommand::rejectAnomaliesOption()
{
    // DOM-8: --reject-anomalies (and ingest.reject_soft_anomalies) reject the keep kinds too.
    const QString path = writeFile(u"z.csv"_s, (kHeader + u"60,1,2,0.5,1,0\n120,1,2,0.5,1,5\n"_s).toUtf8());
    RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:x:Z:1m"_s, u"--reject-anomalies"_s});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.errText().startsWith(path + u":2: zero_volume: "_s), qPrintable(r.errText()));
    r = gapless({u"import"_s, path, u"--series"_s, u"file:x:Y:1m"_s, u"--set"_s, u"ingest.reject_soft_anomalies=yes"_s});
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.outText(), u"2 rows, 1 inserted, 0 updated, 0 identical, 1 rejected, 0 anomalies\n"_s);
}

void TestImportCommand::smallBatchesGiveSameResult()
{
    // ING-14: ingest.batch_max rows per run; the outcome does not depend on it.
    const QString path = test::dataFile(u"sse_000001_1m.csv"_s);
    QProcessEnvironment env;
    env.insert(u"GAPLESS_INGEST_BATCH_MAX"_s, u"997"_s);
    const RunResult r = gapless({u"import"_s, path, u"--series"_s, u"file:cn:B:1m"_s, u"--no-progress"_s}, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText(), u"16080 rows, 16080 inserted, 0 updated, 0 identical, 0 rejected, 68 anomalies\n"_s);
    QCOMPARE(snapshot(u"file:cn:B:1m"_s), test::readFile(path));
}

void TestImportCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString file = test::dataFile(u"sse_000001_1m.csv"_s);
    QTest::addRow("bad series id") << QStringList{u"import"_s, file, u"--series"_s, u"nope"_s}
                                   << u"gapless: series id 'nope': 1 components"_s;
    QTest::addRow("bad timeframe") << QStringList{u"import"_s, file, u"--series"_s, u"file:x:Y:2w"_s}
                                   << u"gapless: series id 'file:x:Y:2w': timeframe '2w' is not valid"_s;
    QTest::addRow("no series") << QStringList{u"import"_s, file} << u"gapless: import: missing --series"_s;
    QTest::addRow("unknown format") << QStringList{u"import"_s, u"a.txt"_s, u"--series"_s, u"file:x:Y:1m"_s}
                                    << u"gapless: "_s;
    QTest::addRow("bad setting") << QStringList{u"import"_s, file, u"--series"_s, u"file:x:Y:1m"_s, u"--set"_s,
                                                u"ingest.batch_max=0"_s}
                                 << u"gapless: setting ingest.batch_max = \"0\" (from cli --set): expected int in"_s;
    QTest::addRow("unknown setting") << QStringList{u"import"_s, file, u"--series"_s, u"file:x:Y:1m"_s, u"--set"_s,
                                                    u"ingest.nope=1"_s}
                                     << u"gapless: "_s;
}

void TestImportCommand::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
}

void TestImportCommand::showsProgressOnTerminal()
{
    // CLI-4: a progress bar only when stderr is a terminal (here a pseudo-terminal made by
    // script(1)) and --no-progress is absent.
    const QString script = QStandardPaths::findExecutable(u"script"_s);
    if (script.isEmpty())
        QSKIP("script(1) is not installed");
    const auto runOnTerminal = [&](const QString &extra) {
        const QString command = u"'%1' import '%2' --series file:x:TTY:1m --db '%3' %4"_s.arg(
            test::gaplessBinary(), test::dataFile(u"sse_000001_1m.csv"_s), m_url, extra);
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_db.tempPath(u"home"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_db.tempPath(u"home/.config"_s));
        process.setProcessEnvironment(env);
        process.start(script, {u"-qec"_s, command, u"/dev/null"_s});
        process.closeWriteChannel();
        if (!process.waitForFinished(60000))
            qFatal("script did not finish");
        return QString::fromUtf8(process.readAllStandardOutput());
    };
    const QString shown = runOnTerminal(QString());
    QVERIFY2(shown.contains(u"\rimport ["_s) && shown.contains(u"rows/s"_s) && shown.contains(u"100%"_s),
             qPrintable(shown.left(400)));
    const QString hidden = runOnTerminal(u"--no-progress"_s);
    QVERIFY2(hidden.contains(u"0 inserted"_s), qPrintable(hidden.left(400)));
    QVERIFY(!hidden.contains(u"import ["_s));
}

void TestImportCommand::exitsOnInterrupt()
{
    // CLI-2: SIGINT ends the run with 130 and nothing half-written. The file is a FIFO nobody
    // writes to, so the import is certainly still reading when the signal arrives.
    const QString fifo = m_db.tempPath(u"stuck.csv"_s);
    QFile::remove(fifo);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, m_db.tempPath(u"home"_s));
    process.setProcessEnvironment(env);
    process.start(test::gaplessBinary(), {u"import"_s, fifo, u"--series"_s, u"file:x:INT:1m"_s, u"--db"_s, m_url});
    QVERIFY(process.waitForStarted());
    // A writer can open the FIFO without blocking only once the reader has it open.
    int writer = -1;
    QTRY_VERIFY((writer = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK)) >= 0);
    QCOMPARE(::kill(pid_t(process.processId()), SIGINT), 0);
    QVERIFY(process.waitForFinished(10000));
    ::close(writer);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    QCOMPARE(snapshot(u"file:x:INT:1m"_s), QByteArray());
}

void TestImportCommand::refusesSecondWriter()
{
    if (m_db.isPostgres())
        QSKIP("one writer per file is a SQLite rule (STORE-4)");
    auto holder = store::CandleStore::open(*store::StoreUrl::parse(m_url), {});
    QVERIFY(holder.ok());
    const RunResult r = gapless({u"import"_s, test::dataFile(u"sse_000001_1m.csv"_s), u"--series"_s, u"file:x:W:1m"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errLines().constLast().startsWith(u"gapless: %1: in use by pid %2 on "_s.arg(m_url).arg(QCoreApplication::applicationPid())),
             qPrintable(r.errText()));
    QSqlQuery q((*holder)->database());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM candles"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestImportCommand::refusesReadOnlyFile()
{
    if (m_db.isPostgres())
        QSKIP("file modes are a SQLite matter");
    const QString good = writeFile(u"ro.csv"_s, (kHeader + u"60,1,2,0.5,1,5\n"_s).toUtf8());
    QCOMPARE(gapless({u"import"_s, good, u"--series"_s, u"file:x:O:1m"_s}).exitCode, 0);
    const QByteArray before = snapshot(u"file:x:O:1m"_s);
    QVERIFY(QFile::setPermissions(m_url, QFileDevice::ReadOwner));
    const QString more = writeFile(u"more.csv"_s, (kHeader + u"120,1,2,0.5,1,5\n"_s).toUtf8());
    const RunResult r = gapless({u"import"_s, more, u"--series"_s, u"file:x:O:1m"_s});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.errText(), u"gapless: %1: the file is read-only; expected a writable database file\n"_s.arg(m_url));
    QCOMPARE(snapshot(u"file:x:O:1m"_s), before);
}

void TestImportCommand::refusesUnreachableServer()
{
    if (!m_db.isPostgres())
        QSKIP("PostgreSQL only");
    store::StoreUrl wrong = *store::StoreUrl::parse(m_url);
    wrong.password = u"wrong-password-123"_s;
    const RunResult r = test::runGapless({u"import"_s, test::dataFile(u"sse_000001_1m.csv"_s), u"--series"_s,
                                          u"file:x:P:1m"_s, u"--db"_s, test::urlText(wrong)},
                                         m_db.tempPath(u"home"_s));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errLines().constLast().startsWith(u"gapless: postgresql://postgres:***@"_s), qPrintable(r.errText()));
    QVERIFY(!r.errText().contains(u"wrong-password-123"_s));
    QVERIFY(!r.outText().contains(u"wrong-password-123"_s));
}

QTEST_GUILESS_MAIN(TestImportCommand)
#include "tst_importcommand.moc"
