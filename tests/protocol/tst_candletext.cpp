// The candle batch written as text (PERF-4): the same bytes as the JSON codec writes.
#include "core/protocol/candletext.h"
#include "core/protocol/serverframes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <bit>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::protocol;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:BTCUSDT:1m"_s);

// Values where the codec's integer and shortest forms meet their edges.
const QList<double> kEdges{0.0,     -0.0,   1,     -1,    0.1,   1e-7,   1e-5,   123456.789, 0.30000000000000004,
                           1e15,    1e16,   1e20,  1e21,  1e22,  -1e21,  5e-324, 1.5e300,    9007199254740991.0,
                           9007199254740992.0,  18014398509481988.0, 44606494900832976.0, 3020.96, 93500.5,
                           std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};

double randomDouble(QRandomGenerator &rng)
{
    switch (rng.bounded(4)) {
    case 0: { // any finite bit pattern
        double d = std::numeric_limits<double>::quiet_NaN();
        while (!std::isfinite(d))
            d = std::bit_cast<double>(rng.generate64());
        return d;
    }
    case 1:
        return double(rng.bounded(100000000)) / 100.0;
    case 2:
        return double(rng.bounded(100000000)) / std::pow(10.0, rng.bounded(20));
    default:
        return double(qint64(rng.generate64() >> rng.bounded(64)));
    }
}

CandleList randomCandles(int n)
{
    QRandomGenerator rng(20261124);
    CandleList candles;
    for (int i = 0; i < n; ++i) {
        const qint64 time = i % 7 == 0 ? qint64(rng.generate64() >> 11) : 1735689600 + 60LL * i;
        candles.append({time, randomDouble(rng), randomDouble(rng), randomDouble(rng), randomDouble(rng),
                        randomDouble(rng)});
    }
    for (qsizetype i = 0; i < kEdges.size(); ++i)
        candles.append({qint64(i), kEdges.at(i), kEdges.at(i), -kEdges.at(i), kEdges.at(i), kEdges.at(i)});
    return candles;
}

} // namespace

class TestCandleText final : public QObject
{
    Q_OBJECT

private slots:
    void numbersAreWrittenAsTheCodecWrites();
    void batchTextIsTheCodecsText();
};

void TestCandleText::numbersAreWrittenAsTheCodecWrites()
{
    QRandomGenerator rng(7);
    QList<double> values = kEdges;
    values << std::numeric_limits<double>::quiet_NaN() << std::numeric_limits<double>::infinity();
    for (int i = 0; i < 200000; ++i)
        values.append(randomDouble(rng));
    for (double value : std::as_const(values)) {
        QByteArray mine = "[";
        candletext::appendNumber(mine, value);
        mine += ']';
        const QByteArray codec = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        if (mine != codec)
            QFAIL(qPrintable(u"%1: wrote %2, the codec %3"_s.arg(value, 0, 'g', 17).arg(QString::fromLatin1(mine), QString::fromLatin1(codec))));
    }
}

void TestCandleText::batchTextIsTheCodecsText()
{
    const CandleList candles = randomCandles(5000);
    QCOMPARE(serverframe::candlesBatchText(kSeries, candles.constData(), candles.size()),
             serverframe::text(serverframe::candlesBatch(kSeries, candles.constData(), candles.size())));
    QCOMPARE(serverframe::candlesBatchText(kSeries, candles.constData() + 3, 1),
             serverframe::text(serverframe::candlesBatch(kSeries, candles.constData() + 3, 1)));
    QCOMPARE(serverframe::candlesBatchText(kSeries, candles.constData(), 0),
             serverframe::text(serverframe::candlesBatch(kSeries, candles.constData(), 0)));
}

QTEST_GUILESS_MAIN(TestCandleText)
#include "tst_candletext.moc"
