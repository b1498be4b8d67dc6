// UI-16, CLI-5: `gapless --screenshot FILE [--size WxH] [--panel NAME]` end to end.
#include "tests/support/gaplessrun.h"
#include "tests/support/testenv.h"

#include <QDirIterator>
#include <QImage>
#include <QImageReader>
#include <QProcessEnvironment>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestScreenshotCommand : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void writesTheWindowOfAnImportedDatabase_data();
    void writesTheWindowOfAnImportedDatabase();
    void anEmptyDatabaseIsReadyAtOnce();
    void scaleTwoKeepsTheSizeAndCrispLines();
    void notReadyInTenSecondsWritesAnywayAndFails();
    void rejectsBadOptions_data();
    void rejectsBadOptions();

private:
    QTemporaryDir m_dir;
    QString m_db;
};

namespace {

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

void TestScreenshotCommand::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"shot.db"_s);
    const auto run = test::runGapless({u"import"_s, test::dataFile(u"sse_000001_1m.csv"_s), u"--series"_s,
                                       u"file:cn:000001.SH:1m"_s, u"--db"_s, m_db, u"--no-progress"_s},
                                      m_dir.filePath(u"home"_s));
    QVERIFY2(run.exitCode == 0 || run.exitCode == 3, qPrintable(run.errText()));
}

void TestScreenshotCommand::writesTheWindowOfAnImportedDatabase_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QSize>("size");
    QTest::addRow("default main") << QStringList() << QSize(1280, 800);
    QTest::addRow("gaps panel 1000x700") << QStringList{u"--size"_s, u"1000x700"_s, u"--panel"_s, u"gaps"_s}
                                         << QSize(1000, 700);
    QTest::addRow("flags dialog") << QStringList{u"--panel"_s, u"flags"_s} << QSize(1280, 800);
}

void TestScreenshotCommand::writesTheWindowOfAnImportedDatabase()
{
    QFETCH(QStringList, extra);
    QFETCH(QSize, size);
    const QString png = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_') + u".png"_s);
    const auto run = test::runGapless(QStringList{u"--db"_s, m_db, u"--screenshot"_s, png} + extra,
                                      m_dir.filePath(u"home"_s));
    QCOMPARE(run.exitCode, 0);
    QImageReader reader(png);
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage image = reader.read();
    QCOMPARE(image.size(), size);
    QVERIFY2(image.depth() == 32 || image.depth() == 24, qPrintable(QString::number(image.depth())));
    QVERIFY2(distinctColours(image) > 8, "the screenshot is nearly uniform");
    // D-UI-20: a screenshot reads the saved layout but never writes the user's state back.
    QDirIterator saved(m_dir.filePath(u"home"_s), {u"gapless-ui.ini"_s}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY2(!saved.hasNext(), "a --screenshot run wrote gapless-ui.ini");
}

void TestScreenshotCommand::anEmptyDatabaseIsReadyAtOnce()
{
    const QString png = m_dir.filePath(u"empty.png"_s);
    const auto run = test::runGapless({u"--db"_s, m_dir.filePath(u"empty.db"_s), u"--screenshot"_s, png, u"--size"_s,
                                       u"640x480"_s},
                                      m_dir.filePath(u"home-empty"_s));
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(QImage(png).size(), QSize(640, 480));
}

void TestScreenshotCommand::scaleTwoKeepsTheSizeAndCrispLines()
{
    // UI-16, UI-17, D-UI-32: at QT_SCALE_FACTOR=2 the PNG is still W×H, and the chart's 1 px
    // grid lines keep their exact colour (a 1-device-px hairline reduced by 2 would be a
    // pale blend, and the exact grid colour would all but vanish).
    const auto gridPixels = [](const QImage &image) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                n += image.pixelColor(x, y) == QColor(0xe6, 0xe8, 0xec) ? 1 : 0;
        return n;
    };
    QImage shots[2];
    for (int scale = 1; scale <= 2; ++scale) {
        const QString png = m_dir.filePath(u"scale%1.png"_s.arg(scale));
        QProcessEnvironment env;
        env.insert(u"QT_SCALE_FACTOR"_s, QString::number(scale));
        const auto run = test::runGapless({u"--db"_s, m_db, u"--screenshot"_s, png, u"--size"_s, u"900x600"_s},
                                          m_dir.filePath(u"home"_s), env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.errText()));
        shots[scale - 1] = QImage(png);
        QCOMPARE(shots[scale - 1].size(), QSize(900, 600));
    }
    const int atOne = gridPixels(shots[0]);
    const int atTwo = gridPixels(shots[1]);
    QVERIFY2(atOne > 500, qPrintable(QString::number(atOne)));
    QVERIFY2(atTwo > atOne * 8 / 10, qPrintable(u"grid pixels at scale 1: %1, at scale 2: %2"_s.arg(atOne).arg(atTwo)));
}

void TestScreenshotCommand::notReadyInTenSecondsWritesAnywayAndFails()
{
    // --connect to a port nobody listens on: the series list never answers.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString png = m_dir.filePath(u"late.png"_s);
    const auto run = test::runGapless({u"--connect"_s, u"ws://127.0.0.1:%1"_s.arg(port), u"--screenshot"_s, png,
                                       u"--size"_s, u"800x600"_s},
                                      m_dir.filePath(u"home-late"_s));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errText().contains(u"not ready after 10 s"_s), qPrintable(run.errText()));
    QCOMPARE(QImage(png).size(), QSize(800, 600));
}

void TestScreenshotCommand::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString png = u"never.png"_s;
    QTest::addRow("size without x") << QStringList{u"--screenshot"_s, png, u"--size"_s, u"1280"_s}
                                    << u"--size '1280': expected WIDTHxHEIGHT"_s;
    QTest::addRow("size too small") << QStringList{u"--screenshot"_s, png, u"--size"_s, u"100x100"_s}
                                    << u"each from 320 to 8192"_s;
    QTest::addRow("size negative") << QStringList{u"--screenshot"_s, png, u"--size"_s, u"-5x600"_s}
                                   << u"--size '-5x600'"_s;
    QTest::addRow("unknown panel") << QStringList{u"--screenshot"_s, png, u"--panel"_s, u"charts"_s}
                                   << u"--panel 'charts': unknown panel; expected one of main, health"_s;
    QTest::addRow("panel without screenshot") << QStringList{u"--panel"_s, u"gaps"_s}
                                              << u"--panel: only applies to a screenshot"_s;
    QTest::addRow("connect not ws") << QStringList{u"--connect"_s, u"http://127.0.0.1:8765"_s}
                                    << u"--connect 'http://127.0.0.1:8765': not a core address; expected ws://HOST:PORT"_s;
    QTest::addRow("connect without port") << QStringList{u"--connect"_s, u"ws://127.0.0.1"_s}
                                          << u"expected ws://HOST:PORT"_s;
    QTest::addRow("connect with db") << QStringList{u"--connect"_s, u"ws://127.0.0.1:8765"_s, u"--db"_s, u"x.db"_s}
                                     << u"--connect with --db"_s;
    QTest::addRow("screenshot without file") << QStringList{u"--screenshot"_s} << u"option --screenshot: missing value"_s;
    QTest::addRow("stray argument") << QStringList{u"--screenshot"_s, png, u"--frobnicate"_s}
                                    << u"argument '--frobnicate': unknown"_s;
}

void TestScreenshotCommand::rejectsBadOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const auto run = test::runGapless(args, m_dir.filePath(u"home"_s));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.errText().contains(expected), qPrintable(run.errText()));
    QVERIFY(!QFileInfo::exists(u"never.png"_s));
}

QTEST_GUILESS_MAIN(TestScreenshotCommand)
#include "tst_screenshotcommand.moc"
