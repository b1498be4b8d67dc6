// ReplayTape (SRC-14, SRC-15): strict reading of 1m CSV tapes and the contiguous and shift
// mappings of rows onto virtual time slots, history included, looping without end.
#include "core/sources/replay/replaytape.h"

#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kT0 = 1700000040; // a whole minute
constexpr qint64 kFirst = 1600000020;
constexpr qint64 kNone = -999999;

// Four rows with a hole after the second: t, t+60, (t+120 missing), t+180, t+240.
CandleList holedRows()
{
    CandleList rows;
    for (const qint64 minute : {0, 1, 3, 4}) {
        const double m = double(minute);
        rows.append(Candle{kFirst + 60 * minute, 10 + m, 12 + m, 9, 11, 100 + m});
    }
    return rows;
}

} // namespace

class TestReplayTape final : public QObject
{
    Q_OBJECT

private slots:
    void contiguousSlots_data();
    void contiguousSlots();
    void contiguousSearch();
    void shiftSlots_data();
    void shiftSlots();
    void shiftKeepsFileHoles();
    void shiftOnRealFile();
    void closedIffMinuteOver_data();
    void closedIffMinuteOver();
    void readsRealFiles_data();
    void readsRealFiles();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void parsesTimeMode();
};

void TestReplayTape::contiguousSlots_data()
{
    QTest::addColumn<qint64>("ordinal");
    QTest::addColumn<qint64>("time");
    QTest::addColumn<int>("row");
    // SRC-15: slot k at T0 + 60k carries row k mod N; ordinal = k + 1; N = 4
    QTest::addRow("first live") << qint64(1) << kT0 << 0;
    QTest::addRow("second live") << qint64(2) << kT0 + 60 << 1;
    QTest::addRow("last history") << qint64(0) << kT0 - 60 << 3;
    QTest::addRow("first history") << qint64(-3) << kT0 - 240 << 0;
    QTest::addRow("loop") << qint64(5) << kT0 + 240 << 0;
    QTest::addRow("far loop") << qint64(4003) << kT0 + 60 * 4002 << 2;
}

void TestReplayTape::contiguousSlots()
{
    QFETCH(qint64, ordinal);
    QFETCH(qint64, time);
    QFETCH(int, row);
    const CandleList rows = holedRows();
    const ReplayTape tape(rows, ReplayTimeMode::Contiguous, kT0);
    QCOMPARE(tape.firstOrdinal(), qint64(-3));
    QCOMPARE(tape.time(ordinal), time);
    Candle expected = rows.at(row);
    expected.time = time;
    QCOMPARE(tape.bar(ordinal), expected);
    QCOMPARE(tape.ordinalAt(time).value_or(kNone), ordinal);
    QCOMPARE(tape.ordinalAtOrAfter(time), ordinal);
    QCOMPARE(tape.ordinalAtOrBefore(time).value_or(kNone), ordinal);
    QCOMPARE(tape.ordinalAtOrAfter(time - 59), ordinal);
    QCOMPARE(tape.ordinalAtOrBefore(time + 59).value_or(kNone), ordinal);
}

void TestReplayTape::contiguousSearch()
{
    const ReplayTape tape(holedRows(), ReplayTimeMode::Contiguous, kT0);
    QVERIFY(!tape.ordinalAt(kT0 + 30));
    QVERIFY(!tape.ordinalAtOrBefore(kT0 - 241)); // before the history
    QCOMPARE(tape.ordinalAtOrAfter(kT0 - 100000), tape.firstOrdinal());
}

void TestReplayTape::shiftSlots_data()
{
    QTest::addColumn<qint64>("ordinal");
    QTest::addColumn<qint64>("time");
    QTest::addColumn<int>("row");
    // SRC-15: row i at t_i + D + cP, D = T0 - 60 - t_last, P = t_last - t_first + 60 = 300
    QTest::addRow("last history at T0 - 60") << qint64(0) << kT0 - 60 << 3;
    QTest::addRow("history row 1 before the hole") << qint64(-2) << kT0 - 240 << 1;
    QTest::addRow("first history") << qint64(-3) << kT0 - 300 << 0;
    QTest::addRow("first live at T0") << qint64(1) << kT0 << 0;
    QTest::addRow("after the hole") << qint64(3) << kT0 + 180 << 2;
    QTest::addRow("second cycle") << qint64(5) << kT0 + 300 << 0;
    QTest::addRow("far cycle") << qint64(4 * 1000 + 4) << kT0 + 300 * 1000 + 240 << 3;
}

void TestReplayTape::shiftSlots()
{
    QFETCH(qint64, ordinal);
    QFETCH(qint64, time);
    QFETCH(int, row);
    const CandleList rows = holedRows();
    const ReplayTape tape(rows, ReplayTimeMode::Shift, kT0);
    QCOMPARE(tape.time(ordinal), time);
    Candle expected = rows.at(row);
    expected.time = time;
    QCOMPARE(tape.bar(ordinal), expected);
    QCOMPARE(tape.ordinalAt(time).value_or(kNone), ordinal);
    QCOMPARE(tape.ordinalAtOrAfter(time), ordinal);
    QCOMPARE(tape.ordinalAtOrBefore(time + 59).value_or(kNone), ordinal);
}

void TestReplayTape::shiftKeepsFileHoles()
{
    const ReplayTape tape(holedRows(), ReplayTimeMode::Shift, kT0);
    for (const qint64 cycleStart : {kT0 - 300, kT0, kT0 + 300 * 7}) {
        const qint64 hole = cycleStart + 120;
        QVERIFY(!tape.ordinalAt(hole));
        QCOMPARE(tape.time(tape.ordinalAtOrAfter(hole)), hole + 60);
        QCOMPARE(tape.time(tape.ordinalAtOrBefore(hole).value_or(kNone)), hole - 60);
    }
    QVERIFY(!tape.ordinalAtOrBefore(kT0 - 301));
    QCOMPARE(tape.ordinalAtOrAfter(kT0 - 100000), tape.firstOrdinal());
}

void TestReplayTape::shiftOnRealFile()
{
    const CandleList rows = test::readPlainCsv(test::dataFile(u"sse_000001_1m.csv"_s));
    const ReplayTape tape(rows, ReplayTimeMode::Shift, kT0);
    const qint64 d = kT0 - 60 - rows.constLast().time;
    const qint64 p = rows.constLast().time - rows.constFirst().time + 60;
    for (const qsizetype i : {qsizetype(0), qsizetype(1), qsizetype(239), qsizetype(240), rows.size() - 1}) {
        const qint64 historyOrdinal = tape.firstOrdinal() + i;
        QCOMPARE(tape.time(historyOrdinal), rows.at(i).time + d);
        QCOMPARE(tape.time(historyOrdinal + rows.size()), rows.at(i).time + d + p);
        QCOMPARE(tape.ordinalAt(rows.at(i).time + d + 2 * p).value_or(kNone), historyOrdinal + 2 * rows.size());
    }
}

void TestReplayTape::closedIffMinuteOver_data()
{
    QTest::addColumn<qint64>("virtualMs");
    QTest::addColumn<bool>("closed");
    QTest::addRow("at open") << kT0 * 1000 << false;
    QTest::addRow("1 ms before close") << (kT0 + 60) * 1000 - 1 << false;
    QTest::addRow("at close") << (kT0 + 60) * 1000 << true;
    QTest::addRow("later") << (kT0 + 600) * 1000 << true;
}

void TestReplayTape::closedIffMinuteOver()
{
    QFETCH(qint64, virtualMs);
    QFETCH(bool, closed);
    QCOMPARE(ReplayTape::isClosed(kT0, virtualMs), closed); // SRC-15: time + 60 <= V
}

void TestReplayTape::readsRealFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addRow("sse") << u"sse_000001_1m.csv"_s;
    QTest::addRow("cffex") << u"cffex_IFL8_1m_part1.csv"_s;
}

void TestReplayTape::readsRealFiles()
{
    QFETCH(QString, file);
    const Result<CandleList> rows = ReplayTape::readCsv(test::dataFile(file));
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    QCOMPARE(*rows, test::readPlainCsv(test::dataFile(file)));
}

void TestReplayTape::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray header = "time,open,high,low,close,volume\n";
    const QByteArray good = "1700000040,10,12,9,11,5\n";
    QTest::addRow("bad number") << header + good + "1700000100,10,x,9,11,5\n" << u"bad.csv:3: "_s;
    QTest::addRow("short row") << header + good + "1700000100,10\n" << u"bad.csv:3: got 2 columns"_s;
    QTest::addRow("not 1m aligned") << header + "1700000070,10,12,9,11,5\n" << u"bad.csv:2: "_s;
    QTest::addRow("not increasing") << header + good + "1700000040,10,12,9,11,5\n" << u"bad.csv:3: "_s;
    QTest::addRow("high below low") << header + good + "1700000100,10,8,9,11,5\n"
                                    << u"bad.csv:3: high 8 is below low 9; expected high >= low"_s;
    QTest::addRow("first problem wins") << header + "1700000070,10,12,9,11,5\n1700000100,x,1,1,1,1\n"
                                        << u"bad.csv:2: "_s;
    QTest::addRow("header only") << header << u"bad.csv: no rows; expected at least one 1m row"_s;
    QTest::addRow("no header") << good << u"bad.csv:1: missing header"_s;
}

void TestReplayTape::rejectsBadFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"bad.csv"_s);
    QVERIFY(test::writeFile(path, content));
    const Result<CandleList> rows = ReplayTape::readCsv(path);
    QVERIFY(!rows.ok());
    const QString message = rows.error().message;
    QVERIFY2(message.startsWith(dir.path() + u'/'), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestReplayTape::parsesTimeMode()
{
    QCOMPARE(*parseReplayTimeMode(u"contiguous"), ReplayTimeMode::Contiguous);
    QCOMPARE(*parseReplayTimeMode(u"shift"), ReplayTimeMode::Shift);
    const Result<ReplayTimeMode> bad = parseReplayTimeMode(u"loop");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, u"--time-mode 'loop': unknown; expected contiguous or shift"_s);
}

QTEST_GUILESS_MAIN(TestReplayTape)
#include "tst_replaytape.moc"
