// `gapless repair` (REP-6..8, REP-11, REP-13) through the executable on a real store: the
// REP-14 damage repaired with a text summary and --json, exit 3 only for findings left, and
// every bad argument refused with exit 2 naming it.
#include "tests/repair/repaircli.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

class TestRepairCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rep13_repairWritesTheDifferencesAndExitsZero();
    void rep13_manualReviewExitsThree();
    void rep13_badArguments_data();
    void rep13_badArguments();
    void rep6_unknownVerifyJob();

private:
    std::unique_ptr<RepairCli> m_cli;
    QList<qint64> m_corrupted;
    qint64 m_deleted = 0;
};

void TestRepairCommand::init()
{
    m_cli = std::make_unique<RepairCli>();
    QVERIFY2(m_cli->start(), qPrintable(m_cli->error()));
    m_corrupted.clear();
    for (const int d : {1, 3, 5}) {
        const CandleList rows = m_cli->day(d);
        m_corrupted.append(rows.at(rows.size() / 2).time);
        QVERIFY(m_cli->corrupt(m_corrupted.last(), 0.25));
    }
    const CandleList gone = m_cli->day(7);
    m_deleted = gone.size();
    QVERIFY(m_cli->erase(gone.first().time, gone.last().time + 60));
}

void TestRepairCommand::rep13_repairWritesTheDifferencesAndExitsZero()
{
    const RunResult r = m_cli->run(QStringList{u"repair"_s} + m_cli->rangeArgs() + QStringList{u"--policy"_s, u"source-wins"_s});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.outLines();
    QCOMPARE(lines.size(), 5); // four differing days, then the summary
    QVERIFY2(lines.at(0).contains(u" local "_s) && lines.at(0).endsWith(u"differ 1"_s), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(3).contains(u"local 0 source %1 missing %1 extra 0 differ 0"_s.arg(m_deleted)),
             qPrintable(lines.at(3)));
    QCOMPARE(lines.at(4), u"4 buckets differ: %1 rows inserted, 3 updated, 0 kept local, 0 review items, 0 extra kept; "
                          u"write amplification 1.00; 0 residual buckets"_s.arg(m_deleted));
    QCOMPARE(m_cli->query(u"SELECT COUNT(*) FROM candle_revisions WHERE cause = 'repair'"_s).first().toInt(), 3);
    const RunResult again = m_cli->run(QStringList{u"--json"_s, u"verify"_s} + m_cli->rangeArgs());
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(again.out).object().value("buckets_differ"_L1).toInt(), 0);
}

void TestRepairCommand::rep13_manualReviewExitsThree()
{
    const RunResult r = m_cli->run(QStringList{u"--json"_s, u"repair"_s} + m_cli->rangeArgs()
                                   + QStringList{u"--policy"_s, u"manual-review"_s});
    QCOMPARE(r.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value("review_items"_L1).toInt(), 3);
    QCOMPARE(doc.value("rows_inserted"_L1).toInteger(), m_deleted);
    QCOMPARE(doc.value("residual_buckets"_L1).toInt(), 3);
    QCOMPARE(doc.value("policy"_L1).toString(), u"manual_review"_s);
    QCOMPARE(doc.value("buckets_differ"_L1).toInt(), 4);
    QVERIFY(!doc.value("job_id"_L1).toString().isEmpty());
    QCOMPARE(m_cli->query(u"SELECT job_id FROM review_items"_s).first().toString(), doc.value("job_id"_L1).toString());
}

void TestRepairCommand::rep13_badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("names");
    const QString s = QString::fromLatin1(RepairCli::kSeries);
    QTest::newRow("policy underscores") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s, u"60"_s,
                                                       u"--policy"_s, u"source_wins"_s} << u"source_wins"_s;
    QTest::newRow("unaligned from") << QStringList{u"--series"_s, s, u"--from"_s, u"30"_s, u"--to"_s, u"600"_s,
                                                   u"--source"_s, u"file:x.csv"_s} << u"from 30"_s;
    QTest::newRow("from after to") << QStringList{u"--series"_s, s, u"--from"_s, u"600"_s, u"--to"_s, u"60"_s,
                                                  u"--source"_s, u"file:x.csv"_s} << u"from < to"_s;
    QTest::newRow("bad source") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s, u"--to"_s, u"60"_s,
                                               u"--source"_s, u"http://x"_s} << u"http://x"_s;
    QTest::newRow("bad time") << QStringList{u"--series"_s, s, u"--from"_s, u"yesterday"_s, u"--to"_s, u"60"_s}
                              << u"yesterday"_s;
    QTest::newRow("no to") << QStringList{u"--series"_s, s, u"--from"_s, u"0"_s} << u"to"_s;
    QTest::newRow("both forms") << QStringList{u"--series"_s, s, u"--verify-job"_s, u"5"_s} << u"--verify-job"_s;
    QTest::newRow("bad job id") << QStringList{u"--verify-job"_s, u"abc"_s} << u"abc"_s;
    QTest::newRow("bad series") << QStringList{u"--series"_s, u"nope"_s, u"--from"_s, u"0"_s, u"--to"_s, u"60"_s}
                                << u"--series"_s;
}

void TestRepairCommand::rep13_badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, names);
    const RunResult r = m_cli->run(QStringList{u"repair"_s} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(u"gapless: "_s) && r.errText().contains(names), qPrintable(r.errText()));
    QCOMPARE(m_cli->query(u"SELECT COUNT(*) FROM candle_revisions WHERE cause = 'repair'"_s).first().toInt(), 0);
}

void TestRepairCommand::rep6_unknownVerifyJob()
{
    const RunResult r = m_cli->run({u"repair"_s, u"--verify-job"_s, u"424242"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"verify job 424242"_s), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestRepairCommand)
#include "tst_repaircommand.moc"
