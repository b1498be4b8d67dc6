// `gapless demo --headless` (BF-24): the replay exchange and a core in one process, with
// stream outages; the sync series goes live and green, and after the outages the stored 1m
// series has no hole.
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

class TestDemoCommand : public QObject
{
    Q_OBJECT

private slots:
    void headlessRunHealsOutages();
    void rejectsBadOptions_data();
    void rejectsBadOptions();

private:
    QTemporaryDir m_dir;
};

void TestDemoCommand::headlessRunHealsOutages()
{
    const QString db = m_dir.filePath(u"demo.db"_s);
    const RunResult r = runGapless({u"demo"_s, u"--headless"_s, u"--speed"_s, u"60"_s, u"--duration"_s, u"12s"_s,
                                    u"--outage-every"_s, u"4s"_s, u"--outage-for"_s, u"2s"_s, u"--db"_s, db},
                                   m_dir.filePath(u"home"_s));
    QCOMPARE(r.exitCode, 0);
    const QString out = r.outText();
    QVERIFY2(out.contains(u" stream binance:spot:DEMO/USDT:1m live"_s), qPrintable(out));
    QVERIFY2(out.contains(u" health binance:spot:DEMO/USDT:1m green fresh"_s), qPrintable(out));
    QVERIFY2(out.contains(u" outage stream DEMOUSDT closed"_s), qPrintable(out));
    // Every outage healed: the stored 1m series has no hole (BF-24).
    const RunResult gaps = runGapless({u"gaps"_s, u"--series"_s, u"binance:spot:DEMO/USDT:1m"_s, u"--db"_s, db,
                                       u"--json"_s},
                                      m_dir.filePath(u"home"_s));
    QCOMPARE(gaps.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(gaps.out).object();
    QVERIFY(report.value("rows"_L1).toInteger() > 1000);
    QCOMPARE(report.value("gap_count"_L1).toInteger(), 0);
}

void TestDemoCommand::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("speed") << QStringList{u"--headless"_s, u"--speed"_s, u"0"_s} << u"--speed '0'"_s;
    QTest::addRow("duration") << QStringList{u"--headless"_s, u"--duration"_s, u"soon"_s} << u"--duration 'soon'"_s;
    QTest::addRow("data") << QStringList{u"--headless"_s, u"--data"_s, u"/nonexistent.csv"_s}
                          << u"/nonexistent.csv"_s;
    // BF-24: the window takes no demo options (a GUI build), or there is no window (headless).
    QTest::addRow("options without --headless") << QStringList{u"--speed"_s, u"5"_s} << u"expected --headless"_s;
}

void TestDemoCommand::rejectsBadOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const RunResult r = runGapless(QStringList{u"demo"_s} + args, m_dir.filePath(u"home"_s));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().contains(message), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestDemoCommand)
#include "tst_democommand.moc"
