// `gapless replay-exchange` (SRC-14, CLI-1..3, CLI-7): the real binary prints its listening
// line, serves the Binance routes from the tapes, stops on SIGTERM/SIGINT, and refuses bad
// options, tapes and fault specs with exit 2 and a message naming the input.
#include "tests/support/gaplessrun.h"
#include "tests/support/httpprobe.h"
#include "tests/support/streamprobe.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace gapless::test;

class TestReplayExchangeCommand final : public QObject
{
    Q_OBJECT

private slots:
    void servesUntilSignalled_data();
    void servesUntilSignalled();
    void rejectsOptions_data();
    void rejectsOptions();
    void rejectsBadCsvRow();

private:
    QTemporaryDir m_dir;
};

void TestReplayExchangeCommand::servesUntilSignalled_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("SIGTERM") << int(SIGTERM) << 0;
    QTest::addRow("SIGINT") << int(SIGINT) << 130;
}

void TestReplayExchangeCommand::servesUntilSignalled()
{
    QFETCH(int, signal);
    QFETCH(int, exitCode);
    QProcess process;
    startGapless(process,
                 {u"replay-exchange"_s, u"--data"_s, dataFile(u"sse_000001_1m.csv"_s) + u":SSEUSDT"_s, u"--data"_s,
                  dataFile(u"cffex_IFL8_1m_part1.csv"_s), u"--listen"_s, u"127.0.0.1:0"_s, u"--speed"_s, u"60"_s,
                  u"--faults"_s, u"latency:min=1ms,max=2ms"_s, u"--seed"_s, u"42"_s},
                 m_dir.filePath(u"home"_s));
    QByteArray out;
    QVERIFY(QTest::qWaitFor([&] {
        out += process.readAllStandardOutput();
        return out.contains('\n') || process.state() == QProcess::NotRunning;
    }, 30000));
    const auto match = QRegularExpression(u"^listening (http://127\\.0\\.0\\.1:\\d+)$"_s)
                           .match(QString::fromUtf8(out).trimmed());
    QVERIFY2(match.hasMatch(), out.constData());
    const QString base = match.captured(1);

    HttpProbe http;
    const HttpResult time = http.get(QUrl(base + u"/api/v3/time"_s));
    QCOMPARE(time.status, 200);
    QCOMPARE(time.json()["speed"_L1].toDouble(), 60.0);
    QVERIFY(time.json()["serverTime"_L1].toInteger() > 1700000000000);
    const HttpResult klines = http.get(QUrl(base + u"/fapi/v1/klines?symbol=DEMOUSDT&interval=1h&limit=3"_s));
    QCOMPARE(klines.status, 200);
    QCOMPARE(klines.json().array().size(), 3);
    const QJsonObject state = http.get(QUrl(base + u"/_replay/state"_s)).json().object();
    QCOMPARE(state["symbols"_L1].toArray(), (QJsonArray{u"DEMOUSDT"_s, u"SSEUSDT"_s}));
    QCOMPARE(state["seed"_L1].toInteger(), 42);
    StreamProbe stream;
    QVERIFY(stream.open(QUrl(QString(base).replace(u"http:"_s, u"ws:"_s) + u"/ws/sseusdt@kline_1m"_s)));
    QTRY_VERIFY(!stream.klines().isEmpty());

    ::kill(pid_t(process.processId()), signal);
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), exitCode);
    // Streams hear of the shutdown before their connection closes.
    QTRY_VERIFY(stream.isClosed());
    QVERIFY(stream.messages().constLast().contains("serverShutdown"));
}

void TestReplayExchangeCommand::rejectsOptions_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::addRow("bad fault item") << QStringList{u"--faults"_s, u"drop:every=2;boom"_s}
                                    << u"gapless: --faults item 2 'boom': kind 'boom' is unknown; expected one of "
                                       u"disconnect, stall, drop, hole, http429, http5xx, latency, malformed, "
                                       u"weights, cutoff"_s;
    QTest::addRow("bad fault value") << QStringList{u"--faults"_s, u"hole:len=0"_s}
                                     << u"gapless: --faults item 1 'hole:len=0': len '0' is not a count; expected "
                                        u"an integer >= 1"_s;
    QTest::addRow("speed too high") << QStringList{u"--speed"_s, u"3601"_s}
                                    << u"gapless: --speed '3601': not a speed; expected a number above 0 and at "
                                       u"most 3600"_s;
    QTest::addRow("time mode") << QStringList{u"--time-mode"_s, u"loop"_s}
                               << u"gapless: --time-mode 'loop': unknown; expected contiguous or shift"_s;
    QTest::addRow("not loopback") << QStringList{u"--listen"_s, u"0.0.0.0:0"_s}
                                  << u"gapless: --listen 0.0.0.0:0: not loopback; expected 127.0.0.1:PORT"_s;
    QTest::addRow("seed") << QStringList{u"--seed"_s, u"-1"_s}
                          << u"gapless: --seed '-1': not a seed; expected a whole number >= 0"_s;
}

void TestReplayExchangeCommand::rejectsOptions()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    const RunResult r = runGapless(QStringList{u"replay-exchange"_s, u"--data"_s, dataFile(u"sse_000001_1m.csv"_s)}
                                       + options,
                                   m_dir.filePath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.errLines(), QStringList{message});
    QVERIFY(r.out.isEmpty());
}

void TestReplayExchangeCommand::rejectsBadCsvRow()
{
    const QString path = m_dir.filePath(u"bad.csv"_s);
    QVERIFY(writeFile(path, "time,open,high,low,close,volume\n1700000040,1,2,0.5,1.5,10\n1700000100,1,2,x,1.5,10\n"));
    const RunResult r = runGapless({u"replay-exchange"_s, u"--data"_s, path + u":BADUSDT"_s},
                                   m_dir.filePath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(u"gapless: %1:3: "_s.arg(path)), qPrintable(r.errText()));
    const RunResult missing = runGapless({u"replay-exchange"_s}, m_dir.filePath(u"home"_s));
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.errText().contains(u"replay-exchange: missing --data"_s));
}

QTEST_GUILESS_MAIN(TestReplayExchangeCommand)
#include "tst_replayexchangecommand.moc"
