// SRC-1, SRC-2, SRC-3, SRC-5: symbols, intervals, weights, and every way a klines row can be
// wrong, each named with its row and what was expected.
#include "core/sources/binance/klinerows.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kOpenMs = 1700000040000; // a multiple of 60 000

QByteArray row(qint64 openMs, const QByteArray &open = "\"1.5\"", qint64 closeOffset = 59999)
{
    return "[" + QByteArray::number(openMs) + "," + open + ",\"2\",\"1\",\"1.75\",\"100.25\","
           + QByteArray::number(openMs + closeOffset) + ",\"150\",12,\"50\",\"75\",\"0\"]";
}

} // namespace

class TestKlineRows : public QObject
{
    Q_OBJECT

private slots:
    void symbols_data();
    void symbols();
    void intervals();
    void weights();
    void parsesRows();
    void rejects_data();
    void rejects();
    void keepsOnlyClosed();
};

void TestKlineRows::symbols_data()
{
    QTest::addColumn<QString>("series");
    QTest::addColumn<QString>("symbol");
    QTest::addRow("spot pair") << u"binance:spot:btc/usdt:1m"_s << u"BTCUSDT"_s;
    QTest::addRow("futures settle") << u"binance:futures:BTC/USDT:USDT:1m"_s << u"BTCUSDT"_s;
    QTest::addRow("plain") << u"binance:spot:ETHBTC:1h"_s << u"ETHBTC"_s;
}

void TestKlineRows::symbols()
{
    QFETCH(QString, series);
    QFETCH(QString, symbol);
    QCOMPARE(binanceSymbol(*SeriesId::parse(series)), symbol);
}

void TestKlineRows::intervals()
{
    QCOMPARE(*binanceInterval(*Timeframe::parse(u"1m")), u"1m"_s);
    QCOMPARE(*binanceInterval(*Timeframe::parse(u"240m")), u"4h"_s);
    QCOMPARE(*binanceInterval(*Timeframe::parse(u"12h")), u"12h"_s);
    QVERIFY(!binanceInterval(*Timeframe::parse(u"10m")));
    QVERIFY(!binanceInterval(*Timeframe::parse(u"7d")));
}

void TestKlineRows::weights()
{
    QCOMPARE(klinesWeight(false, 1000), 2);
    QCOMPARE(klinesWeight(true, 99), 1);
    QCOMPARE(klinesWeight(true, 100), 2);
    QCOMPARE(klinesWeight(true, 499), 2);
    QCOMPARE(klinesWeight(true, 500), 5);
    QCOMPARE(klinesWeight(true, 1000), 5);
    QCOMPARE(klinesWeight(true, 1001), 10);
}

void TestKlineRows::parsesRows()
{
    const QByteArray body = "[" + row(kOpenMs) + "," + row(kOpenMs + 60000) + "]";
    const auto rows = parseKlineRows(body, 60, kOpenMs / 1000, kOpenMs / 1000 + 60);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().message));
    QCOMPARE(rows->size(), 2);
    QCOMPARE(rows->first(), (Candle{kOpenMs / 1000, 1.5, 2, 1, 1.75, 100.25}));
    QCOMPARE(rows->last().time, kOpenMs / 1000 + 60);
    QVERIFY(parseKlineRows("[]", 60, 0, 100)->isEmpty());
}

void TestKlineRows::rejects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const qint64 t = kOpenMs;
    QTest::addRow("not JSON") << QByteArray("[[1,") << u"klines: invalid JSON at offset"_s;
    QTest::addRow("an object") << QByteArray("{\"code\":-1121}") << u"klines: got an object; expected an array"_s;
    QTest::addRow("11 elements") << QByteArray("[[1,2,3,4,5,6,7,8,9,10,11]]")
                                 << u"row 1: got [1,2,3,4,5,6,7,8,9,10,11]; expected an array of 12 elements"_s;
    QTest::addRow("unaligned open") << "[" + row(t + 1000, "\"1.5\"", 59999) + "]"
                                    << u"row 1: got 1700000041000; expected an open time in ms aligned to 60 s"_s;
    QTest::addRow("price a number") << "[" + row(t, "1.5") + "]"
                                    << u"row 1: got 1.5; expected element 1 as a decimal string"_s;
    QTest::addRow("price NaN") << "[" + row(t, "\"NaN\"") + "]"
                               << u"row 1: got \"NaN\"; expected element 1 as a decimal string"_s;
    QTest::addRow("price garbage") << "[" + row(t, "\"1,5\"") + "]"
                                   << u"row 1: got \"1,5\"; expected element 1"_s;
    QTest::addRow("close time") << "[" + row(t, "\"1.5\"", 60000) + "]"
                                << u"row 1: got 1700000100000; expected close time 1700000099999"_s;
    QTest::addRow("not ascending") << "[" + row(t + 60000) + "," + row(t) + "]"
                                   << u"row 2: got 1700000040000; expected an open time after the previous row's"_s;
    QTest::addRow("outside the window") << "[" + row(t) + "," + row(t + 120000) + "]"
                                        << u"row 2: got 1700000160000; expected an open time inside the window"_s;
}

void TestKlineRows::rejects()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const auto rows = parseKlineRows(body, 60, kOpenMs / 1000, kOpenMs / 1000 + 60);
    QVERIFY(!rows);
    QCOMPARE(rows.error().code, ErrorCode::BadRequest);
    QVERIFY2(rows.error().message.startsWith(message), qPrintable(rows.error().message));
}

void TestKlineRows::keepsOnlyClosed()
{
    const CandleList rows{{600, 1, 1, 1, 1, 1}, {660, 1, 1, 1, 1, 1}, {720, 1, 1, 1, 1, 1}};
    // Local clock at 780 would close all three; the exchange clock at 781 keeps 720 open.
    QCOMPARE(closedRows(rows, 60, 780, 781).size(), 2);
    QCOMPARE(closedRows(rows, 60, 780, 782).size(), 3);
    QCOMPARE(closedRows(rows, 60, 779, 900).size(), 2); // and the local clock too
}

QTEST_GUILESS_MAIN(TestKlineRows)
#include "tst_klinerows.moc"
