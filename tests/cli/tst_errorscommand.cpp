// `gapless errors list` (CLI-13): rows seeded through ErrorJournal, read back through the
// executable as text and --json, filtered, and every bad argument refused with exit 2.
#include "core/domain/canonicaljson.h"
#include "core/ingest/errorjournal.h"
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using ingest::ErrorJournal;
using ingest::JournalEntry;
using test::RunResult;

namespace {

const QString kSeriesA = u"binance:spot:BTCUSDT:1h"_s;
const QString kSeriesB = u"file:cn:000001.SH:1m"_s;

JournalEntry seedEntry(const QString &series, const QString &status, qint64 runId)
{
    JournalEntry e;
    e.atMs = 1709251200000 + runId * 61001; // whole seconds in text, exact ms in --json
    e.runId = runId;
    e.source = runId % 2 ? u"live"_s : u"import"_s;
    e.step = runId % 2 ? u"factor"_s : u"store"_s;
    e.seriesId = series;
    e.requestId = u"req-%1"_s.arg(runId);
    e.jobId = 100 + runId;
    e.firstTime = 1709251200 + runId * 60;
    e.lastTime = e.firstTime.value() + 120;
    e.candleCount = 3;
    e.candleCompensatedRows = 3;
    e.compensated = true;
    e.message = journalMessage(e, u"failpoint ingest."_s + e.step);
    e.batchJson = ingest::batchJson({{*e.firstTime, 1, 2, 0.5, 1.5, 1},
                                     {*e.firstTime + 60, 1, 2, 0.5, 1.5, 2},
                                     {*e.lastTime, 3020.96, 3021, 3020, 3020.5, 1e-7}});
    e.status = status;
    return e;
}

// Expected text columns, computed here rather than by the command's code.
QString expectedLine(const JournalEntry &e)
{
    const QString at = QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC).toString(Qt::ISODate);
    const QString range = e.firstTime ? u"[%1..%2]"_s.arg(*e.firstTime).arg(*e.lastTime) : u"-"_s;
    QString message = e.message;
    message.replace(u'\n', u' ').replace(u'\t', u' ');
    return u"%1\t%2\t%3\t%4\t%5\t%6\t%7 candles\t%8\t%9"_s.arg(QString::number(e.id), at, e.source, e.step, e.seriesId,
                                                               range, QString::number(e.candleCount), e.status,
                                                               message);
}

const QString kHeader = u"id\tat\tsource\tstep\tseries_id\trange\tcandles\tstatus\tmessage"_s;

} // namespace

class TestErrorsCommand final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsOpenRowsAsText();
    void listsRowsAsJson();
    void filters_data();
    void filters();
    void saysWhenMoreRowsMatch();
    void listsAnEmptyJournal();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void missingDatabaseIsAFailure();

private:
    RunResult gapless(QStringList args, const QString &url = {});
    test::TestDatabase m_db;
    QString m_url;
    QList<JournalEntry> m_rows; ///< as stored, ids 1..n
};

void TestErrorsCommand::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    const store::StoreUrl url = m_db.freshUrl();
    m_url = test::urlText(url);
    auto store = store::CandleStore::open(url, {});
    QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
    ErrorJournal journal(**store);
    QList<JournalEntry> seeds{seedEntry(kSeriesA, u"open"_s, 1), seedEntry(kSeriesB, u"open"_s, 2),
                              seedEntry(kSeriesA, u"retried"_s, 3), seedEntry(kSeriesB, u"resolved"_s, 4),
                              seedEntry(kSeriesA, u"open"_s, 5)};
    seeds[3].resolvedByRun = 9;
    seeds[3].resolvedAtMs = 1709300000000;
    seeds[4].message = u"ingest factor failed for %1 [1709251500..1709251620, 3 candles]: line one\n\tline two"_s
                           .arg(kSeriesA);
    seeds[4].jobId.reset();
    seeds[4].requestId.clear();
    for (const JournalEntry &seed : std::as_const(seeds)) {
        auto id = journal.append(seed);
        QVERIFY(id.ok());
        auto stored = journal.get(*id);
        QVERIFY(stored.ok());
        m_rows << *stored;
    }
    QCOMPARE(m_rows.constLast().id, 5);
    // The store closes here: the command opens its own, read-only.
}

RunResult TestErrorsCommand::gapless(QStringList args, const QString &url)
{
    args << u"--db"_s << (url.isEmpty() ? m_url : url);
    return test::runGapless(args, m_db.tempPath(u"home"_s));
}

void TestErrorsCommand::listsOpenRowsAsText()
{
    // Default: open rows, newest first, one TAB-separated line each after a header.
    const RunResult r = gapless({u"errors"_s, u"list"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QStringList lines = r.outLines();
    QCOMPARE(lines, (QStringList{kHeader, expectedLine(m_rows.at(4)), expectedLine(m_rows.at(1)),
                                 expectedLine(m_rows.at(0))}));
    // The message with a newline and a TAB stays on its line, in its column.
    QCOMPARE(lines.at(1).split(u'\t').size(), 9);
    QVERIFY(lines.at(1).endsWith(u"line one  line two"_s));
    QVERIFY(lines.at(1).contains(u"\t2024-03-01T00:05:05Z\t"_s));
}

void TestErrorsCommand::listsRowsAsJson()
{
    const RunResult r = gapless({u"errors"_s, u"list"_s, u"--status"_s, u"all"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    QJsonArray expected;
    for (qsizetype i = m_rows.size() - 1; i >= 0; --i)
        expected.append(m_rows.at(i).toJson(false));
    const QByteArray document = canonicalJson(QJsonObject{{u"has_more"_s, false}, {u"items"_s, expected}});
    QCOMPARE(r.out.trimmed(), document);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    const QJsonObject newest = doc.value(u"items"_s).toArray().at(0).toObject();
    QVERIFY(!newest.contains(u"batch_json"_s));
    QCOMPARE(newest.value(u"at_ms"_s).toInteger(), m_rows.at(4).atMs);
    QVERIFY(newest.value(u"job_id"_s).isNull());
    QCOMPARE(doc.value(u"items"_s).toArray().at(1).toObject().value(u"job_id"_s).toString(), u"104"_s);
}

void TestErrorsCommand::filters_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QList<qint64>>("ids");
    QTest::addColumn<bool>("hasMore");
    QTest::addRow("default") << QStringList{} << QList<qint64>{5, 2, 1} << false;
    QTest::addRow("series") << QStringList{u"--series"_s, kSeriesA} << QList<qint64>{5, 1} << false;
    QTest::addRow("series, canonicalised") << QStringList{u"--series"_s, u" binance:spot:BTCUSDT:60m "_s}
                                           << QList<qint64>{5, 1} << false;
    QTest::addRow("retried") << QStringList{u"--status"_s, u"retried"_s} << QList<qint64>{3} << false;
    QTest::addRow("resolved") << QStringList{u"--status"_s, u"resolved"_s} << QList<qint64>{4} << false;
    QTest::addRow("all") << QStringList{u"--status"_s, u"all"_s} << QList<qint64>{5, 4, 3, 2, 1} << false;
    QTest::addRow("limit") << QStringList{u"--status"_s, u"all"_s, u"--limit"_s, u"2"_s} << QList<qint64>{5, 4}
                           << true;
    QTest::addRow("limit equal to rows") << QStringList{u"--limit"_s, u"3"_s} << QList<qint64>{5, 2, 1} << false;
    QTest::addRow("series and status") << QStringList{u"--series"_s, kSeriesB, u"--status"_s, u"all"_s}
                                       << QList<qint64>{4, 2} << false;
    QTest::addRow("series without rows") << QStringList{u"--series"_s, u"file:cn:X:1d"_s} << QList<qint64>{}
                                         << false;
    QTest::addRow("options first, = form") << QStringList{u"--status=retried"_s} << QList<qint64>{3} << false;
}

void TestErrorsCommand::filters()
{
    QFETCH(QStringList, args);
    QFETCH(QList<qint64>, ids);
    QFETCH(bool, hasMore);
    const RunResult r = gapless(QStringList{u"errors"_s, u"list"_s, u"--json"_s} + args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QList<qint64> got;
    for (const QJsonValue &item : doc.value(u"items"_s).toArray())
        got << item.toObject().value(u"id"_s).toInteger();
    QCOMPARE(got, ids);
    QCOMPARE(doc.value(u"has_more"_s).toBool(), hasMore);
}

void TestErrorsCommand::saysWhenMoreRowsMatch()
{
    const RunResult r = gapless({u"errors"_s, u"list"_s, u"--limit"_s, u"1"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.outLines(), (QStringList{kHeader, expectedLine(m_rows.at(4))}));
    QCOMPARE(r.errLines(), QStringList{u"gapless: warning: showing the newest 1 rows; more match (raise --limit)"_s});
}

void TestErrorsCommand::listsAnEmptyJournal()
{
    const store::StoreUrl url = m_db.freshUrl();
    QVERIFY(store::CandleStore::open(url, {}).ok()); // create the schema, then close
    const RunResult text = gapless({u"errors"_s, u"list"_s}, test::urlText(url));
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(text.outLines(), QStringList{kHeader});
    const RunResult json = gapless({u"errors"_s, u"list"_s, u"--json"_s}, test::urlText(url));
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.out, QByteArray("{\"has_more\":false,\"items\":[]}\n"));
}

void TestErrorsCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString synopsis =
        u"; expected gapless errors list [--series ID] [--status open|retried|resolved|all] [--limit N]"_s;
    QTest::addRow("no verb") << QStringList{u"errors"_s} << u"errors: missing verb"_s + synopsis;
    QTest::addRow("option, no verb") << QStringList{u"errors"_s, u"--status"_s, u"all"_s}
                                     << u"errors: missing verb"_s + synopsis;
    QTest::addRow("unknown verb") << QStringList{u"errors"_s, u"lists"_s} << u"errors: verb 'lists': unknown"_s + synopsis;
    QTest::addRow("bad status") << QStringList{u"errors"_s, u"list"_s, u"--status"_s, u"closed"_s}
                                << u"errors list: --status 'closed': unknown; expected open, retried, resolved or all"_s;
    QTest::addRow("empty status") << QStringList{u"errors"_s, u"list"_s, u"--status="_s}
                                  << u"errors list: --status '': unknown; expected open, retried, resolved or all"_s;
    QTest::addRow("limit 0") << QStringList{u"errors"_s, u"list"_s, u"--limit"_s, u"0"_s}
                             << u"errors list: --limit 0: out of range; expected an integer in [1, 100000]"_s;
    QTest::addRow("negative limit") << QStringList{u"errors"_s, u"list"_s, u"--limit=-3"_s}
                                    << u"errors list: --limit -3: out of range; expected an integer in [1, 100000]"_s;
    QTest::addRow("limit too large") << QStringList{u"errors"_s, u"list"_s, u"--limit"_s, u"100001"_s}
                                     << u"errors list: --limit 100001: out of range; expected an integer in "
                                        u"[1, 100000]"_s;
    QTest::addRow("limit not a number") << QStringList{u"errors"_s, u"list"_s, u"--limit"_s, u"ten"_s}
                                        << u"errors list: --limit 'ten': not an integer; expected an integer in "
                                           u"[1, 100000]"_s;
    QTest::addRow("limit without value") << QStringList{u"errors"_s, u"list"_s, u"--limit"_s}
                                         << u"errors list: Missing value after '--limit'"_s + synopsis;
    QTest::addRow("bad series") << QStringList{u"errors"_s, u"list"_s, u"--series"_s, u"BTCUSDT"_s}
                                << u"series id 'BTCUSDT': 1 components; expected exchange:market:symbol:timeframe"_s;
    QTest::addRow("extra argument") << QStringList{u"errors"_s, u"list"_s, u"7"_s}
                                    << u"errors list: unexpected argument '7'"_s + synopsis;
    QTest::addRow("unknown option") << QStringList{u"errors"_s, u"list"_s, u"--all"_s}
                                    << u"errors list: Unknown option 'all'"_s + synopsis;
}

void TestErrorsCommand::refusesBadArguments()
{
    // CLI-2: a usage error is exit 2 with one `gapless: <message>` line and nothing on stdout.
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const RunResult r = gapless(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.errLines().size(), 1);
    QVERIFY2(r.errLines().constFirst().startsWith(u"gapless: "_s + expected), r.err.constData());

    // CLI-3 with --json: the error document on stdout.
    const RunResult json = gapless(args + QStringList{u"--json"_s});
    QCOMPARE(json.exitCode, 2);
    const QJsonObject error = QJsonDocument::fromJson(json.out).object().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"bad_request"_s);
    QVERIFY2(error.value(u"message"_s).toString().startsWith(expected), json.out.constData());
}

void TestErrorsCommand::missingDatabaseIsAFailure()
{
    // A read-only command never creates a store: a missing one is a runtime failure (exit 1).
    const RunResult r = gapless({u"errors"_s, u"list"_s}, m_db.tempPath(u"absent.db"_s));
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.errText().startsWith(u"gapless: %1: "_s.arg(m_db.tempPath(u"absent.db"_s))), r.err.constData());
}

QTEST_GUILESS_MAIN(TestErrorsCommand)
#include "tst_errorscommand.moc"
