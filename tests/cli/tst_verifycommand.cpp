// `gapless verify` (REP-1..5, REP-13) through the executable: one line per differing day and
// a summary, the REP-5 document with --json, exit 3 on findings and 0 when clean, bad input
// refused naming it.
#include "core/repair/daybucket.h"
#include "tests/repair/repaircli.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

class TestVerifyCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rep13_cleanRangeExitsZero();
    void rep13_findingsPrintDaysAndExitThree();
    void rep5_jsonIsTheResult();
    void rep1_rejectedSourceRowsAreReported();
    void rep13_badInput_data();
    void rep13_badInput();
    void rep1_unknownSeries();

private:
    std::unique_ptr<RepairCli> m_cli;
};

void TestVerifyCommand::init()
{
    m_cli = std::make_unique<RepairCli>();
    QVERIFY2(m_cli->start(), qPrintable(m_cli->error()));
}

void TestVerifyCommand::rep13_cleanRangeExitsZero()
{
    const RunResult r = m_cli->run(QStringList{u"verify"_s} + m_cli->rangeArgs());
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.outLines();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains(u" 0 differ; %1 local rows, %1 source rows, 0 rejected"_s.arg(m_cli->data().size())),
             qPrintable(lines.first()));
}

void TestVerifyCommand::rep13_findingsPrintDaysAndExitThree()
{
    const CandleList d2 = m_cli->day(2);
    QVERIFY(m_cli->corrupt(d2.at(7).time, 1.0));
    QVERIFY(m_cli->erase(d2.at(8).time, d2.at(10).time)); // two rows gone the same day
    const RunResult r = m_cli->run(QStringList{u"verify"_s} + m_cli->rangeArgs());
    QCOMPARE(r.exitCode, 3);
    const QStringList lines = r.outLines();
    QCOMPARE(lines.size(), 2);
    const QString day = repair::DaySpan{d2.first().time, d2.first().time + 60}.name();
    QCOMPARE(lines.at(0), u"%1 local %2 source %3 missing 2 extra 0 differ 1"_s.arg(day).arg(d2.size() - 2).arg(d2.size()));
    QVERIFY(lines.at(1).contains(u"1 differ"_s));
}

void TestVerifyCommand::rep5_jsonIsTheResult()
{
    const CandleList d0 = m_cli->day(0);
    QVERIFY(m_cli->corrupt(d0.at(3).time, 0.5));
    const RunResult r = m_cli->run(QStringList{u"--json"_s, u"verify"_s} + m_cli->rangeArgs());
    QCOMPARE(r.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value("buckets_differ"_L1).toInt(), 1);
    QCOMPARE(doc.value("rows_local"_L1).toInteger(), m_cli->data().size());
    const QJsonObject first = doc.value("buckets"_L1).toArray().first().toObject();
    QCOMPARE(first.value("differ"_L1).toInt(), 1);
    QCOMPARE(first.value("source_sha256"_L1).toString(), repair::bucketChecksum(d0));
    QVERIFY(first.value("local_sha256"_L1).toString() != first.value("source_sha256"_L1).toString());
}

void TestVerifyCommand::rep1_rejectedSourceRowsAreReported()
{
    const CandleList d0 = m_cli->day(0);
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (const Candle &c : d0)
        csv += repair::checksumLine(c);
    csv += "not,a,row\n";
    QTemporaryDir dir;
    const QString path = dir.filePath(u"d0.csv"_s);
    QVERIFY(writeFile(path, csv));
    const RunResult r = m_cli->run({u"verify"_s, u"--series"_s, QString::fromLatin1(RepairCli::kSeries), u"--from"_s,
                                    QString::number(d0.first().time), u"--to"_s, QString::number(d0.last().time + 60),
                                    u"--source"_s, u"file:"_s + path});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.errText().contains(path + u":%1:"_s.arg(d0.size() + 2)), qPrintable(r.errText()));
    QVERIFY(r.outLines().last().endsWith(u"1 rejected"_s));
}

void TestVerifyCommand::rep13_badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("names");
    const QString s = QString::fromLatin1(RepairCli::kSeries);
    QTest::newRow("unaligned to") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s, u"90"_s,
                                                 u"--source"_s, u"file:x.csv"_s} << u"to 90"_s;
    QTest::newRow("empty range") << QStringList{u"--series"_s, s, u"--from"_s, u"60"_s, u"--to"_s, u"60"_s,
                                                u"--source"_s, u"file:x.csv"_s} << u"from < to"_s;
    QTest::newRow("exchange for a file series") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s,
                                                               u"60"_s} << u"no network source"_s;
    QTest::newRow("bad source") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s, u"60"_s,
                                               u"--source"_s, u"s3://b"_s} << u"s3://b"_s;
    QTest::newRow("no series") << QStringList{u"--from"_s, u"0"_s, u"--to"_s, u"60"_s} << u"series"_s;
    QTest::newRow("iso without zone") << QStringList{u"--series"_s, s, u"--from"_s, u"2024-06-14T00:00:00"_s,
                                                     u"--to"_s, u"60"_s} << u"2024-06-14T00:00:00"_s;
    QTest::newRow("extra word") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s, u"60"_s, u"x"_s}
                                << u"'x'"_s;
}

void TestVerifyCommand::rep13_badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, names);
    const RunResult r = m_cli->run(QStringList{u"verify"_s} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(u"gapless: "_s) && r.errText().contains(names), qPrintable(r.errText()));
    QVERIFY(r.out.isEmpty());
}

void TestVerifyCommand::rep1_unknownSeries()
{
    const CandleList d0 = m_cli->day(0);
    const RunResult r = m_cli->run({u"--json"_s, u"verify"_s, u"--series"_s, u"file:cn:NOPE:1m"_s, u"--from"_s,
                                    QString::number(d0.first().time), u"--to"_s, QString::number(d0.last().time + 60),
                                    u"--source"_s, u"file:"_s + dataFile(u"sse_000001_1m.csv"_s)});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject error = QJsonDocument::fromJson(r.out).object().value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"not_found"_s);
    QVERIFY(error.value("message"_L1).toString().contains(u"file:cn:NOPE:1m"_s));
}

QTEST_GUILESS_MAIN(TestVerifyCommand)
#include "tst_verifycommand.moc"
