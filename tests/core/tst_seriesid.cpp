#include "core/domain/seriesid.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::SeriesId;

class TestSeriesId final : public QObject
{
    Q_OBJECT

private slots:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
};

void TestSeriesId::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("symbol");
    // DOM-1, DOM-2, DOM-3
    QTest::addRow("binance spot") << u"binance:spot:BTC/USDT:1m"_s << u"binance:spot:BTC/USDT:1m"_s << u"BTC/USDT"_s;
    QTest::addRow("symbol with colon") << u"binance:futures:BTC/USDT:USDT:1h"_s
                                       << u"binance:futures:BTC/USDT:USDT:1h"_s << u"BTC/USDT:USDT"_s;
    QTest::addRow("trimmed, tf canonical") << u"  file:cn:000001.SH:60m \n"_s << u"file:cn:000001.SH:1h"_s
                                           << u"000001.SH"_s;
    QTest::addRow("punctuation") << u"x:y:a+b=c^d@e_f-g.h:1d"_s << u"x:y:a+b=c^d@e_f-g.h:1d"_s << u"a+b=c^d@e_f-g.h"_s;
}

void TestSeriesId::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(QString, symbol);
    const auto id = SeriesId::parse(text);
    QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().message));
    QCOMPARE(id->toString(), canonical);
    QCOMPARE(id->symbol(), symbol);
}

void TestSeriesId::rejectsInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::addRow("three parts") << u"binance:spot:1m"_s << u"series id 'binance:spot:1m': 3 components"_s;
    QTest::addRow("empty market") << u"binance::BTC:1m"_s << u"empty market"_s;
    QTest::addRow("inner whitespace") << u"binance:spot:BTC USDT:1m"_s << u"symbol 'BTC USDT' contains whitespace"_s;
    QTest::addRow("upper exchange") << u"Binance:spot:BTC:1m"_s << u"exchange 'Binance' is not valid"_s;
    QTest::addRow("bad symbol char") << u"binance:spot:BTC;DROP:1m"_s << u"symbol 'BTC;DROP' is not valid"_s;
    QTest::addRow("bad timeframe") << u"binance:spot:BTC:1w"_s << u"timeframe '1w' is not valid"_s;
    QTest::addRow("too long") << (QString(32, u'e') + u':' + QString(32, u'm') + u':' + QString(64, u'S') + u":1m"_s)
                              << u"characters; expected at most 128"_s;
}

void TestSeriesId::rejectsInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto id = SeriesId::parse(text);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().code, gapless::ErrorCode::BadRequest);
    QVERIFY2(id.error().message.contains(expected), qPrintable(id.error().message));
}

QTEST_GUILESS_MAIN(TestSeriesId)
#include "tst_seriesid.moc"
