#include "core/sources/gzipreader.h"

#include "tests/core/gzipfixture.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::ErrorCode;
using gapless::test::gzipped;

namespace {

QByteArray sampleCsv()
{
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (int i = 0; i < 500; ++i)
        csv += QByteArray::number(1701653400 + 60 * i) + ",3485,3488.2,3481.2,3485," + QByteArray::number(i) + '\n';
    return csv;
}

} // namespace

class TestGzipReader final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void reads_data();
    void reads();
    void rejects_data();
    void rejects();
    void rejectsMissingFile();
    void rejectsDirectory();
    void guardsInflatedSize();

private:
    QString write(const QString &name, const QByteArray &bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestGzipReader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestGzipReader::write(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestGzipReader::reads_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray csv = sampleCsv();
    const QByteArray gz = gzipped(csv);
    QVERIFY(!gz.isEmpty());
    // CLI-6: the gzip magic decides, not the name.
    QTest::addRow("plain csv") << u"a.csv"_s << csv << csv;
    QTest::addRow("empty plain file") << u"a.csv"_s << QByteArray() << QByteArray();
    QTest::addRow("gzip of a csv") << u"a.csv.gz"_s << gz << csv;
    QTest::addRow("gzip named .csv") << u"a.csv"_s << gz << csv;
    QTest::addRow("plain text named .gz") << u"a.csv.gz"_s << csv << csv;
    QTest::addRow("concatenated members")
        << u"a.csv.gz"_s << QByteArray(gz + gzipped("more\n") + gzipped("")) << QByteArray(csv + "more\n");
    QTest::addRow("gzip of nothing") << u"a.csv.gz"_s << gzipped("") << QByteArray();
    QTest::addRow("one byte of the magic") << u"a.csv"_s << QByteArray("\x1f") << QByteArray("\x1f");
}

void TestGzipReader::reads()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, expected);
    const QString path = write(name, bytes);
    QVERIFY(!path.isEmpty());
    const auto read = gapless::sources::readFileBytes(path);
    QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
    QCOMPARE(*read, expected);
}

void TestGzipReader::rejects_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QByteArray gz = gzipped(sampleCsv());
    QVERIFY(gz.size() > 40);
    const QString truncated = u": truncated gzip stream; expected a complete gzip file"_s;
    const auto corrupt = [](qsizetype at, const char *zlib) {
        return u": corrupt gzip data at byte %1 (zlib: %2); expected a valid gzip file"_s.arg(at).arg(
            QLatin1StringView(zlib));
    };
    QByteArray badCrc = gz;
    badCrc[gz.size() - 8] = char(badCrc[gz.size() - 8] ^ 0x55);
    QByteArray badLength = gz;
    badLength[gz.size() - 4] = char(badLength[gz.size() - 4] ^ 0x01);
    QByteArray badMethod = gz;
    badMethod[2] = 9;
    QByteArray badBlock = gz;
    badBlock[10] = char(0xFF); // BTYPE 11 is reserved

    // CLI-6: a bad or truncated gzip rejects the file.
    QTest::addRow("cut in half") << gz.first(gz.size() / 2) << truncated;
    QTest::addRow("header only") << gz.first(10) << truncated;
    QTest::addRow("last byte missing") << gz.first(gz.size() - 1) << truncated;
    QTest::addRow("second member cut") << QByteArray(gz + gz.first(20)) << truncated;
    QTest::addRow("bad crc") << badCrc << corrupt(gz.size() - 4, "incorrect data check");
    QTest::addRow("bad length") << badLength << corrupt(gz.size(), "incorrect length check");
    QTest::addRow("bad method") << badMethod << corrupt(4, "unknown compression method");
    QTest::addRow("bad block type") << badBlock << corrupt(11, "invalid block type");
    QTest::addRow("trailing garbage") << QByteArray(gz + "junk")
                                      << u": 4 bytes of trailing data after the gzip stream at byte %1; expected the "
                                         u"end of the file or another gzip member"_s.arg(gz.size());
    QTest::addRow("second magic cut after one byte") << QByteArray(gz + "\x1f") << truncated;
    QTest::addRow("one trailing byte") << QByteArray(gz + "\n")
                                       << u": 1 byte of trailing data after the gzip stream at byte %1; expected the "
                                          u"end of the file or another gzip member"_s.arg(gz.size());
    QTest::addRow("trailing zeros") << QByteArray(gz + QByteArray(512, '\0'))
                                    << u": 512 bytes of trailing data after the gzip stream at byte %1; expected "
                                       u"the end of the file or another gzip member"_s.arg(gz.size());
}

void TestGzipReader::rejects()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = write(u"bad.csv.gz"_s, bytes);
    QVERIFY(!path.isEmpty());
    const auto read = gapless::sources::readFileBytes(path);
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, ErrorCode::BadRequest);
    QCOMPARE(read.error().message, path + expected);
}

void TestGzipReader::rejectsMissingFile()
{
    const QString path = m_dir->filePath(u"absent.csv"_s);
    const auto read = gapless::sources::readFileBytes(path);
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, ErrorCode::NotFound);
    QCOMPARE(read.error().message, path + u": no such file; expected an existing candle file"_s);
}

void TestGzipReader::rejectsDirectory()
{
    const auto read = gapless::sources::readFileBytes(m_dir->path());
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, ErrorCode::BadRequest);
    QCOMPARE(read.error().message, m_dir->path() + u": is a directory; expected a candle file"_s);
}

void TestGzipReader::guardsInflatedSize()
{
    // The 2 GiB guard, scaled down: 1 MiB of zeros against limits around its size.
    const QByteArray zeros(1024 * 1024, '\0');
    const QByteArray gz = gzipped(zeros);
    const auto exact = gapless::sources::gunzip(u"z.gz"_s, gz, zeros.size());
    QVERIFY2(exact.ok(), qPrintable(exact.ok() ? QString() : exact.error().message));
    QCOMPARE(exact->size(), zeros.size());

    const auto over = gapless::sources::gunzip(u"z.gz"_s, gz, zeros.size() - 1);
    QVERIFY(!over.ok());
    QCOMPARE(over.error().code, ErrorCode::TooLarge);
    QCOMPARE(over.error().message,
             u"z.gz: gzip data inflates to more than 1048575 bytes; expected at most 1048575 bytes"_s);

    // Two members: the size trailer describes only the last, so the buffer must grow.
    const auto grown = gapless::sources::gunzip(u"z.gz"_s, QByteArray(gz + gzipped("x")));
    QVERIFY(grown.ok());
    QCOMPARE(*grown, QByteArray(zeros + "x"));
    QCOMPARE(gapless::sources::kMaxFileBytes, qint64(2147483648));
}

QTEST_GUILESS_MAIN(TestGzipReader)
#include "tst_gzipreader.moc"
