#include "core/sources/freqtradeparser.h"
#include "core/sources/gzipreader.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using gapless::sources::FileFormat;
using gapless::sources::ParsedFile;

namespace {

const QByteArray kRow1 = "[1701653400000,3485,3488.2,3481.2,3485,1932]";
const QByteArray kRow2 = "[1701653460000,3484.8,3486.4,3477,3477.2,1233.0]";

QList<qint64> times(const ParsedFile &file)
{
    QList<qint64> out;
    for (const auto &row : file.rows)
        out.append(row.candle.time);
    return out;
}

/// The file as the import reads it: bytes from disk, then the parser under test.
gapless::Result<ParsedFile> parseFile(const QString &path)
{
    const auto bytes = gapless::sources::readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return gapless::sources::parseFreqtrade(path, *bytes);
}

} // namespace

class TestFreqtradeParser final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void accepts_data();
    void accepts();
    void rejectsFile_data();
    void rejectsFile();
    void rejectsElement_data();
    void rejectsElement();

private:
    [[nodiscard]] QString write(const QByteArray &bytes);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFreqtradeParser::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestFreqtradeParser::write(const QByteArray &bytes)
{
    const QString path = m_dir->filePath(u"BTC_USDT-1m.json"_s);
    return gapless::test::writeFile(path, bytes) ? path : QString();
}

void TestFreqtradeParser::accepts_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<qint64>>("expectedTimes");
    const QList<qint64> both{1701653400, 1701653460};
    // CLI-8: an array of [ms, o, h, l, c, v], ms a multiple of 1000.
    QTest::addRow("compact") << QByteArray("[" + kRow1 + "," + kRow2 + "]") << both;
    QTest::addRow("pretty printed") << QByteArray("[\n  " + kRow1 + ",\r\n\t" + kRow2 + "\n]\n") << both;
    QTest::addRow("spaces inside elements")
        << QByteArray("[ [ 1701653400000 , 3485 , 3488.2 , 3481.2 , 3485 , 1932 ] ]") << QList<qint64>{1701653400};
    QTest::addRow("empty array") << QByteArray("[]") << QList<qint64>{};
    QTest::addRow("BOM") << QByteArray("\xEF\xBB\xBF[" + kRow1 + "]") << QList<qint64>{1701653400};
    QTest::addRow("ms with fraction zero")
        << QByteArray("[[1701653400000.0,3485,3488.2,3481.2,3485,1932]]") << QList<qint64>{1701653400};
    QTest::addRow("ms in exponent form") << QByteArray("[[1.7016534e12,3485,3488.2,3481.2,3485,1932]]")
                                         << QList<qint64>{1701653400};
}

void TestFreqtradeParser::accepts()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QList<qint64>, expectedTimes);
    const QString path = write(bytes);
    QVERIFY(!path.isEmpty());
    const auto parsed = parseFile(path);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QVERIFY2(parsed->errors.isEmpty(), qPrintable(parsed->errors.value(0).detail));
    QCOMPARE(parsed->file, path);
    QCOMPARE(parsed->format, FileFormat::Freqtrade);
    QCOMPARE(times(*parsed), expectedTimes);
    QCOMPARE(parsed->lineCount, qint64(expectedTimes.size()));
    for (qsizetype i = 0; i < parsed->rows.size(); ++i)
        QCOMPARE(parsed->rows.at(i).line, qint64(i + 1));
    if (!parsed->rows.isEmpty()) {
        const gapless::Candle first{1701653400, 3485, 3488.2, 3481.2, 3485, 1932};
        QVERIFY(parsed->rows.at(0).candle == first);
    }
}

void TestFreqtradeParser::rejectsFile_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QString notArray
        = u": not a JSON array of rows (the top level is %1); expected [[ms, open, high, low, close, "
          u"volume], ...]"_s;
    const QString invalid = u": invalid JSON at byte offset %1 (line %2, column %3): %4"_s;
    const QByteArray deep = QByteArray(300, '[') + QByteArray(300, ']');
    // CLI-8: bad JSON or a top level that is not an array rejects the file.
    QTest::addRow("empty file")
        << QByteArray() << u": empty file; expected a JSON array of [ms, open, high, low, close, volume] rows"_s;
    QTest::addRow("whitespace only") << QByteArray(
        " \n\t ") << u": empty file; expected a JSON array of [ms, open, high, low, close, volume] rows"_s;
    QTest::addRow("JSON object") << QByteArray("{\"BTC/USDT\": []}") << notArray.arg(u"an object"_s);
    QTest::addRow("JSON number") << QByteArray("42") << notArray.arg(u"a number"_s);
    QTest::addRow("JSON string") << QByteArray("\"rows\"") << notArray.arg(u"a string"_s);
    QTest::addRow("JSON null") << QByteArray("null") << notArray.arg(u"null"_s);
    QTest::addRow("array cut short") << QByteArray("[" + kRow1)
                                     << invalid.arg(45).arg(1).arg(46).arg(u"found end of file; expected ',' or ']'"_s);
    QTest::addRow("element cut short") << QByteArray(
        "[[1701653400000,3485") << invalid.arg(20).arg(1).arg(21).arg(u"found end of file; expected ',' or ']'"_s);
    QTest::addRow("trailing comma") << QByteArray("[" + kRow1 + ",]")
                                    << invalid.arg(46).arg(1).arg(47).arg(u"found ']'; expected a value"_s);
    QTest::addRow("NaN literal") << QByteArray("[[1701653400000,NaN,1,1,1,1]]")
                                 << invalid.arg(16).arg(1).arg(17).arg(u"found 'N'; expected a value"_s);
    QTest::addRow("single quotes") << QByteArray("['a']")
                                   << invalid.arg(1).arg(1).arg(2).arg(u"found '''; expected a value"_s);
    QTest::addRow("leading zero") << QByteArray("[[01,1,1,1,1,1]]")
                                  << invalid.arg(3).arg(1).arg(4).arg(u"found '1'; expected ',' or ']'"_s);
    QTest::addRow("bare minus") << QByteArray("[[-,1,1,1,1,1]]")
                                << invalid.arg(3).arg(1).arg(4).arg(u"found ','; expected a digit"_s);
    QTest::addRow("garbage after the array")
        << QByteArray("[]\n x")
        << invalid.arg(4).arg(2).arg(2).arg(u"found 'x'; expected the end of the file after the top-level array"_s);
    QTest::addRow("two top-level values")
        << QByteArray("{} {}") << invalid.arg(3).arg(1).arg(4).arg(u"found '{'; expected the end of the file"_s);
    QTest::addRow("unterminated string") << QByteArray(
        "[\"abc") << invalid.arg(5).arg(1).arg(6).arg(u"found end of file in a string; expected a closing '\"'"_s);
    QTest::addRow("raw newline in string")
        << QByteArray("[\"a\nb\"]")
        << invalid.arg(3).arg(1).arg(4).arg(u"unescaped control character 0x0a in a string; expected \\u000a"_s);
    QTest::addRow("bad escape")
        << QByteArray("[\"\\x\"]")
        << invalid.arg(2).arg(1).arg(3).arg(
               u"bad escape in a string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"_s);
    QTest::addRow("object key not a string")
        << QByteArray("[{a:1}]") << invalid.arg(2).arg(1).arg(3).arg(u"found 'a'; expected a string key"_s);
    QTest::addRow("nested too deep") << deep
                                     << invalid.arg(256).arg(1).arg(257).arg(
                                            u"arrays and objects nested 257 deep; expected at most 256 levels"_s);
    QTest::addRow("NUL byte") << QByteArray("[[1701\0", 7)
                              << u": NUL byte at byte offset 6 (line 1, column 7); expected UTF-8 JSON text"_s;
    QTest::addRow("invalid UTF-8")
        << QByteArray("[\"\xC3\x28\"]")
        << u": invalid UTF-8 (byte 0xc3) at byte offset 2 (line 1, column 3); expected UTF-8 "
           u"JSON text"_s;
    QTest::addRow("binary garbage") << QByteArray("\x89PNG\r\n\x1a\n", 8)
                                    << u": invalid UTF-8 (byte 0x89) at byte offset 0 (line 1, column 1); expected "
                                       u"UTF-8 JSON text"_s;
}

void TestFreqtradeParser::rejectsFile()
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

void TestFreqtradeParser::rejectsElement_data()
{
    QTest::addColumn<QByteArray>("element");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("detail");
    const QString shape = u"[ms, open, high, low, close, volume]"_s;
    // CLI-8: a bad element is a rejected row at its index from 1 (DOM-6).
    QTest::addRow("element not an array") << QByteArray("{\"t\": 1701653460000}") << u"malformed"_s
                                          << u"element is an object; expected an array "_s + shape;
    QTest::addRow("element a number") << QByteArray("1701653460000") << u"malformed"_s
                                      << u"element is a number; expected an array "_s + shape;
    QTest::addRow("five numbers") << QByteArray("[1701653460000,1,2,3,4]") << u"malformed"_s
                                  << u"got 5 values; expected 6: "_s + shape;
    QTest::addRow("seven numbers") << QByteArray("[1701653460000,1,2,3,4,5,6]") << u"malformed"_s
                                   << u"got 7 values; expected 6: "_s + shape;
    QTest::addRow("empty element") << QByteArray("[]") << u"malformed"_s << u"got 0 values; expected 6: "_s + shape;
    QTest::addRow("ms not multiple of 1000")
        << QByteArray("[1701653460500,1,2,3,4,5]") << u"malformed"_s
        << u"ms 1701653460500 is not a multiple of 1000; expected whole seconds in "
           u"milliseconds"_s;
    QTest::addRow("seconds instead of ms") << QByteArray("[1701653460,1,2,3,4,5]") << u"malformed"_s
                                           << u"ms 1701653460 is not a multiple of 1000; expected whole seconds in "
                                              u"milliseconds"_s;
    QTest::addRow("fractional ms") << QByteArray("[1701653460000.5,1,2,3,4,5]") << u"malformed"_s
                                   << u"ms 1701653460000.5 is not a multiple of 1000; expected whole seconds in "
                                      u"milliseconds"_s;
    QTest::addRow("negative ms") << QByteArray("[-60000,1,2,3,4,5]") << u"malformed"_s
                                 << u"ms -60000 out of range; expected 0 <= ms < 100000000000000"_s;
    QTest::addRow("ms too large") << QByteArray("[100000000000000,1,2,3,4,5]") << u"malformed"_s
                                  << u"ms 100000000000000 out of range; expected 0 <= ms < 100000000000000"_s;
    QTest::addRow("number as string") << QByteArray("[1701653460000,\"3485\",2,3,4,5]") << u"malformed"_s
                                      << u"open is a string; expected a number"_s;
    QTest::addRow("ms as string") << QByteArray("[\"1701653460000\",1,2,3,4,5]") << u"malformed"_s
                                  << u"ms is a string; expected a number"_s;
    QTest::addRow("nested array value") << QByteArray("[1701653460000,1,2,[3],4,5]") << u"malformed"_s
                                        << u"low is an array; expected a number"_s;
    QTest::addRow("boolean value") << QByteArray("[1701653460000,1,2,3,true,5]") << u"malformed"_s
                                   << u"close is true; expected a number"_s;
    QTest::addRow("null is NaN") << QByteArray("[1701653460000,1,2,3,4,null]") << u"not_finite"_s
                                 << u"volume is null (NaN in pandas output); expected a finite number"_s;
    QTest::addRow("overflow") << QByteArray("[1701653460000,1,1e999,3,4,5]") << u"not_finite"_s
                              << u"high '1e999' overflows a double; expected a finite number"_s;
}

void TestFreqtradeParser::rejectsElement()
{
    QFETCH(QByteArray, element);
    QFETCH(QString, reason);
    QFETCH(QString, detail);
    const QString path = write("[" + kRow1 + ",\n" + element + ",\n" + kRow2 + "]");
    QVERIFY(!path.isEmpty());
    const auto parsed = parseFile(path);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(times(*parsed), (QList<qint64>{1701653400, 1701653460}));
    QCOMPARE(parsed->rows.at(1).line, qint64(3));
    QCOMPARE(parsed->errors.size(), 1);
    QCOMPARE(parsed->errors.at(0).line, qint64(2));
    QCOMPARE(parsed->errors.at(0).reason, reason);
    QCOMPARE(parsed->errors.at(0).detail, detail);
    QCOMPARE(parsed->lineCount, qint64(3));
}

QTEST_GUILESS_MAIN(TestFreqtradeParser)
#include "tst_freqtradeparser.moc"
