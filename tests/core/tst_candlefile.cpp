#include "core/sources/candlefile.h"

#include "tests/core/gzipfixture.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <charconv>
#include <memory>

using namespace Qt::StringLiterals;
using gapless::Candle;
using gapless::sources::FileFormat;
using gapless::sources::ParsedFile;
using gapless::sources::readCandleFile;

namespace {

QByteArray shortest(double value)
{
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? QByteArray(buffer, end - buffer) : QByteArray();
}

/// The rows as a freqtrade file: [ms, o, h, l, c, v] in shortest round-trip form.
QByteArray toFreqtrade(const ParsedFile &file)
{
    QByteArray json = "[";
    for (const auto &row : file.rows) {
        const Candle &c = row.candle;
        if (json.size() > 1)
            json += ",\n";
        json += '[' + QByteArray::number(c.time * 1000) + ',' + shortest(c.open) + ',' + shortest(c.high) + ','
            + shortest(c.low) + ',' + shortest(c.close) + ',' + shortest(c.volume) + ']';
    }
    return json + "]\n";
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCandleFile final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void readsRealFiles_data();
    void readsRealFiles();
    void readsGzippedCsv();
    void readsFreqtradeJsonGz();
    void rejectsBadGzip();
    void rejectsMissingFile();

private:
    [[nodiscard]] QString write(const QString &name, const QByteArray &bytes);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCandleFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestCandleFile::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestCandleFile::readsRealFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qsizetype>("rows");
    QTest::addColumn<Candle>("first");
    QTest::addColumn<qint64>("sampleLine");
    QTest::addColumn<Candle>("sample");
    QTest::addColumn<Candle>("last");
    // Literals taken from the files with head, sed -n and tail.
    QTest::addRow("sse_000001_1m") << u"sse_000001_1m"_s << qsizetype(16080)
                                   << Candle{1718328600, 3020.96, 3021.78, 3015.67, 3018.92, 107160608} << qint64(8000)
                                   << Candle{1722394080, 2910.02, 2910.02, 2909.05, 2909.57, 12844136}
                                   << Candle{1726642740, 2716.81, 2717.28, 2716.81, 2717.28, 21510299};
    QTest::addRow("cffex_IFL8_1m_part1") << u"cffex_IFL8_1m_part1"_s << qsizetype(24000)
                                         << Candle{1701653400, 3485, 3488.2, 3481.2, 3485, 1932} << qint64(12345)
                                         << Candle{1708571580, 3465, 3468, 3465, 3466.6, 198}
                                         << Candle{1715065140, 3659.4, 3659.8, 3658, 3658, 418};
}

void TestCandleFile::readsRealFiles()
{
    QFETCH(QString, name);
    QFETCH(qsizetype, rows);
    QFETCH(Candle, first);
    QFETCH(qint64, sampleLine);
    QFETCH(Candle, sample);
    QFETCH(Candle, last);
    const QString path = gapless::test::dataFile(name + u".csv"_s);
    const auto parsed = readCandleFile(path, FileFormat::Csv);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->rows.size(), rows);
    QVERIFY(parsed->errors.isEmpty());
    QCOMPARE(parsed->lineCount, qint64(rows + 1));
    QCOMPARE(parsed->rows.first().line, qint64(2));
    QCOMPARE(parsed->rows.last().line, qint64(rows + 1));
    QVERIFY(parsed->rows.first().candle == first);
    QVERIFY(parsed->rows.last().candle == last);
    QCOMPARE(parsed->rows.at(sampleLine - 2).line, sampleLine);
    QVERIFY(parsed->rows.at(sampleLine - 2).candle == sample);

    // The independent reference agrees (tests/data/expected/README.md).
    const QJsonObject expected
        = QJsonDocument::fromJson(readAll(gapless::test::dataFile(u"expected/"_s + name + u".json"_s))).object();
    QCOMPARE(expected.value(u"rows"_s).toInteger(), qint64(rows));
    QCOMPARE(expected.value(u"first_time"_s).toInteger(), first.time);
    QCOMPARE(expected.value(u"last_time"_s).toInteger(), last.time);
}

void TestCandleFile::readsGzippedCsv()
{
    const QByteArray csv = readAll(gapless::test::dataFile(u"sse_000001_1m.csv"_s));
    QVERIFY(!csv.isEmpty());
    const QString path = write(u"sse_000001_1m.csv.gz"_s, gapless::test::gzipped(csv));
    const auto gz = readCandleFile(path, FileFormat::Csv);
    QVERIFY2(gz.ok(), qPrintable(gz.ok() ? QString() : gz.error().message));
    const auto plain = readCandleFile(gapless::test::dataFile(u"sse_000001_1m.csv"_s), FileFormat::Csv);
    QVERIFY(plain.ok());
    QCOMPARE(gz->file, path);
    QCOMPARE(gz->rows.size(), plain->rows.size());
    for (qsizetype i = 0; i < gz->rows.size(); ++i)
        QVERIFY(gz->rows.at(i).candle == plain->rows.at(i).candle && gz->rows.at(i).line == plain->rows.at(i).line);
}

void TestCandleFile::readsFreqtradeJsonGz()
{
    // CLI-8 end to end: the real CSV rows written as a freqtrade .json.gz read back exactly.
    const auto csv = readCandleFile(gapless::test::dataFile(u"cffex_IFL8_1m_part1.csv"_s), FileFormat::Csv);
    QVERIFY(csv.ok());
    const QString path = write(u"IF_L8-1m.json.gz"_s, gapless::test::gzipped(toFreqtrade(*csv)));
    const auto json = readCandleFile(path, FileFormat::Freqtrade);
    QVERIFY2(json.ok(), qPrintable(json.ok() ? QString() : json.error().message));
    QCOMPARE(json->format, FileFormat::Freqtrade);
    QVERIFY(json->errors.isEmpty());
    QCOMPARE(json->lineCount, qint64(24000));
    QCOMPARE(json->rows.size(), csv->rows.size());
    for (qsizetype i = 0; i < json->rows.size(); ++i) {
        QVERIFY(json->rows.at(i).candle == csv->rows.at(i).candle);
        QCOMPARE(json->rows.at(i).line, qint64(i + 1));
    }
}

void TestCandleFile::rejectsBadGzip()
{
    const QByteArray gz = gapless::test::gzipped(readAll(gapless::test::dataFile(u"sse_000001_1m.csv"_s)));
    const QString path = write(u"cut.csv.gz"_s, gz.first(gz.size() / 2));
    const auto parsed = readCandleFile(path, FileFormat::Csv);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(parsed.error().message, path + u": truncated gzip stream; expected a complete gzip file"_s);
}

void TestCandleFile::rejectsMissingFile()
{
    const QString path = m_dir->filePath(u"absent.json"_s);
    const auto parsed = readCandleFile(path, FileFormat::Freqtrade);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, gapless::ErrorCode::NotFound);
    QCOMPARE(parsed.error().message, path + u": no such file; expected an existing candle file"_s);
}

QTEST_GUILESS_MAIN(TestCandleFile)
#include "tst_candlefile.moc"
