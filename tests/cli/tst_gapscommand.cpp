// `gapless gaps` (CLI-11, DOM-7, DOM-10, STORE-10): FILE mode without any database and stored
// mode, both checked against an independent computation written here and the golden facts.
#include "tests/support/gaplessrun.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::RunResult;

namespace {

struct Row
{
    qint64 line;
    qint64 time;
    double o, h, l, c, v;
};

QList<Row> plainRows(const QString &path)
{
    QList<Row> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    qint64 line = 1;
    f.readLine();
    while (!f.atEnd()) {
        ++line;
        const QList<QByteArray> p = f.readLine().trimmed().split(',');
        rows.append(Row{line, p[0].toLongLong(), p[1].toDouble(), p[2].toDouble(), p[3].toDouble(), p[4].toDouble(),
                        p[5].toDouble()});
    }
    return rows;
}

// DOM-10, computed here from first principles.
QJsonArray expectedGaps(const QList<Row> &rows, qint64 tf, qint64 *missing)
{
    QJsonArray gaps;
    *missing = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const qint64 d = rows[i].time - rows[i - 1].time;
        if (d > tf) {
            gaps.append(QJsonObject{{u"prev_time"_s, rows[i - 1].time}, {u"next_time"_s, rows[i].time},
                                    {u"missing_bars"_s, d / tf - 1}});
            *missing += d / tf - 1;
        }
    }
    return gaps;
}

// DOM-7, every kind, in DOM-7 order per row.
QJsonArray expectedAnomalies(const QList<Row> &rows, qint64 tf, bool withLines)
{
    QJsonArray out;
    QSet<qint64> seen;
    std::optional<qint64> previous;
    for (const Row &r : rows) {
        QStringList kinds;
        if (r.h < r.l) kinds << u"high_below_low"_s;
        if (r.v < 0) kinds << u"negative_volume"_s;
        if (std::min({r.o, r.h, r.l, r.c}) <= 0) kinds << u"nonpositive_price"_s;
        if (r.time % tf != 0) kinds << u"time_not_aligned"_s;
        if (seen.contains(r.time)) kinds << u"duplicate_time"_s;
        if (previous && r.time < *previous) kinds << u"time_not_increasing"_s;
        if (r.o > r.h) kinds << u"open_above_high"_s;
        if (r.o < r.l) kinds << u"open_below_low"_s;
        if (r.c > r.h) kinds << u"close_above_high"_s;
        if (r.c < r.l) kinds << u"close_below_low"_s;
        if (r.v == 0) kinds << u"zero_volume"_s;
        seen.insert(r.time);
        previous = r.time;
        for (const QString &k : kinds)
            out.append(QJsonObject{{u"line"_s, withLines ? QJsonValue(r.line) : QJsonValue(QJsonValue::Null)},
                                   {u"time"_s, r.time}, {u"kind"_s, k}});
    }
    return out;
}

QJsonObject goldenFacts(const QString &file)
{
    QFile f(test::dataFile(u"expected/"_s + QString(file).replace(u".csv"_s, u".json"_s)));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no golden file for %s", qPrintable(file));
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestGapsCommand final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsFileGaps_data();
    void listsFileGaps();
    void listsStoredGaps_data();
    void listsStoredGaps();
    void printsText();
    void reportsMalformedLines();
    void filtersByRange();
    void refusesBadArguments_data();
    void refusesBadArguments();
    void unknownSeriesIsNotFound();

private:
    RunResult gapless(QStringList args, bool withDb = true);
    test::TestDatabase m_db;
    QString m_url;
};

void TestGapsCommand::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    m_url = test::urlText(m_db.freshUrl());
}

RunResult TestGapsCommand::gapless(QStringList args, bool withDb)
{
    if (withDb)
        args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s));
}

void TestGapsCommand::listsFileGaps_data()
{
    QTest::addColumn<QString>("file");
    QTest::addRow("sse") << u"sse_000001_1m.csv"_s;
    QTest::addRow("cffex") << u"cffex_IFL8_1m_part1.csv"_s;
}

void TestGapsCommand::listsFileGaps()
{
    // FILE mode opens no database: HOME points at an empty dir and no --db is given.
    QFETCH(QString, file);
    const QString path = test::dataFile(file);
    const QList<Row> rows = plainRows(path);
    const RunResult r = gapless({u"gaps"_s, path, u"--timeframe"_s, u"1m"_s, u"--anomalies"_s, u"--json"_s}, false);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    qint64 missing = 0;
    const QJsonArray gaps = expectedGaps(rows, 60, &missing);
    QCOMPARE(doc.value(u"file"_s).toString(), path);
    QCOMPARE(doc.value(u"timeframe_seconds"_s).toInt(), 60);
    QCOMPARE(doc.value(u"rows"_s).toInteger(), rows.size());
    QCOMPARE(doc.value(u"first_time"_s).toInteger(), rows.first().time);
    QCOMPARE(doc.value(u"last_time"_s).toInteger(), rows.last().time);
    QCOMPARE(doc.value(u"gap_count"_s).toInteger(), gaps.size());
    QCOMPARE(doc.value(u"missing_bars_total"_s).toInteger(), missing);
    QCOMPARE(doc.value(u"gaps"_s).toArray(), gaps);
    QCOMPARE(doc.value(u"anomalies"_s).toArray(), expectedAnomalies(rows, 60, true));
    QCOMPARE(doc.value(u"errors"_s).toArray(), QJsonArray());
    // The golden facts agree.
    const QJsonObject golden = goldenFacts(file);
    QCOMPARE(doc.value(u"gap_count"_s).toInteger(), golden.value(u"gap_count"_s).toInteger());
    QCOMPARE(doc.value(u"missing_bars_total"_s).toInteger(), golden.value(u"missing_bars_total"_s).toInteger());
    QCOMPARE(doc.value(u"anomalies"_s).toArray(), golden.value(u"anomalies"_s).toArray());
}

void TestGapsCommand::listsStoredGaps_data()
{
    listsFileGaps_data();
}

void TestGapsCommand::listsStoredGaps()
{
    // STORE-10 through the CLI: every hole of the stored series, anomalies with line null.
    QFETCH(QString, file);
    const QString path = test::dataFile(file);
    const QString series = u"file:cn:%1:1m"_s.arg(QString(file).section(u'_', 0, 0).toUpper());
    QCOMPARE(gapless({u"import"_s, path, u"--series"_s, series}).exitCode, 0);
    const QList<Row> rows = plainRows(path);
    const RunResult r = gapless({u"gaps"_s, u"--series"_s, series, u"--anomalies"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    qint64 missing = 0;
    QCOMPARE(doc.value(u"series_id"_s).toString(), series);
    QVERIFY(!doc.contains(u"file"_s));
    QCOMPARE(doc.value(u"rows"_s).toInteger(), rows.size());
    QCOMPARE(doc.value(u"gaps"_s).toArray(), expectedGaps(rows, 60, &missing));
    QCOMPARE(doc.value(u"missing_bars_total"_s).toInteger(), missing);
    QCOMPARE(doc.value(u"anomalies"_s).toArray(), expectedAnomalies(rows, 60, false));
}

void TestGapsCommand::printsText()
{
    const QString path = m_db.tempPath(u"t.csv"_s);
    QVERIFY(test::writeFile(path, "time,open,high,low,close,volume\n60,1,2,0.5,1,5\n120,1,2,0.5,1,0\n300,1,2,0.5,1,5\n"));
    const RunResult r = gapless({u"gaps"_s, path, u"--timeframe"_s, u"1m"_s, u"--anomalies"_s}, false);
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.outLines();
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines[0].startsWith(u"# "_s + path + u": 3 rows"_s), qPrintable(lines[0]));
    QCOMPARE(lines[1], u"prev_time\tnext_time\tmissing_bars\tprev_iso\tnext_iso"_s);
    QCOMPARE(lines[2], u"120\t300\t2\t1970-01-01T00:02:00Z\t1970-01-01T00:05:00Z"_s);
    QCOMPARE(lines[3], u"line\ttime\tkind"_s);
    QCOMPARE(lines[4], u"3\t120\tzero_volume"_s);
}

void TestGapsCommand::reportsMalformedLines()
{
    // CLI-11: exit 3 when FILE had malformed lines; they are listed, the rest still counted.
    const QString path = m_db.tempPath(u"m.csv"_s);
    QVERIFY(test::writeFile(path, "time,open,high,low,close,volume\n60,1,2,0.5,1,5\nxx,1,2,0.5,1,5\n240,1,nan,0.5,1,5\n300,1,2,0.5,1,5\n"));
    const RunResult r = gapless({u"gaps"_s, path, u"--timeframe"_s, u"1m"_s, u"--json"_s}, false);
    QCOMPARE(r.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"rows"_s).toInt(), 2);
    QCOMPARE(doc.value(u"gap_count"_s).toInt(), 1);
    const QJsonArray errors = doc.value(u"errors"_s).toArray();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors[0].toObject().value(u"line"_s).toInt(), 3);
    QVERIFY(errors[0].toObject().value(u"message"_s).toString().startsWith(path + u":3: malformed: "_s));
    QCOMPARE(errors[1].toObject().value(u"line"_s).toInt(), 4);
    QVERIFY(errors[1].toObject().value(u"message"_s).toString().startsWith(path + u":4: not_finite: "_s));
    QVERIFY(!doc.contains(u"anomalies"_s));
}

void TestGapsCommand::filtersByRange()
{
    const QString path = test::dataFile(u"sse_000001_1m.csv"_s);
    QList<Row> rows = plainRows(path);
    const qint64 from = 1718600000;
    const qint64 to = 1719000000;
    rows.removeIf([&](const Row &r) { return r.time < from || r.time > to; });
    const RunResult r = gapless({u"gaps"_s, path, u"--timeframe"_s, u"1m"_s, u"--from"_s, QString::number(from),
                                 u"--to"_s, u"2024-06-21T19:53:20Z"_s, u"--json"_s}, false);
    QCOMPARE(r.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    qint64 missing = 0;
    QCOMPARE(doc.value(u"rows"_s).toInteger(), rows.size());
    QCOMPARE(doc.value(u"gaps"_s).toArray(), expectedGaps(rows, 60, &missing));
}

void TestGapsCommand::refusesBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    const QString file = test::dataFile(u"sse_000001_1m.csv"_s);
    QTest::addRow("no timeframe") << QStringList{u"gaps"_s, file} << 2 << u"gapless: gaps: missing --timeframe"_s;
    QTest::addRow("bad timeframe") << QStringList{u"gaps"_s, file, u"--timeframe"_s, u"7w"_s} << 2
                                   << u"gapless: gaps: timeframe '7w'"_s;
    QTest::addRow("both modes") << QStringList{u"gaps"_s, file, u"--series"_s, u"a:b:c:1m"_s} << 2
                                << u"gapless: gaps: give either --series or one FILE"_s;
    QTest::addRow("bad time") << QStringList{u"gaps"_s, file, u"--timeframe"_s, u"1m"_s, u"--from"_s, u"yesterday"_s}
                              << 2 << u"gapless: --from 'yesterday': "_s;
    QTest::addRow("missing file") << QStringList{u"gaps"_s, m_db.tempPath(u"none.csv"_s), u"--timeframe"_s, u"1m"_s}
                                  << 1 << u"gapless: "_s + m_db.tempPath(u"none.csv"_s);
}

void TestGapsCommand::refusesBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const RunResult r = gapless(args, false);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
}

void TestGapsCommand::unknownSeriesIsNotFound()
{
    const RunResult r = gapless({u"gaps"_s, u"--series"_s, u"file:x:NONE:1m"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject error = QJsonDocument::fromJson(r.out).object().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"not_found"_s);
    QVERIFY(error.value(u"message"_s).toString().startsWith(u"series 'file:x:NONE:1m': not in the store"_s));
}

QTEST_GUILESS_MAIN(TestGapsCommand)
#include "tst_gapscommand.moc"
