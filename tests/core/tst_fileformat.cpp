#include "core/sources/fileformat.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::sources::FileFormat;

class TestFileFormat final : public QObject
{
    Q_OBJECT

private slots:
    void detects_data();
    void detects();
    void rejects_data();
    void rejects();
    void namesFormats();
};

void TestFileFormat::detects_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("explicitFormat");
    QTest::addColumn<FileFormat>("expected");
    // CLI-6
    QTest::addRow(".csv") << u"data/btc_1m.csv"_s << QString() << FileFormat::Csv;
    QTest::addRow(".csv.gz") << u"btc_1m.csv.gz"_s << QString() << FileFormat::Csv;
    QTest::addRow(".CSV.GZ upper case") << u"BTC_1M.CSV.GZ"_s << QString() << FileFormat::Csv;
    QTest::addRow(".json") << u"BTC_USDT-1m.json"_s << QString() << FileFormat::Freqtrade;
    QTest::addRow(".json.gz") << u"BTC_USDT-1m.json.gz"_s << QString() << FileFormat::Freqtrade;
    QTest::addRow("explicit csv wins over .json") << u"rows.json"_s << u"csv"_s << FileFormat::Csv;
    QTest::addRow("explicit freqtrade for .txt") << u"rows.txt"_s << u"freqtrade"_s << FileFormat::Freqtrade;
    QTest::addRow("explicit in any case") << u"rows"_s << u"CSV"_s << FileFormat::Csv;
}

void TestFileFormat::detects()
{
    QFETCH(QString, path);
    QFETCH(QString, explicitFormat);
    QFETCH(FileFormat, expected);
    const auto format = gapless::sources::detectFormat(path, explicitFormat);
    QVERIFY2(format.ok(), qPrintable(format.ok() ? QString() : format.error().message));
    QCOMPARE(*format, expected);
}

void TestFileFormat::rejects_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("explicitFormat");
    QTest::addColumn<QString>("expected");
    const QString needFormat
        = u": cannot tell the file format from the name; expected a name ending in .csv, .csv.gz, .json or "
          u".json.gz, or --format csv|freqtrade"_s;
    // CLI-6: anything else needs --format; a bad --format is named.
    QTest::addRow(".txt") << u"rows.txt"_s << QString() << u"rows.txt"_s + needFormat;
    QTest::addRow("bare .gz") << u"rows.gz"_s << QString() << u"rows.gz"_s + needFormat;
    QTest::addRow("no extension") << u"rows"_s << QString() << u"rows"_s + needFormat;
    QTest::addRow(".jsonl") << u"rows.jsonl"_s << QString() << u"rows.jsonl"_s + needFormat;
    QTest::addRow("unknown explicit") << u"rows.csv"_s << u"xml"_s
                                      << u"format 'xml': unknown file format; expected csv or freqtrade"_s;
}

void TestFileFormat::rejects()
{
    QFETCH(QString, path);
    QFETCH(QString, explicitFormat);
    QFETCH(QString, expected);
    const auto format = gapless::sources::detectFormat(path, explicitFormat);
    QVERIFY(!format.ok());
    QCOMPARE(format.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(format.error().message, expected);
}

void TestFileFormat::namesFormats()
{
    QCOMPARE(gapless::sources::fileFormatName(FileFormat::Csv), u"csv"_s);
    QCOMPARE(gapless::sources::fileFormatName(FileFormat::Freqtrade), u"freqtrade"_s);
}

QTEST_GUILESS_MAIN(TestFileFormat)
#include "tst_fileformat.moc"
