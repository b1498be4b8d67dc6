// SRC-3 `source.clock = exchange`: the core's clock is the exchange's time from its /time
// replies, in `gapless serve` as in the demo; before a reply, or when none comes, the local
// clock stands in.
#include "core/sources/binance/exchangetimeclock.h"
#include "tests/support/frameclient.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testenv.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kLocalMs = 1800000000000; // the local clock stands far from the exchange's

bool startReplay(ReplayFixture &replay, const QString &faults = {})
{
    if (!replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *sources::ReplayTape::readCsv(
                                                                dataFile(u"sse_000001_1m.csv"_s))}},
                      faults))
        return false;
    replay.setWall(5000);
    return true;
}

} // namespace

class TestExchangeTimeClock : public QObject
{
    Q_OBJECT

private slots:
    void followsTheExchangeTime();
    void failedReplyLeavesTheLocalClock();
    void serveRunsOnTheExchangeClock();
};

void TestExchangeTimeClock::followsTheExchangeTime()
{
    ReplayFixture replay;
    QVERIFY(startReplay(replay));
    FixedClock local(kLocalMs);
    sources::ExchangeTimeClock clock(local, replay.url({}).toString(), false);
    QCOMPARE(clock.nowMs(), kLocalMs); // no reply yet
    QVERIFY(!clock.isSynced());
    QSignalSpy synced(&clock, &sources::ExchangeTimeClock::synced);
    clock.start();
    QVERIFY(synced.wait(10000));
    // xnow = serverTime + (local - (t_send + t_recv)/2): the replay's V, then local steps.
    QCOMPARE(clock.nowMs(), kReplayW0 + 5000);
    local.setNowMs(kLocalMs + 3000);
    QCOMPARE(clock.nowMs(), kReplayW0 + 8000);
    QCOMPARE(clock.nowSeconds(), kReplayT0 + 8);
    QCOMPARE(&clock.local(), &local);
}

void TestExchangeTimeClock::failedReplyLeavesTheLocalClock()
{
    ReplayFixture replay;
    QVERIFY(startReplay(replay, u"http5xx:status=503"_s));
    FixedClock local(kLocalMs);
    sources::ExchangeTimeClock clock(local, replay.url({}).toString(), false);
    QSignalSpy failed(&clock, &sources::ExchangeTimeClock::syncFailed);
    QSignalSpy synced(&clock, &sources::ExchangeTimeClock::synced);
    clock.start();
    QVERIFY(failed.wait(10000));
    const QString error = failed.first().first().toString();
    QVERIFY2(error.startsWith(u"GET %1/api/v3/time: HTTP 503"_s.arg(replay.url({}).toString())), qPrintable(error));
    QCOMPARE(clock.nowMs(), kLocalMs);
    // Asked again after 5 s: the fault fired once, so the next reply sets the clock.
    QVERIFY(synced.wait(10000));
    QCOMPARE(clock.nowMs(), kReplayW0 + 5000);
}

void TestExchangeTimeClock::serveRunsOnTheExchangeClock()
{
    // The served core answers `health` with now = the exchange's time, not the local one.
    ReplayFixture replay;
    QVERIFY(startReplay(replay));
    QTemporaryDir dir;
    QProcess serve;
    startGapless(serve,
                 {u"serve"_s, u"--db"_s, dir.filePath(u"core.db"_s), u"--listen"_s, u"127.0.0.1:0"_s, u"--set"_s,
                  u"source.clock=exchange"_s, u"--set"_s, u"source.binance_spot_rest="_s + replay.url({}).toString()},
                 dir.filePath(u"home"_s));
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
    client.sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, u"h1"_s}, {u"name"_s, u"health"_s}});
    const QJsonObject result = client.waitFor([](const QJsonObject &f) { return f.value("type"_L1) == "result"_L1; });
    const qint64 now = result.value("data"_L1).toObject().value("now"_L1).toInteger();
    QVERIFY2(now >= kReplayT0 + 5 && now < kReplayT0 + 65, qPrintable(QString::number(now)));
    ::kill(pid_t(serve.processId()), SIGINT);
    QVERIFY(serve.waitForFinished(30000));
    QVERIFY(!serve.readAllStandardError().contains("warning"));
}

QTEST_GUILESS_MAIN(TestExchangeTimeClock)
#include "tst_exchangetimeclock.moc"
