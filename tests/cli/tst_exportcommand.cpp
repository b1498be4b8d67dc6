// `gapless export` (CLI-10, DOM-11): byte-exact CSV, freqtrade round trip, roll-up against the
// golden 1h files, ranges, and refusals that leave no half-written file.
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::RunResult;

namespace {


} // namespace

class TestExportCommand final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rollsUpLikeTheGoldenFile_data();
    void rollsUpLikeTheGoldenFile();
    void roundTripsFreqtrade();
    void exportsInclusiveRange();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void unknownSeriesIsNotFound();
    void leavesNoPartialFile();

private:
    RunResult gapless(QStringList args);
    test::TestDatabase m_db;
    QString m_url;
};

void TestExportCommand::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    m_url = test::urlText(m_db.freshUrl());
    for (const auto &[file, series] : {std::pair{u"sse_000001_1m.csv"_s, u"file:cn:SSE:1m"_s},
                                       std::pair{u"cffex_IFL8_1m_part1.csv"_s, u"file:cn:CFFEX:1m"_s}}) {
        const RunResult r = gapless({u"import"_s, test::dataFile(file), u"--series"_s, series});
        QCOMPARE(r.exitCode, 0);
    }
}

RunResult TestExportCommand::gapless(QStringList args)
{
    args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s));
}

void TestExportCommand::rollsUpLikeTheGoldenFile_data()
{
    QTest::addColumn<QString>("series");
    QTest::addColumn<QString>("golden");
    QTest::addColumn<QString>("facts");
    QTest::addRow("sse") << u"file:cn:SSE:1m"_s << u"expected/sse_000001_1m_1h.csv"_s << u"expected/sse_000001_1m.json"_s;
    QTest::addRow("cffex") << u"file:cn:CFFEX:1m"_s << u"expected/cffex_IFL8_1m_part1_1h.csv"_s
                           << u"expected/cffex_IFL8_1m_part1.json"_s;
}

void TestExportCommand::rollsUpLikeTheGoldenFile()
{
    // DOM-11: only complete buckets, `incomplete` on stderr, exit 0 whatever it is.
    QFETCH(QString, series);
    QFETCH(QString, golden);
    QFETCH(QString, facts);
    const RunResult r = gapless({u"export"_s, u"--series"_s, series, u"--timeframe"_s, u"1h"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, test::readFile(test::dataFile(golden)));
    const QJsonObject rollups = QJsonDocument::fromJson(test::readFile(test::dataFile(facts))).object().value(u"rollups"_s).toObject();
    QCOMPARE(r.errText(), u"incomplete: %1\n"_s.arg(rollups.value(u"3600"_s).toObject().value(u"incomplete"_s).toInt()));
}

void TestExportCommand::roundTripsFreqtrade()
{
    const QString json = m_db.tempPath(u"sse.json"_s);
    RunResult r = gapless({u"export"_s, u"--series"_s, u"file:cn:SSE:1m"_s, u"--format"_s, u"freqtrade"_s, u"-o"_s, json});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(test::readFile(json).startsWith("[[1718328600000,3020.96,3021.78,3015.67,3018.92,107160608],"));
    r = gapless({u"import"_s, json, u"--series"_s, u"file:cn:SSE2:1m"_s});
    QCOMPARE(r.exitCode, 0);
    r = gapless({u"export"_s, u"--series"_s, u"file:cn:SSE2:1m"_s});
    QCOMPARE(r.out, test::readFile(test::dataFile(u"sse_000001_1m.csv"_s)));
}

void TestExportCommand::exportsInclusiveRange()
{
    const RunResult r = gapless({u"export"_s, u"--series"_s, u"file:cn:SSE:1m"_s, u"--from"_s, u"1718328660"_s,
                                 u"--to"_s, u"2024-06-14T01:33:00Z"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outText(), u"time,open,high,low,close,volume\n"
                          u"1718328660,3018.42,3021.28,3017.86,3020.7,47568642\n"
                          u"1718328720,3020.89,3020.89,3017.81,3017.81,40462759\n"
                          u"1718328780,3018.27,3019.45,3017.5,3019.09,40736928\n"_s);
}

void TestExportCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addRow("smaller timeframe") << QStringList{u"export"_s, u"--series"_s, u"file:cn:SSE:5m"_s, u"--timeframe"_s, u"1m"_s}
                                       << u"gapless: "_s;
    QTest::addRow("not a multiple") << QStringList{u"export"_s, u"--series"_s, u"file:cn:SSE:1h"_s, u"--timeframe"_s, u"90m"_s}
                                    << u"gapless: "_s;
    QTest::addRow("bad format") << QStringList{u"export"_s, u"--series"_s, u"file:cn:SSE:1m"_s, u"--format"_s, u"xml"_s}
                                << u"gapless: export: --format 'xml'"_s;
    QTest::addRow("no series") << QStringList{u"export"_s} << u"gapless: export: missing --series"_s;
}

void TestExportCommand::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
    QVERIFY2(r.errText().contains(u"expected"_s), qPrintable(r.errText()));
    QVERIFY(r.out.isEmpty());
}

void TestExportCommand::unknownSeriesIsNotFound()
{
    const RunResult r = gapless({u"export"_s, u"--series"_s, u"file:cn:NOPE:1m"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().startsWith(u"gapless: series 'file:cn:NOPE:1m': not in the store"_s), qPrintable(r.errText()));
}

void TestExportCommand::leavesNoPartialFile()
{
    const QString target = m_db.tempPath(u"out.csv"_s);
    const RunResult r = gapless({u"export"_s, u"--series"_s, u"file:cn:NOPE:1m"_s, u"-o"_s, target});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(!QFile::exists(target));
    const RunResult bad = gapless({u"export"_s, u"--series"_s, u"file:cn:SSE:1m"_s, u"-o"_s, m_db.tempPath(u"no/dir/x.csv"_s)});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.errText().contains(u"expected a writable file"_s), qPrintable(bad.errText()));
}

QTEST_GUILESS_MAIN(TestExportCommand)
#include "tst_exportcommand.moc"
