// SRC-13: which file names a series, in which order the places are searched, and which rows
// of it a window takes.
#include "core/sources/filesource.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;

namespace {

SeriesId sid(const QString &text)
{
    return *SeriesId::parse(text);
}

bool place(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    return test::writeFile(path, bytes);
}

const QByteArray kCsv = "time,open,high,low,close,volume\n60,1,2,0.5,1.5,10\n120,1.5,2,1,1.8,11\n"
                        "180,1.8,2.2,1.7,2,12\n";

} // namespace

class TestFileSource : public QObject
{
    Q_OBJECT

private slots:
    void fileStem_data();
    void fileStem();
    void searchOrder();
    void readsWindow();
    void noFileIsNoRows();
    void unreadableFileNamesIt();
};

void TestFileSource::fileStem_data()
{
    QTest::addColumn<QString>("series");
    QTest::addColumn<QString>("stem");
    QTest::addRow("spot") << u"binance:spot:BTC/USDT:1h"_s << u"BTC_USDT-1h"_s;
    QTest::addRow("futures") << u"binance:futures:BTC/USDT:USDT:5m"_s << u"BTC_USDT_USDT-5m-futures"_s;
    QTest::addRow("punctuation") << u"file:cn:000001.SH:1m"_s << u"000001_SH-1m"_s;
    QTest::addRow("canonical tf") << u"file:x:A@B+C:D:60m"_s << u"A_B_C_D-1h"_s;
}

void TestFileSource::fileStem()
{
    QFETCH(QString, series);
    QFETCH(QString, stem);
    QCOMPARE(FileSource::fileStem(sid(series)), stem);
}

void TestFileSource::searchOrder()
{
    QTemporaryDir a, b;
    const SeriesId spot = sid(u"binance:spot:BTC/USDT:1m"_s);
    FileSource source({a.path(), b.path()});
    QVERIFY(!source.locate(spot));
    QVERIFY(place(b.path() + u"/binance/BTC_USDT-1m.csv"_s, kCsv));
    QCOMPARE(*source.locate(spot), b.path() + u"/binance/BTC_USDT-1m.csv"_s);
    QVERIFY(place(a.path() + u"/BTC_USDT-1m.json"_s, "[]"));
    QCOMPARE(*source.locate(spot), a.path() + u"/BTC_USDT-1m.json"_s); // first directory first
    QVERIFY(place(a.path() + u"/binance/BTC_USDT-1m.csv.gz"_s, "x"));
    QCOMPARE(*source.locate(spot), a.path() + u"/binance/BTC_USDT-1m.csv.gz"_s); // exchange folder first
    QVERIFY(place(a.path() + u"/binance/BTC_USDT-1m.csv"_s, kCsv));
    QCOMPARE(*source.locate(spot), a.path() + u"/binance/BTC_USDT-1m.csv"_s); // csv before csv.gz
    const SeriesId futures = sid(u"binance:futures:BTC/USDT:USDT:1m"_s);
    QVERIFY(!source.locate(futures));
    QVERIFY(place(b.path() + u"/futures/BTC_USDT_USDT-1m-futures.csv"_s, kCsv));
    QCOMPARE(*source.locate(futures), b.path() + u"/futures/BTC_USDT_USDT-1m-futures.csv"_s);
}

void TestFileSource::readsWindow()
{
    QTemporaryDir dir;
    QVERIFY(place(dir.path() + u"/file/000001_SH-1m.csv"_s, test::readFile(test::dataFile(u"sse_000001_1m.csv"_s))));
    FileSource source({dir.path()});
    const CandleList all = test::readPlainCsv(test::dataFile(u"sse_000001_1m.csv"_s));
    const qint64 from = all.at(100).time;
    const qint64 to = all.at(199).time;
    const auto rows = source.read(sid(u"file:cn:000001.SH:1m"_s), from, to);
    QVERIFY(rows);
    QCOMPARE(*rows, all.mid(100, 100));
}

void TestFileSource::noFileIsNoRows()
{
    QTemporaryDir dir;
    const auto rows = FileSource({dir.path()}).read(sid(u"file:cn:X:1m"_s), 0, 1000);
    QVERIFY(rows);
    QVERIFY(rows->isEmpty());
}

void TestFileSource::unreadableFileNamesIt()
{
    QTemporaryDir dir;
    const QString path = dir.path() + u"/X-1m.csv.gz"_s;
    QVERIFY(place(path, "not gzip at all"));
    const auto rows = FileSource({dir.path()}).read(sid(u"file:cn:X:1m"_s), 0, 1000);
    QVERIFY(!rows);
    QVERIFY2(rows.error().message.contains(path), qPrintable(rows.error().message));
}

QTEST_GUILESS_MAIN(TestFileSource)
#include "tst_filesource.moc"
