// `gapless serve` (CLI-14, PROTO-27/28): the real binary on a database filled by `gapless
// import`, answering a subscribe from a plain WebSocket client, and shutting down cleanly.
#include "tests/support/frameclient.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testcsv.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const QString kSeries = u"file:sse:000001.SH:1m"_s;

} // namespace

class TestServeCommand : public QObject
{
    Q_OBJECT

private slots:
    void servesImportedSeries();
    void nonLoopbackNeedsToken();
    void rejectsArguments();

private:
    TestDatabase m_db;
};

void TestServeCommand::servesImportedSeries()
{
    const QString db = urlText(m_db.freshUrl());
    const QString home = m_db.tempPath(u"home"_s);
    const RunResult imported =
        runGapless({u"import"_s, dataFile(u"sse_000001_1m.csv"_s), u"--series"_s, kSeries, u"--db"_s, db}, home);
    QVERIFY2(imported.exitCode == 0 || imported.exitCode == 3, qPrintable(imported.errText()));

    QProcess serve;
    startGapless(serve, {u"serve"_s, u"--db"_s, db, u"--listen"_s, u"127.0.0.1:0"_s}, home);
    QByteArray out;
    QVERIFY(QTest::qWaitFor([&] {
        out += serve.readAllStandardOutput();
        return out.contains('\n') || serve.state() == QProcess::NotRunning;
    }, 30000));
    const auto match = QRegularExpression(u"^listening on (ws://127\\.0\\.0\\.1:\\d+/ws/market)$"_s)
                           .match(QString::fromUtf8(out).trimmed());
    QVERIFY2(match.hasMatch(), out.constData());

    FrameClient client;
    QVERIFY(client.open(QUrl(match.captured(1))));
    client.sendJson(subscribeFrame(kSeries, 0, true));
    const QJsonObject caughtUp = client.waitForSystem(u"caught_up"_s, kSeries, 30000);
    QVERIFY(!caughtUp.isEmpty());
    const CandleList received = client.closedCandles(kSeries);
    const auto rows = readPlainCsv(dataFile(u"sse_000001_1m.csv"_s));
    QCOMPARE(received.size(), rows.size());
    QCOMPARE(received.first().time, rows.first().time);
    QCOMPARE(received.last(), rows.last());
    int gaps = 0;
    for (const QJsonObject &f : client.frames())
        gaps += f.value("type"_L1) == "gap"_L1;
    QVERIFY(gaps > 0); // lunch breaks and nights are holes, each announced

    QSignalSpy closed(&client.socket(), &QWebSocket::disconnected);
    ::kill(pid_t(serve.processId()), SIGINT);
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitCode(), 130);
    QTRY_VERIFY(!closed.isEmpty());
    QVERIFY(!client.waitForSystem(u"server_shutdown"_s, {}, 1000).isEmpty());
    QCOMPARE(int(client.socket().closeCode()), 1001);
}

void TestServeCommand::nonLoopbackNeedsToken()
{
    const RunResult r = runGapless({u"serve"_s, u"--db"_s, urlText(m_db.freshUrl()), u"--listen"_s, u"0.0.0.0:0"_s},
                                   m_db.tempPath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.errLines(), QStringList{u"gapless: --listen 0.0.0.0:0: non-loopback address; expected "
                                       u"server.access_token"_s});
}

void TestServeCommand::rejectsArguments()
{
    const RunResult r = runGapless({u"serve"_s, u"extra"_s}, m_db.tempPath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.errText().contains(u"serve: unexpected argument 'extra'"_s));
}

QTEST_GUILESS_MAIN(TestServeCommand)
#include "tst_servecommand.moc"
