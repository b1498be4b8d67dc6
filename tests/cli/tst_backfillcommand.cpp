// `gapless backfill` (BF-22/23): the real binary fills a range of a binance series from the
// replay exchange running in this test, reports the BF-3 counts and exits by what is left.
#include "tests/support/gaplessrun.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testenv.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const QString kSeries = u"binance:spot:DEMO/USDT:1m"_s;

} // namespace

class TestBackfillCommand : public QObject
{
    Q_OBJECT

private slots:
    void fillsARange();
    void reportsWhatIsStillMissing();
    void refusesSeriesWithoutSource();

private:
    RunResult run(ReplayFixture &replay, const QStringList &args);
    QTemporaryDir m_dir;
};

RunResult TestBackfillCommand::run(ReplayFixture &replay, const QStringList &args)
{
    // The exchange lives in this process, so the event loop must turn while the binary runs.
    return runGaplessServing(QStringList{u"backfill"_s, u"--set"_s,
                                         u"source.binance_spot_rest="_s + replay.url({}).toString(), u"--set"_s,
                                         u"source.binance_rest_max_attempts=2"_s}
                                 + args,
                             m_dir.filePath(u"home"_s));
}

void TestBackfillCommand::fillsARange()
{
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *sources::ReplayTape::readCsv(
                                                                   dataFile(u"sse_000001_1m.csv"_s))}}));
    replay.setWall(5000);
    const QString db = m_dir.filePath(u"fill.db"_s);
    const QString from = QString::number(kReplayT0 - 1500 * 60);
    const QString to = QString::number(kReplayT0 - 60);
    RunResult r = run(replay, {u"--series"_s, kSeries, u"--from"_s, from, u"--to"_s, to, u"--db"_s, db});
    QVERIFY2(r.exitCode == 0, qPrintable(r.errText()));
    QVERIFY2(r.outText().startsWith(u"%1 [%2..%3]: 1500 slots, 0 present, 1500 filled, 0 source-missing, 0 still "
                                    u"missing; 3 requests"_s.arg(kSeries, from, to)),
             qPrintable(r.outText()));
    // Again: everything is present, nothing is fetched.
    r = run(replay, {u"--series"_s, kSeries, u"--from"_s, from, u"--to"_s, to, u"--db"_s, db, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value("present_before"_L1).toInteger(), 1500);
    QCOMPARE(json.value("filled"_L1).toInteger(), 0);
    QCOMPARE(json.value("requests"_L1).toInteger(), 0);
}

void TestBackfillCommand::reportsWhatIsStillMissing()
{
    ReplayFixture replay;
    QVERIFY(replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *sources::ReplayTape::readCsv(
                                                                   dataFile(u"sse_000001_1m.csv"_s))}},
                         u"http5xx:every=1"_s));
    replay.setWall(5000);
    const RunResult r = run(replay, {u"--series"_s, kSeries, u"--from"_s, QString::number(kReplayT0 - 600),
                                     u"--to"_s, QString::number(kReplayT0 - 60), u"--db"_s,
                                     m_dir.filePath(u"fail.db"_s)});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.outText().contains(u"10 slots, 0 present, 0 filled, 0 source-missing, 10 still missing"_s),
             qPrintable(r.outText()));
    QVERIFY2(r.errText().contains(u"HTTP 500 after 2 attempts"_s), qPrintable(r.errText()));
    // SRC-7: the window given up on is an open journal row with step fetch.
    const RunResult errors = runGapless({u"errors"_s, u"list"_s, u"--db"_s, m_dir.filePath(u"fail.db"_s), u"--json"_s},
                                        m_dir.filePath(u"home"_s));
    QCOMPARE(errors.exitCode, 0);
    QVERIFY2(errors.outText().contains(u"\"step\":\"fetch\""_s), qPrintable(errors.outText()));
    QVERIFY(errors.outText().contains(u"HTTP 500 after 2 attempts"_s));
}

void TestBackfillCommand::refusesSeriesWithoutSource()
{
    const RunResult r = runGapless({u"backfill"_s, u"--series"_s, u"file:cn:X:1m"_s, u"--db"_s,
                                    m_dir.filePath(u"none.db"_s)},
                                   m_dir.filePath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().contains(u"no network source and no file"_s), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestBackfillCommand)
#include "tst_backfillcommand.moc"
