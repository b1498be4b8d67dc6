// `gapless review list|resolve` (REP-9, REP-10, REP-13): items opened by a manual-review
// repair, listed as text and --json, resolved with keep-local and accept-source, conflicts
// and bad input refused.
#include "tests/repair/repaircli.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

class TestReviewCommand : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rep10_listShowsOpenItems();
    void rep10_keepLocalThenAcceptSource();
    void rep10_resolvedAgainIsConflict();
    void rep13_badInput_data();
    void rep13_badInput();

private:
    std::unique_ptr<RepairCli> m_cli;
    QList<qint64> m_times;
    QStringList m_ids;
};

void TestReviewCommand::init()
{
    m_cli = std::make_unique<RepairCli>();
    QVERIFY2(m_cli->start(), qPrintable(m_cli->error()));
    m_times.clear();
    for (const int d : {0, 4}) {
        m_times.append(m_cli->day(d).at(20).time);
        QVERIFY(m_cli->corrupt(m_times.last(), 0.75));
    }
    const RunResult r = m_cli->run(QStringList{u"repair"_s} + m_cli->rangeArgs()
                                   + QStringList{u"--policy"_s, u"manual-review"_s});
    QCOMPARE(r.exitCode, 3);
    m_ids.clear();
    for (const QVariant &v : m_cli->query(u"SELECT id FROM review_items ORDER BY candle_time"_s))
        m_ids.append(v.toString());
    QCOMPARE(m_ids.size(), 2);
}

void TestReviewCommand::rep10_listShowsOpenItems()
{
    const RunResult text = m_cli->run({u"review"_s, u"list"_s});
    QCOMPARE(text.exitCode, 0);
    const QStringList lines = text.outLines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), u"id\tseries_id\tcandle_time\tstate\tlocal_json\tsource_json\tresolved_by"_s);
    QVERIFY(lines.at(1).startsWith(u"%1\t%2\t%3\topen\t{"_s.arg(m_ids.at(0), QString::fromLatin1(RepairCli::kSeries))
                                       .arg(m_times.at(0))));
    const RunResult json = m_cli->run({u"--json"_s, u"review"_s, u"list"_s, u"--after-id"_s, m_ids.at(0)});
    QCOMPARE(json.exitCode, 0);
    const QJsonArray items = QJsonDocument::fromJson(json.out).object().value("items"_L1).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.at(0).toObject().value("candle_time"_L1).toInteger(), m_times.at(1));
    QCOMPARE(items.at(0).toObject().value("state"_L1).toString(), u"open"_s);
}

void TestReviewCommand::rep10_keepLocalThenAcceptSource()
{
    const RunResult keep = m_cli->run({u"review"_s, u"resolve"_s, m_ids.at(0), u"keep-local"_s, u"--actor"_s, u"ana"_s});
    QCOMPARE(keep.exitCode, 0);
    QCOMPARE(keep.outLines(), QStringList{u"1 items kept_local; 0 rows inserted, 0 updated"_s});
    QCOMPARE(m_cli->query(u"SELECT resolved_by FROM review_items WHERE id = ?"_s, {m_ids.at(0)}).first().toString(),
             u"ana"_s);
    const RunResult accept = m_cli->run({u"--json"_s, u"review"_s, u"resolve"_s, m_ids.at(1), u"accept-source"_s});
    QCOMPARE(accept.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(accept.out).object();
    QCOMPARE(doc.value("rows_updated"_L1).toInt(), 1);
    QCOMPARE(m_cli->query(u"SELECT job_id FROM candle_revisions WHERE cause = 'review'"_s).first().toString(),
             doc.value("job_id"_L1).toString());
    QVERIFY(m_cli->query(u"SELECT resolved_by FROM review_items WHERE id = ?"_s, {m_ids.at(1)}).first().toString()
                .startsWith(u"cli:"_s));
    const QVariantList close = m_cli->query(u"SELECT close FROM candles WHERE candle_time = ?"_s, {m_times.at(1)});
    QCOMPARE(close.first().toDouble(), m_cli->day(4).at(20).close);
}

void TestReviewCommand::rep10_resolvedAgainIsConflict()
{
    QCOMPARE(m_cli->run({u"review"_s, u"resolve"_s, m_ids.at(0), u"keep-local"_s}).exitCode, 0);
    const RunResult again = m_cli->run({u"--json"_s, u"review"_s, u"resolve"_s, m_ids.at(1), m_ids.at(0),
                                        u"accept-source"_s});
    QCOMPARE(again.exitCode, 1);
    QCOMPARE(QJsonDocument::fromJson(again.out).object().value("error"_L1).toObject().value("code"_L1).toString(),
             u"conflict"_s);
    QCOMPARE(m_cli->query(u"SELECT state FROM review_items WHERE id = ?"_s, {m_ids.at(1)}).first().toString(), u"open"_s);
}

void TestReviewCommand::rep13_badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("names");
    QTest::newRow("no verb") << QStringList{} << u"subcommand ''"_s;
    QTest::newRow("bad verb") << QStringList{u"purge"_s} << u"purge"_s;
    QTest::newRow("underscore action") << QStringList{u"resolve"_s, u"1"_s, u"keep_local"_s} << u"keep_local"_s;
    QTest::newRow("no ids") << QStringList{u"resolve"_s, u"keep-local"_s} << u"ID"_s;
    QTest::newRow("bad id") << QStringList{u"resolve"_s, u"x1"_s, u"keep-local"_s} << u"x1"_s;
    QTest::newRow("bad state") << QStringList{u"list"_s, u"--state"_s, u"closed"_s} << u"closed"_s;
    QTest::newRow("bad limit") << QStringList{u"list"_s, u"--limit"_s, u"5000"_s} << u"5000"_s;
}

void TestReviewCommand::rep13_badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, names);
    const RunResult r = m_cli->run(QStringList{u"review"_s} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().contains(names), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestReviewCommand)
#include "tst_reviewcommand.moc"
