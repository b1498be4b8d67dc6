// SRC-8, SRC-11, DOM-6: a kline stream message becomes a bar and its closed flag, or a
// serverShutdown notice; every malformed field is refused with `field: got X; expected Y`.
#include "core/sources/binance/klinemessage.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;

namespace {

constexpr qint64 kOpenMs = 1700000040000; // a multiple of 60 000

// A Binance kline event whose `k` fields can be replaced one by one (JSON text of each value).
QByteArray klineEvent(const QMap<QByteArray, QByteArray> &overrides = {}, const QByteArray &type = "\"kline\"")
{
    QMap<QByteArray, QByteArray> k{{"t", QByteArray::number(kOpenMs)},
                                   {"T", QByteArray::number(kOpenMs + 59999)},
                                   {"s", "\"BTCUSDT\""},
                                   {"i", "\"1m\""},
                                   {"o", "\"1.5\""},
                                   {"h", "\"2\""},
                                   {"l", "\"1\""},
                                   {"c", "\"1.75\""},
                                   {"v", "\"100.25\""},
                                   {"x", "true"}};
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        if (it.value().isNull())
            k.remove(it.key());
        else
            k[it.key()] = it.value();
    }
    QByteArray body;
    for (auto it = k.begin(); it != k.end(); ++it)
        body += QByteArray(body.isEmpty() ? "" : ",") + "\"" + it.key() + "\":" + it.value();
    return "{\"e\":" + type + ",\"E\":" + QByteArray::number(kOpenMs + 60500) + ",\"s\":\"BTCUSDT\",\"k\":{" + body
           + "}}";
}

Result<KlineMessage> parse(const QByteArray &text)
{
    return parseKlineMessage(text, u"1m"_s, 60);
}

} // namespace

class TestKlineMessage : public QObject
{
    Q_OBJECT

private slots:
    void parsesClosedBar();
    void parsesFormingBar();
    void parsesServerShutdown();
    void rejects_data();
    void rejects();
};

void TestKlineMessage::parsesClosedBar()
{
    const Result<KlineMessage> m = parse(klineEvent());
    QVERIFY2(m.ok(), m.ok() ? "" : qPrintable(m.error().message));
    QCOMPARE(m->kind, KlineMessage::Kind::Kline);
    QVERIFY(m->closed);
    QCOMPARE(m->candle, (Candle{kOpenMs / 1000, 1.5, 2, 1, 1.75, 100.25}));
    QCOMPARE(m->eventMs, kOpenMs + 60500);
}

void TestKlineMessage::parsesFormingBar()
{
    // SRC-8: x:false is a forming bar; the parser says so and leaves it to the job.
    const Result<KlineMessage> m = parse(klineEvent({{"x", "false"}, {"c", "\"1.6\""}, {"v", "\"0\""}}));
    QVERIFY(m.ok());
    QVERIFY(!m->closed);
    QCOMPARE(m->candle.close, 1.6);
    QCOMPARE(m->candle.volume, 0.0);
}

void TestKlineMessage::parsesServerShutdown()
{
    // SRC-11: the notice that the server is going away.
    const Result<KlineMessage> m = parse("{\"e\":\"serverShutdown\",\"E\":1700000100000}");
    QVERIFY(m.ok());
    QCOMPARE(m->kind, KlineMessage::Kind::ServerShutdown);
    QCOMPARE(m->eventMs, 1700000100000);
}

void TestKlineMessage::rejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    const QByteArray full = klineEvent();
    QTest::addRow("cut in half") << full.left(84)
                                 << u"message: invalid JSON at offset 85 (unterminated string); expected a JSON object"_s;
    QTest::addRow("array") << QByteArray("[1]") << u"message: got an array; expected a JSON object"_s;
    QTest::addRow("other event") << klineEvent({}, "\"trade\"")
                                 << u"e: got \"trade\"; expected \"kline\" or \"serverShutdown\""_s;
    QTest::addRow("no event") << QByteArray("{\"k\":{}}")
                              << u"e: got nothing; expected \"kline\" or \"serverShutdown\""_s;
    QTest::addRow("k not object") << QByteArray("{\"e\":\"kline\",\"k\":[1]}") << u"k: got [1]; expected an object"_s;
    const QString openExpected = u"an open time in ms aligned to 60 s, below 10^14"_s;
    QTest::addRow("t missing") << klineEvent({{"t", {}}}) << u"k.t: got nothing; expected "_s + openExpected;
    QTest::addRow("t string") << klineEvent({{"t", "\"1700000040000\""}})
                              << u"k.t: got \"1700000040000\"; expected "_s + openExpected;
    QTest::addRow("t fraction") << klineEvent({{"t", "1700000040000.5"}})
                                << u"k.t: got 1700000040000.5; expected "_s + openExpected;
    QTest::addRow("t unaligned") << klineEvent({{"t", "1700000041000"}})
                                 << u"k.t: got 1700000041000; expected "_s + openExpected;
    QTest::addRow("t negative") << klineEvent({{"t", "-60000"}}) << u"k.t: got -60000; expected "_s + openExpected;
    QTest::addRow("t too late") << klineEvent({{"t", "100000000000000"}}) << u"k.t: got 100000000000000; expected "_s
                                                                           + openExpected;
    QTest::addRow("T off by one") << klineEvent({{"T", QByteArray::number(kOpenMs + 59998)}})
                                  << u"k.T: got 1700000099998; expected 1700000099999 (t + 60000 - 1)"_s;
    QTest::addRow("T missing") << klineEvent({{"T", {}}})
                               << u"k.T: got nothing; expected 1700000099999 (t + 60000 - 1)"_s;
    QTest::addRow("i other") << klineEvent({{"i", "\"5m\""}}) << u"k.i: got \"5m\"; expected \"1m\""_s;
    QTest::addRow("i number") << klineEvent({{"i", "1"}}) << u"k.i: got 1; expected \"1m\""_s;
    const QString number = u"a decimal string of a finite number"_s;
    QTest::addRow("o number") << klineEvent({{"o", "1.5"}}) << u"k.o: got 1.5; expected "_s + number;
    QTest::addRow("h text") << klineEvent({{"h", "\"two\""}}) << u"k.h: got \"two\"; expected "_s + number;
    QTest::addRow("l missing") << klineEvent({{"l", {}}}) << u"k.l: got nothing; expected "_s + number;
    QTest::addRow("c nan") << klineEvent({{"c", "\"NaN\""}}) << u"k.c: got \"NaN\"; expected "_s + number;
    QTest::addRow("v inf") << klineEvent({{"v", "\"1e999\""}}) << u"k.v: got \"1e999\"; expected "_s + number;
    QTest::addRow("v empty") << klineEvent({{"v", "\"\""}}) << u"k.v: got \"\"; expected "_s + number;
    QTest::addRow("x string") << klineEvent({{"x", "\"true\""}}) << u"k.x: got \"true\"; expected true or false"_s;
    QTest::addRow("x missing") << klineEvent({{"x", {}}}) << u"k.x: got nothing; expected true or false"_s;
}

void TestKlineMessage::rejects()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const Result<KlineMessage> m = parse(text);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().code, ErrorCode::BadRequest);
    QCOMPARE(m.error().message, message);
}

QTEST_GUILESS_MAIN(TestKlineMessage)
#include "tst_klinemessage.moc"
