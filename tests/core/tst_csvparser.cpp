#include "core/sources/csvparser.h"
#include "core/sources/gzipreader.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;
using gapless::sources::FileFormat;
using gapless::sources::ParsedFile;

namespace {

const QByteArray kHeader = "time,open,high,low,close,volume\n";
const QByteArray kRow1 = "1701653400,3485,3488.2,3481.2,3485,1932\n";
const QByteArray kRow2 = "1701653460,3484.8,3486.4,3477,3477.2,1233\n";

QList<qint64> times(const ParsedFile &file)
{
    QList<qint64> out;
    for (const auto &row : file.rows)
        out.append(row.candle.time);
    return out;
}

QList<qint64> lines(const ParsedFile &file)
{
    QList<qint64> out;
    for (const auto &row : file.rows)
        out.append(row.line);
    return out;
}

/// The file as the import reads it: bytes from disk, then the parser under test.
gapless::Result<ParsedFile> parseFile(const QString &path)
{
    const auto bytes = gapless::sources::readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return gapless::sources::parseCsv(path, *bytes);
}

} // namespace

class TestCsvParser final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void accepts_data();
    void accepts();
    void parsesNumbers_data();
    void parsesNumbers();
    void rejectsFile_data();
    void rejectsFile();
    void rejectsLine_data();
    void rejectsLine();
    void keepsGoingAfterBadLines();
    void parsesBytesWithoutAFile();

private:
    [[nodiscard]] QString write(const QByteArray &bytes);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCsvParser::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestCsvParser::write(const QByteArray &bytes)
{
    const QString path = m_dir->filePath(u"candles.csv"_s);
    return gapless::test::writeFile(path, bytes) ? path : QString();
}

void TestCsvParser::accepts_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<qint64>>("expectedTimes");
    QTest::addColumn<QList<qint64>>("expectedLines");
    QTest::addColumn<qint64>("lineCount");
    const QList<qint64> both{1701653400, 1701653460};
    const QList<qint64> first{1701653400};
    // CLI-7: BOM, header case, `date`, delimiters, line ends, blank lines.
    QTest::addRow("comma LF") << QByteArray(kHeader + kRow1 + kRow2) << both << QList<qint64>{2, 3} << qint64(3);
    QTest::addRow("semicolon") << QByteArray(
        "time;open;high;low;close;volume\n1701653400;3485;3488.2;3481.2;3485;1932\n"
        "1701653460;3484.8;3486.4;3477;3477.2;1233\n")
                               << both << QList<qint64>{2, 3} << qint64(3);
    QTest::addRow("tab") << QByteArray(
        "time\topen\thigh\tlow\tclose\tvolume\n1701653400\t3485\t3488.2\t3481.2\t3485\t1932\n"
        "1701653460\t3484.8\t3486.4\t3477\t3477.2\t1233\n")
                         << both << QList<qint64>{2, 3} << qint64(3);
    QTest::addRow("CRLF") << QByteArray("time,open,high,low,close,volume\r\n1701653400,3485,3488.2,3481.2,3485,1932\r\n"
                                        "1701653460,3484.8,3486.4,3477,3477.2,1233\r\n")
                          << both << QList<qint64>{2, 3} << qint64(3);
    QTest::addRow("BOM") << QByteArray("\xEF\xBB\xBF" + kHeader + kRow1) << first << QList<qint64>{2} << qint64(2);
    QTest::addRow("header in any case") << QByteArray("TIME,Open,HIGH,low,Close,VOLUME\n" + kRow1) << first
                                        << QList<qint64>{2} << qint64(2);
    QTest::addRow("date for time") << QByteArray("Date,open,high,low,close,volume\n" + kRow1) << first
                                   << QList<qint64>{2} << qint64(2);
    QTest::addRow("spaces around fields") << QByteArray("time, open, high, low, close, volume\n"
                                                        " 1701653400 , 3485, 3488.2, 3481.2, 3485, 1932\n")
                                          << first << QList<qint64>{2} << qint64(2);
    QTest::addRow("blank lines counted") << QByteArray(kHeader + "\n" + kRow1 + "   \r\n" + kRow2 + "\n") << both
                                         << QList<qint64>{3, 5} << qint64(6);
    QTest::addRow("blank lines before header")
        << QByteArray("\n\r\n" + kHeader + kRow1) << first << QList<qint64>{4} << qint64(4);
    QTest::addRow("no final newline") << QByteArray(kHeader + kRow1 + kRow2.chopped(1)) << both << QList<qint64>{2, 3}
                                      << qint64(3);
    QTest::addRow("header only") << kHeader << QList<qint64>{} << QList<qint64>{} << qint64(1);
    // ISO-8601 with Z or an offset, converted to UTC.
    QTest::addRow("ISO Z") << QByteArray(kHeader + "2023-12-04T01:30:00Z,1,1,1,1,1\n") << first << QList<qint64>{2}
                           << qint64(2);
    QTest::addRow("ISO +08:00") << QByteArray(kHeader + "2023-12-04T09:30:00+08:00,1,1,1,1,1\n") << first
                                << QList<qint64>{2} << qint64(2);
    QTest::addRow("ISO -05:30") << QByteArray(kHeader + "2023-12-03T20:00:00-05:30,1,1,1,1,1\n") << first
                                << QList<qint64>{2} << qint64(2);
    QTest::addRow("ISO space, zero fraction")
        << QByteArray(kHeader + "2023-12-04 01:30:00.000Z,1,1,1,1,1\n") << first << QList<qint64>{2} << qint64(2);
    QTest::addRow("ISO lower-case t and z")
        << QByteArray(kHeader + "2023-12-04t01:30:00z,1,1,1,1,1\n") << first << QList<qint64>{2} << qint64(2);
    QTest::addRow("ISO leap day") << QByteArray(kHeader + "2024-02-29T00:00:00Z,1,1,1,1,1\n")
                                  << QList<qint64>{1709164800} << QList<qint64>{2} << qint64(2);
    QTest::addRow("time zero") << QByteArray(kHeader + "0,1,1,1,1,1\n") << QList<qint64>{0} << QList<qint64>{2}
                               << qint64(2);
    QTest::addRow("largest time") << QByteArray(kHeader + "99999999999,1,1,1,1,1\n") << QList<qint64>{99999999999}
                                  << QList<qint64>{2} << qint64(2);
}

void TestCsvParser::accepts()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QList<qint64>, expectedTimes);
    QFETCH(QList<qint64>, expectedLines);
    QFETCH(qint64, lineCount);
    const QString path = write(bytes);
    QVERIFY(!path.isEmpty());
    const auto parsed = parseFile(path);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QVERIFY2(parsed->errors.isEmpty(), qPrintable(parsed->errors.value(0).detail));
    QCOMPARE(parsed->file, path);
    QCOMPARE(parsed->format, FileFormat::Csv);
    QCOMPARE(times(*parsed), expectedTimes);
    QCOMPARE(lines(*parsed), expectedLines);
    QCOMPARE(parsed->lineCount, lineCount);
    if (expectedTimes.size() == 2 && bytes.contains("3484.8")) {
        const gapless::Candle expected{1701653460, 3484.8, 3486.4, 3477, 3477.2, 1233};
        QVERIFY(parsed->rows.at(1).candle == expected);
    }
}

void TestCsvParser::parsesNumbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<double>("expected");
    // What std::to_chars writes reads back exactly (CLI-10 round trip), plus forms people type.
    QTest::addRow("integer") << QByteArray("3485") << 3485.0;
    QTest::addRow("decimal") << QByteArray("3488.2") << 3488.2;
    QTest::addRow("exponent with plus") << QByteArray("1e+21") << 1e21;
    QTest::addRow("upper-case exponent") << QByteArray("1.5E-3") << 1.5e-3;
    QTest::addRow("leading plus") << QByteArray("+1.5") << 1.5;
    QTest::addRow("negative") << QByteArray("-0.5") << -0.5;
    QTest::addRow("no integer part") << QByteArray(".5") << 0.5;
    QTest::addRow("no fraction digits") << QByteArray("5.") << 5.0;
    QTest::addRow("shortest round trip") << QByteArray("0.30000000000000004") << 0.30000000000000004;
    QTest::addRow("largest double") << QByteArray("1.7976931348623157e308") << 1.7976931348623157e308;
    QTest::addRow("subnormal") << QByteArray("4.9e-324") << 4.9e-324;
    QTest::addRow("underflow reads as zero") << QByteArray("1e-999") << 0.0;
    QTest::addRow("long underflow reads as zero") << QByteArray("0.0000000000000000000001e-400") << 0.0;
}

void TestCsvParser::parsesNumbers()
{
    QFETCH(QByteArray, text);
    QFETCH(double, expected);
    const QString path = write(kHeader + "1701653400," + text + ",1,1,1,1\n");
    const auto parsed = parseFile(path);
    QVERIFY(parsed.ok());
    QVERIFY2(parsed->errors.isEmpty(), qPrintable(parsed->errors.value(0).detail));
    QCOMPARE(parsed->rows.size(), 1);
    // Exact, not QCOMPARE's fuzzy double comparison.
    QVERIFY2(parsed->rows.at(0).candle.open == expected,
             qPrintable(QString::number(parsed->rows.at(0).candle.open, 'g', 17)));
}

void TestCsvParser::rejectsFile_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QString empty = u": empty file; expected a header line and rows"_s;
    const QString header = u"; expected 'time,open,high,low,close,volume' (any case, 'date' for 'time', separated by "
                           u"',', ';' or TAB)"_s;
    // CLI-7: empty, bad header, NUL or invalid UTF-8 reject the whole file.
    QTest::addRow("empty file") << QByteArray() << empty;
    QTest::addRow("BOM only") << QByteArray("\xEF\xBB\xBF") << empty;
    QTest::addRow("blank lines only") << QByteArray("\n  \r\n\n") << empty;
    QTest::addRow("wrong header") << QByteArray("time,open,high,low,close,vol\n" + kRow1)
                                  << u":1: wrong header 'time,open,high,low,close,vol'"_s + header;
    QTest::addRow("missing header") << QByteArray(kRow1 + kRow2)
                                    << u":1: missing header (the first line is data "
                                       u"'1701653400,3485,3488.2,3481.2,3485,1932')"_s
            + header;
    QTest::addRow("missing header after blank line")
        << QByteArray("\n" + kRow1)
        << u":2: missing header (the first line is data '1701653400,3485,3488.2,3481.2,3485,1932')"_s + header;
    QTest::addRow("columns reordered") << QByteArray("open,time,high,low,close,volume\n" + kRow1)
                                       << u":1: wrong header 'open,time,high,low,close,volume'"_s + header;
    QTest::addRow("seventh column") << QByteArray("time,open,high,low,close,volume,trades\n")
                                    << u":1: wrong header 'time,open,high,low,close,volume,trades'"_s + header;
    QTest::addRow("mixed delimiters in header") << QByteArray("time,open;high,low,close,volume\n")
                                                << u":1: wrong header 'time,open;high,low,close,volume'"_s + header;
    QTest::addRow("quoted header") << QByteArray("\"time\",\"open\",\"high\",\"low\",\"close\",\"volume\"\n")
                                   << u":1: wrong header '\"time\",\"open\",\"high\",\"low\",\"close\",\"volu…'"_s
            + header;
    QTest::addRow("no delimiter") << QByteArray("candles\n") << u":1: wrong header 'candles'"_s + header;
    QTest::addRow("NUL byte") << QByteArray(kHeader + kRow1
                                            + QByteArray("17016534\0"
                                                         "60,1,1,1,1,1\n",
                                                         22))
                              << u":3: NUL byte at byte 9 of the line; expected UTF-8 text"_s;
    QTest::addRow("invalid UTF-8") << QByteArray(kHeader + kRow1 + "1701653460,3484.8\xFF,1,1,1,1\n")
                                   << u":3: invalid UTF-8 (byte 0xff) at byte 18 of the line; expected UTF-8 text"_s;
    QTest::addRow("overlong UTF-8") << QByteArray(kHeader + "1701653460,\xC0\xAF,1,1,1,1\n")
                                    << u":2: invalid UTF-8 (byte 0xc0) at byte 12 of the line; expected UTF-8 text"_s;
    QTest::addRow("UTF-8 cut short") << QByteArray(kHeader + kRow1 + "\xE2\x82")
                                     << u":3: invalid UTF-8 (byte 0xe2) at byte 1 of the line; expected UTF-8 text"_s;
    QTest::addRow("binary garbage") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 16)
                                    << u":1: invalid UTF-8 (byte 0x89) at byte 1 of the line; expected UTF-8 text"_s;
    QTest::addRow("UTF-16") << QByteArray("\xFF\xFEt\0i\0m\0e\0", 10)
                            << u":1: UTF-16 byte order mark; expected UTF-8 text"_s;
}

void TestCsvParser::rejectsFile()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = write(bytes);
    QVERIFY(!path.isEmpty());
    const auto parsed = parseFile(path);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(parsed.error().message, path + expected);
}

void TestCsvParser::rejectsLine_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("detail");
    const QString notTime
        = u"is not a time; expected integer seconds or ISO-8601 YYYY-MM-DDTHH:MM:SS with Z or ±HH:MM"_s;
    const QString range = u"out of range; expected 0 <= time < 100000000000"_s;
    const QString notNumber = u"is not a number; expected a decimal number such as 3485 or 1.5e-3"_s;
    const QString notFinite = u"is not finite; expected a finite number"_s;
    // DOM-6: malformed (columns, numbers, time range) and not_finite lines are not rows.
    QTest::addRow("wrong column count") << kHeader << QByteArray("1701653460,1,2,3") << u"malformed"_s
                                        << u"got 4 columns; expected 6"_s;
    QTest::addRow("one column") << kHeader << QByteArray("1701653460") << u"malformed"_s
                                << u"got 1 column; expected 6"_s;
    QTest::addRow("mixed delimiter row") << kHeader << QByteArray("1701653460;1;2;3;4;5") << u"malformed"_s
                                         << u"got 1 column (the line uses ';', the header ','); expected 6"_s;
    QTest::addRow("tab row in comma file") << kHeader << QByteArray("1701653460\t1\t2\t3\t4\t5") << u"malformed"_s
                                           << u"got 1 column (the line uses TAB, the header ','); expected 6"_s;
    QTest::addRow("decimal comma") << QByteArray("time;open;high;low;close;volume\n")
                                   << QByteArray("1701653460;3484,8;1;1;1;1") << u"malformed"_s
                                   << u"open '3484,8' "_s + notNumber;
    QTest::addRow("quotes") << kHeader << QByteArray("\"1701653460\",1,2,3,4,5") << u"malformed"_s
                            << u"quote (\") at byte 1 of the line; expected unquoted fields"_s;
    QTest::addRow("non-numeric") << kHeader << QByteArray("1701653460,abc,2,3,4,5") << u"malformed"_s
                                 << u"open 'abc' "_s + notNumber;
    QTest::addRow("empty field") << kHeader << QByteArray("1701653460,1,,3,4,5") << u"malformed"_s
                                 << u"high is empty; expected a number"_s;
    QTest::addRow("hex") << kHeader << QByteArray("1701653460,1,2,0x10,4,5") << u"malformed"_s
                         << u"low '0x10' "_s + notNumber;
    QTest::addRow("plus minus") << kHeader << QByteArray("1701653460,1,2,3,+-4,5") << u"malformed"_s
                                << u"close '+-4' "_s + notNumber;
    QTest::addRow("trailing junk") << kHeader << QByteArray("1701653460,1,2,3,4,5x") << u"malformed"_s
                                   << u"volume '5x' "_s + notNumber;
    QTest::addRow("NaN") << kHeader << QByteArray("1701653460,NaN,2,3,4,5") << u"not_finite"_s
                         << u"open 'NaN' "_s + notFinite;
    QTest::addRow("Inf") << kHeader << QByteArray("1701653460,1,Inf,3,4,5") << u"not_finite"_s
                         << u"high 'Inf' "_s + notFinite;
    QTest::addRow("-inf") << kHeader << QByteArray("1701653460,1,2,-inf,4,5") << u"not_finite"_s
                          << u"low '-inf' "_s + notFinite;
    QTest::addRow("+Infinity") << kHeader << QByteArray("1701653460,1,2,3,+Infinity,5") << u"not_finite"_s
                               << u"close '+Infinity' "_s + notFinite;
    QTest::addRow("INFINITY") << kHeader << QByteArray("1701653460,1,2,3,4,INFINITY") << u"not_finite"_s
                              << u"volume 'INFINITY' "_s + notFinite;
    QTest::addRow("1e999") << kHeader << QByteArray("1701653460,1e999,2,3,4,5") << u"not_finite"_s
                           << u"open '1e999' overflows a double; expected a finite number"_s;
    QTest::addRow("-1e999") << kHeader << QByteArray("1701653460,1,2,3,4,-1e999") << u"not_finite"_s
                            << u"volume '-1e999' overflows a double; expected a finite number"_s;
    QTest::addRow("time out of range") << kHeader << QByteArray("100000000000,1,2,3,4,5") << u"malformed"_s
                                       << u"time 100000000000 "_s + range;
    QTest::addRow("time in milliseconds")
        << kHeader << QByteArray("1701653460000,1,2,3,4,5") << u"malformed"_s << u"time 1701653460000 "_s + range;
    QTest::addRow("negative time") << kHeader << QByteArray("-60,1,2,3,4,5") << u"malformed"_s
                                   << u"time -60 "_s + range;
    QTest::addRow("time beyond int64") << kHeader << QByteArray("99999999999999999999,1,2,3,4,5") << u"malformed"_s
                                       << u"time 99999999999999999999 "_s + range;
    QTest::addRow("fractional time") << kHeader << QByteArray("1701653460.5,1,2,3,4,5") << u"malformed"_s
                                     << u"time '1701653460.5' "_s + notTime;
    QTest::addRow("empty time") << kHeader << QByteArray(",1,2,3,4,5") << u"malformed"_s
                                << u"time is empty; expected integer seconds or ISO-8601"_s;
    QTest::addRow("bad ISO") << kHeader << QByteArray("2023-12-04T01:30:00X,1,2,3,4,5") << u"malformed"_s
                             << u"time '2023-12-04T01:30:00X' "_s + notTime;
    QTest::addRow("ISO without offset") << kHeader << QByteArray("2023-12-04T01:30:00,1,2,3,4,5") << u"malformed"_s
                                        << u"time '2023-12-04T01:30:00' has no UTC offset; expected Z or ±HH:MM after "
                                           u"the time"_s;
    QTest::addRow("ISO February 30") << kHeader << QByteArray("2023-02-30T00:00:00Z,1,2,3,4,5") << u"malformed"_s
                                     << u"time '2023-02-30T00:00:00Z' "_s + notTime;
    QTest::addRow("ISO hour 24") << kHeader << QByteArray("2023-12-04T24:00:00Z,1,2,3,4,5") << u"malformed"_s
                                 << u"time '2023-12-04T24:00:00Z' "_s + notTime;
    QTest::addRow("ISO offset +0800") << kHeader << QByteArray("2023-12-04T09:30:00+0800,1,2,3,4,5") << u"malformed"_s
                                      << u"time '2023-12-04T09:30:00+0800' "_s + notTime;
    QTest::addRow("ISO fractional seconds")
        << kHeader << QByteArray("2023-12-04T01:30:00.5Z,1,2,3,4,5") << u"malformed"_s
        << u"time '2023-12-04T01:30:00.5Z' has fractional seconds; expected "
           u"whole seconds"_s;
    QTest::addRow("ISO before 1970") << kHeader << QByteArray("1969-12-31T23:59:59Z,1,2,3,4,5") << u"malformed"_s
                                     << u"time '1969-12-31T23:59:59Z' "_s + range;
    QTest::addRow("date column named") << QByteArray("date,open,high,low,close,volume\n")
                                       << QByteArray("yesterday,1,2,3,4,5") << u"malformed"_s
                                       << u"date 'yesterday' "_s + notTime;
    QTest::addRow("long field cut") << kHeader
                                    << QByteArray(
                                           "1701653460,1,2,3,4,abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz")
                                    << u"malformed"_s
                                    << u"volume 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn…' "_s + notNumber;
    QTest::addRow("control byte shown") << kHeader << QByteArray("1701653460,1\x01,2,3,4,5") << u"malformed"_s
                                        << u"open '1\\x01' "_s + notNumber;
}

void TestCsvParser::rejectsLine()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    QFETCH(QString, detail);
    const QByteArray good
        = header.contains(';') ? QByteArray("1701653400;1;2;1;2;5\n") : QByteArray("1701653400,1,2,1,2,5\n");
    const QString path = write(header + good + line + '\n' + good);
    QVERIFY(!path.isEmpty());
    const auto parsed = parseFile(path);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->rows.size(), 2);
    QCOMPARE(lines(*parsed), (QList<qint64>{2, 4}));
    QCOMPARE(parsed->errors.size(), 1);
    QCOMPARE(parsed->errors.at(0).line, qint64(3));
    QCOMPARE(parsed->errors.at(0).reason, reason);
    QCOMPARE(parsed->errors.at(0).detail, detail);
    QCOMPARE(parsed->lineCount, qint64(4));
}

void TestCsvParser::keepsGoingAfterBadLines()
{
    // Rows are not validated here (DOM-7 belongs to the validator): anomalies pass through.
    const QByteArray bytes = kHeader + kRow1 + "x\n" + "1701653400,5,1,9,2,-3\n" + "\n" + "1,NaN,1,1,1,1\n" + kRow2;
    const QString path = write(bytes);
    const auto parsed = parseFile(path);
    QVERIFY(parsed.ok());
    QCOMPARE(lines(*parsed), (QList<qint64>{2, 4, 7}));
    QCOMPARE(times(*parsed), (QList<qint64>{1701653400, 1701653400, 1701653460}));
    const gapless::Candle anomalous{1701653400, 5, 1, 9, 2, -3};
    QVERIFY(parsed->rows.at(1).candle == anomalous);
    QCOMPARE(parsed->errors.size(), 2);
    QCOMPARE(parsed->errors.at(0).line, qint64(3));
    QCOMPARE(parsed->errors.at(1).line, qint64(6));
    QCOMPARE(parsed->errors.at(1).reason, u"not_finite"_s);
    QCOMPARE(parsed->lineCount, qint64(7));
}

void TestCsvParser::parsesBytesWithoutAFile()
{
    const QByteArray bytes = kHeader + kRow1;
    const auto parsed = gapless::sources::parseCsv(u"stdin"_s, bytes);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->file, u"stdin"_s);
    QCOMPARE(parsed->rows.size(), 1);
    const auto rejected = gapless::sources::parseCsv(u"stdin"_s, QByteArrayView());
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.error().message, u"stdin: empty file; expected a header line and rows"_s);
}

QTEST_GUILESS_MAIN(TestCsvParser)
#include "tst_csvparser.moc"
