// The candle batch written and read as text (PERF-4): the same bytes as the JSON codec writes
// and the same candles as it reads, bit for bit, or the frame is left to the codec.
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

bool sameBits(const CandleList &a, const CandleList &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const Candle &x = a.at(i);
        const Candle &y = b.at(i);
        const double xs[] = {x.open, x.high, x.low, x.close, x.volume};
        const double ys[] = {y.open, y.high, y.low, y.close, y.volume};
        if (x.time != y.time)
            return false;
        for (int k = 0; k < 5; ++k) {
            if (std::bit_cast<quint64>(xs[k]) != std::bit_cast<quint64>(ys[k]))
                return false;
        }
    }
    return true;
}

// What the codec makes of a frame's text.
std::optional<std::pair<QString, CandleList>> codecRead(const QByteArray &text)
{
    const auto frame = decodeServerFrame(text);
    if (!frame || frame->type != MessageType::CandlesBatch)
        return std::nullopt;
    const auto candles = candlesFromJson(frame->json.value("candles"_L1));
    if (!candles)
        return std::nullopt;
    return std::pair{frame->json.value("series_id"_L1).toString(), *candles};
}

} // namespace

class TestCandleText final : public QObject
{
    Q_OBJECT

private slots:
    void numbersAreWrittenAsTheCodecWrites();
    void batchTextIsTheCodecsText();
    void batchIsReadAsTheCodecReads();
    void otherSpellingsAreReadAsTheCodecReads_data();
    void otherSpellingsAreReadAsTheCodecReads();
    void theRestIsLeftToTheCodec_data();
    void theRestIsLeftToTheCodec();
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

void TestCandleText::batchIsReadAsTheCodecReads()
{
    const CandleList candles = randomCandles(5000);
    const QByteArray text = serverframe::candlesBatchText(kSeries, candles.constData(), candles.size());
    const auto batch = candletext::readCandlesBatch(text);
    QVERIFY(batch);
    QCOMPARE(batch->seriesId, kSeries.toString());
    QCOMPARE(batch->candles, candles); // equal values: a -0 comes back 0, as from the codec
    QVERIFY(sameBits(batch->candles, codecRead(text)->second));
}

void TestCandleText::otherSpellingsAreReadAsTheCodecReads_data()
{
    QTest::addColumn<QByteArray>("text");
    const QByteArray candle = R"({"time":60,"open":1,"high":2,"low":0.5,"close":1.5,"volume":3})";
    QTest::addRow("keys in another order") << QByteArray(R"({"v":1,"type":"candles_batch","candles":[)" + candle +
                                                         R"(],"series_id":"binance:spot:BTCUSDT:1m"})");
    QTest::addRow("spaces") << QByteArray(" {\r\n\t\"candles\" : [ " + candle + " , " + candle +
                                          " ] , \"series_id\" : \"x\" , \"type\" : \"candles_batch\" , \"v\" : 1 } \n");
    QTest::addRow("empty list") << QByteArray(R"({"candles":[],"series_id":"x","type":"candles_batch","v":1})");
    QTest::addRow("number spellings")
        << QByteArray(R"({"candles":[{"time":0,"open":-0,"high":1E2,"low":0.5e-3,"close":-0.0,)"
                      R"("volume":9007199254740993}],"series_id":"x","type":"candles_batch","v":1.0})");
    QTest::addRow("big integers")
        << QByteArray(R"({"candles":[{"time":9007199254740993,"open":1e300,"high":123456789012345678,)"
                      R"("low":-9223372036854775808,"close":4.9e-324,"volume":1}],"series_id":"x","type":"candles_batch","v":1})");
}

void TestCandleText::otherSpellingsAreReadAsTheCodecReads()
{
    QFETCH(QByteArray, text);
    const auto batch = candletext::readCandlesBatch(text);
    const auto codec = codecRead(text);
    QVERIFY(codec);
    QVERIFY(batch);
    QCOMPARE(batch->seriesId, codec->first);
    QVERIFY(sameBits(batch->candles, codec->second));
}

void TestCandleText::theRestIsLeftToTheCodec_data()
{
    QTest::addColumn<QByteArray>("text");
    const auto batch = [](const QByteArray &candle, const QByteArray &series = "x") {
        return QByteArray(R"({"candles":[)" + candle + R"(],"series_id":")" + series +
                          R"(","type":"candles_batch","v":1})");
    };
    const QByteArray good = R"({"close":1,"high":1,"low":1,"open":1,"time":60,"volume":1})";
    QTest::addRow("candle_closed") << serverframe::text(serverframe::candleClosed(kSeries, Candle{60, 1, 1, 1, 1, 1}));
    QTest::addRow("hello") << serverframe::text(serverframe::hello({}));
    QTest::addRow("escape in series_id") << batch(good, R"(a\"b)");
    QTest::addRow("non-ASCII series_id") << batch(good, "b\xc3\xa9");
    QTest::addRow("unknown frame key") << QByteArray(R"({"candles":[],"extra":1,"series_id":"x","type":"candles_batch","v":1})");
    QTest::addRow("repeated frame key") << QByteArray(R"({"candles":[],"candles":[],"series_id":"x","type":"candles_batch","v":1})");
    QTest::addRow("no series_id") << QByteArray(R"({"candles":[],"type":"candles_batch","v":1})");
    QTest::addRow("unknown candle key") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":60,"volume":1,"x":1})");
    QTest::addRow("missing volume") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":60})");
    QTest::addRow("repeated time") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":60,"time":60,"volume":1})");
    QTest::addRow("fractional time") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":60.5,"volume":1})");
    QTest::addRow("time as exponent") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":6e1,"volume":1})");
    QTest::addRow("negative time") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":-60,"volume":1})");
    QTest::addRow("time beyond qint64") << batch(R"({"close":1,"high":1,"low":1,"open":1,"time":9223372036854775808,"volume":1})");
    QTest::addRow("overflow") << batch(R"({"close":1e400,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("underflow") << batch(R"({"close":1e-400,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("leading zero") << batch(R"({"close":01,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("plus sign") << batch(R"({"close":+1,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("bare point") << batch(R"({"close":1.,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("string value") << batch(R"({"close":"1","high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("null value") << batch(R"({"close":null,"high":1,"low":1,"open":1,"time":60,"volume":1})");
    QTest::addRow("trailing comma") << batch(good + ",");
    QTest::addRow("trailing text") << QByteArray(batch(good) + "x");
    QTest::addRow("cut short") << batch(good).chopped(2);
    QTest::addRow("v not a number") << QByteArray(R"({"candles":[],"series_id":"x","type":"candles_batch","v":"1"})");
}

void TestCandleText::theRestIsLeftToTheCodec()
{
    QFETCH(QByteArray, text);
    QVERIFY(!candletext::readCandlesBatch(text));
}

QTEST_GUILESS_MAIN(TestCandleText)
#include "tst_candletext.moc"
