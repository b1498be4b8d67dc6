// The client frame codec: PROTO-1 envelope, the PROTO-4 client table and every PROTO-7
// validation row, with DOM-1/DOM-3/DOM-4 series ids and DOM-13 messages.
#include "core/protocol/clientframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::protocol;

namespace {

constexpr qint64 kMaxFrameBytes = 65536;
const QString kSeries = u"binance:spot:BTCUSDT:1m"_s;

const QString kExpectedSeriesId = u"a series id exchange:market:symbol:timeframe"_s;
const QString kExpectedTopic = u"health, progress, ingest_errors, jobs or debug"_s;
const QString kExpectedRequestId = u"1-64 characters of A-Z a-z 0-9 . _ : -"_s;
const QString kExpectedKey = u"1-255 characters of A-Z a-z 0-9 . _ : -"_s;
const QString kExpectedType = u"subscribe, unsubscribe, watch, unwatch or command"_s;
const QString kBadTimeframe = u"is not valid; expected n followed by m, h or d, from 1m to 7d (1m, 5m, 1h, 1d)"_s;

DecodedFrame decode(const QByteArray &utf8)
{
    return decodeClientFrame(utf8, kMaxFrameBytes);
}

QByteArray subscribeWith(const QByteArray &fields)
{
    return R"({"type":"subscribe","series_id":"binance:spot:BTCUSDT:1m",)" + fields + '}';
}

QByteArray commandWith(const QByteArray &fields)
{
    return R"({"type":"command","name":"series_list",)" + fields + '}';
}

QByteArray seriesFrame(const QByteArray &seriesId)
{
    return R"({"type":"subscribe","series_id":")" + seriesId + R"("})";
}

QString seriesMessage(const QString &id, const QString &problem)
{
    return u"series_id: series id '%1': %2"_s.arg(id, problem);
}

QString message(const DecodedFrame &decoded)
{
    return decoded.rejection ? decoded.rejection->error.message : QString();
}

ClientFrame subscribeFrame(std::optional<qint64> since, bool supportsBatch)
{
    ClientFrame frame;
    frame.type = MessageType::Subscribe;
    frame.series = *SeriesId::parse(kSeries);
    frame.hasSeries = true;
    frame.since = since;
    frame.supportsBatch = supportsBatch;
    return frame;
}

ClientFrame watchFrame(MessageType type, WatchTopic topic, const QString &series = {})
{
    ClientFrame frame;
    frame.type = type;
    frame.topic = topic;
    if (!series.isEmpty()) {
        frame.series = *SeriesId::parse(series);
        frame.hasSeries = true;
    }
    return frame;
}

ClientFrame commandFrame(const QJsonValue &args, std::optional<QString> key)
{
    ClientFrame frame;
    frame.type = MessageType::Command;
    frame.requestId = u"req-1.a:b_C"_s;
    frame.name = u"candles"_s;
    frame.args = args;
    frame.idempotencyKey = std::move(key);
    return frame;
}

} // namespace

class TestClientFrame final : public QObject
{
    Q_OBJECT

private slots:
    void rejectsFrame_data();
    void rejectsFrame();
    void rejectsServerOnlyTypes_data();
    void rejectsServerOnlyTypes();
    void rejectsInvalidJson_data();
    void rejectsInvalidJson();
    void rejectsBinaryFrame();
    void rejectsTooLargeUnparsed_data();
    void rejectsTooLargeUnparsed();
    void firstFailingRowWins_data();
    void firstFailingRowWins();
    void echoesIds_data();
    void echoesIds();
    void decodesSubscribe_data();
    void decodesSubscribe();
    void decodesUnsubscribe();
    void decodesWatch_data();
    void decodesWatch();
    void decodesCommand_data();
    void decodesCommand();
    void encodesFrame_data();
    void encodesFrame();
    void roundTrips_data();
    void roundTrips();
    void validatesTokens_data();
    void validatesTokens();
    void namesMessageTypes();
    void namesWatchTopics();
    void refusesUnknownNames_data();
    void refusesUnknownNames();
};

void TestClientFrame::rejectsFrame_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expected");

    // PROTO-7 row 1: not an object.
    QTest::addRow("array") << QByteArray("[1,2]") << u"frame: got [1,2]; expected a JSON object"_s;
    QTest::addRow("empty array") << QByteArray("[]") << u"frame: got []; expected a JSON object"_s;
    QTest::addRow("string") << QByteArray(R"("subscribe")") << u"frame: got \"subscribe\"; expected a JSON object"_s;
    QTest::addRow("number") << QByteArray("42") << u"frame: got 42; expected a JSON object"_s;
    QTest::addRow("null") << QByteArray(" null ") << u"frame: got null; expected a JSON object"_s;
    QTest::addRow("true") << QByteArray("true") << u"frame: got true; expected a JSON object"_s;

    // PROTO-7 row 2: type, v, unknown type.
    QTest::addRow("type missing") << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m"})")
                                  << u"type: got nothing; expected a non-empty string"_s;
    QTest::addRow("type empty") << QByteArray(R"({"type":""})") << u"type: got \"\"; expected a non-empty string"_s;
    QTest::addRow("type number") << QByteArray(R"({"type":1})") << u"type: got 1; expected a non-empty string"_s;
    QTest::addRow("type null") << QByteArray(R"({"type":null})") << u"type: got null; expected a non-empty string"_s;
    QTest::addRow("type array") << QByteArray(R"({"type":["subscribe"]})")
                                << u"type: got [\"subscribe\"]; expected a non-empty string"_s;
    QTest::addRow("v 0") << subscribeWith(R"("v":0)") << u"v: got 0; expected an integer in 1..1"_s;
    QTest::addRow("v 2") << subscribeWith(R"("v":2)") << u"v: got 2; expected an integer in 1..1"_s;
    QTest::addRow("v string") << subscribeWith(R"("v":"1")") << u"v: got \"1\"; expected an integer in 1..1"_s;
    QTest::addRow("v 1.5") << subscribeWith(R"("v":1.5)") << u"v: got 1.5; expected an integer in 1..1"_s;
    QTest::addRow("v true") << subscribeWith(R"("v":true)") << u"v: got true; expected an integer in 1..1"_s;
    QTest::addRow("v -1") << subscribeWith(R"("v":-1)") << u"v: got -1; expected an integer in 1..1"_s;
    QTest::addRow("unknown type") << QByteArray(R"({"type":"subscribe_all"})")
                                  << u"type 'subscribe_all': unknown; expected "_s + kExpectedType;
    QTest::addRow("type in upper case") << QByteArray(R"({"type":"Subscribe"})")
                                        << u"type 'Subscribe': unknown; expected "_s + kExpectedType;
    QTest::addRow("long unknown type shortened") << QByteArray(R"({"type":")" + QByteArray(200, 'x') + R"("})")
                                                 << u"type '%1…': unknown; expected "_s.arg(QString(80, u'x'))
                                                        + kExpectedType;
    QTest::addRow("cut before a surrogate pair")
        << QByteArray(R"({"type":")" + QByteArray(79, 'x') + "\xf0\x9f\x98\x80" + QByteArray(10, 'y') + R"("})")
        << u"type '%1…': unknown; expected "_s.arg(QString(79, u'x')) + kExpectedType;
    QTest::addRow("type with newline stays one line") << QByteArray(R"({"type":"a\nb"})")
                                                      << u"type 'a\\nb': unknown; expected "_s + kExpectedType;

    // PROTO-7 row 3: series_id (DOM-1, DOM-3, DOM-4).
    QTest::addRow("series_id missing") << QByteArray(R"({"type":"subscribe"})")
                                       << u"series_id: got nothing; expected "_s + kExpectedSeriesId;
    QTest::addRow("series_id number") << QByteArray(R"({"type":"subscribe","series_id":5})")
                                      << u"series_id: got 5; expected "_s + kExpectedSeriesId;
    QTest::addRow("series_id null") << QByteArray(R"({"type":"subscribe","series_id":null})")
                                    << u"series_id: got null; expected "_s + kExpectedSeriesId;
    QTest::addRow("unsubscribe series_id missing") << QByteArray(R"({"type":"unsubscribe"})")
                                                   << u"series_id: got nothing; expected "_s + kExpectedSeriesId;
    QTest::addRow("unsubscribe series_id array") << QByteArray(R"({"type":"unsubscribe","series_id":["a"]})")
                                                 << u"series_id: got [\"a\"]; expected "_s + kExpectedSeriesId;
    QTest::addRow("too few parts")
        << seriesFrame("binance:spot:1m")
        << seriesMessage(u"binance:spot:1m"_s,
                         u"3 components; expected exchange:market:symbol:timeframe, e.g. binance:spot:BTC/USDT:1m"_s);
    QTest::addRow("empty series_id")
        << seriesFrame("")
        << seriesMessage(QString(),
                         u"1 components; expected exchange:market:symbol:timeframe, e.g. binance:spot:BTC/USDT:1m"_s);
    QTest::addRow("empty market") << seriesFrame("binance::BTCUSDT:1m")
                                  << seriesMessage(u"binance::BTCUSDT:1m"_s,
                                                   u"empty market; expected a non-empty market"_s);
    QTest::addRow("empty timeframe") << seriesFrame("binance:spot:BTCUSDT:")
                                     << seriesMessage(u"binance:spot:BTCUSDT:"_s,
                                                      u"empty timeframe; expected a non-empty timeframe"_s);
    QTest::addRow("inner whitespace")
        << seriesFrame("binance:spot:BTC USDT:1m")
        << seriesMessage(u"binance:spot:BTC USDT:1m"_s,
                         u"symbol 'BTC USDT' contains whitespace; expected no whitespace inside the id"_s);
    QTest::addRow("timeframe 1s") << seriesFrame("binance:spot:BTCUSDT:1s")
                                  << seriesMessage(u"binance:spot:BTCUSDT:1s"_s, u"timeframe '1s' "_s + kBadTimeframe);
    QTest::addRow("timeframe 1w") << seriesFrame("binance:spot:BTCUSDT:1w")
                                  << seriesMessage(u"binance:spot:BTCUSDT:1w"_s, u"timeframe '1w' "_s + kBadTimeframe);
    QTest::addRow("timeframe 0m") << seriesFrame("binance:spot:BTCUSDT:0m")
                                  << seriesMessage(u"binance:spot:BTCUSDT:0m"_s, u"timeframe '0m' "_s + kBadTimeframe);
    QTest::addRow("timeframe 8d") << seriesFrame("binance:spot:BTCUSDT:8d")
                                  << seriesMessage(u"binance:spot:BTCUSDT:8d"_s, u"timeframe '8d' "_s + kBadTimeframe);
    QTest::addRow("binance margin")
        << seriesFrame("binance:margin:BTCUSDT:1m")
        << u"series_id 'binance:margin:BTCUSDT:1m': binance market 'margin' has no source; expected spot or futures"_s;
    QTest::addRow("watch filter malformed") << QByteArray(R"({"type":"watch","topic":"health","series_id":"x"})")
                                            << seriesMessage(u"x"_s,
                                                             u"1 components; expected exchange:market:symbol:"
                                                             u"timeframe, e.g. binance:spot:BTC/USDT:1m"_s);
    QTest::addRow("watch filter number") << QByteArray(R"({"type":"unwatch","topic":"jobs","series_id":1})")
                                         << u"series_id: got 1; expected "_s + kExpectedSeriesId;

    // PROTO-7 row 4: since.
    const QString sinceExpected = u"; expected null or an integer in 0..2^53"_s;
    QTest::addRow("since true") << subscribeWith(R"("since":true)") << u"since: got true"_s + sinceExpected;
    QTest::addRow("since string") << subscribeWith(R"("since":"1")") << u"since: got \"1\""_s + sinceExpected;
    QTest::addRow("since 1.5") << subscribeWith(R"("since":1.5)") << u"since: got 1.5"_s + sinceExpected;
    QTest::addRow("since -1") << subscribeWith(R"("since":-1)") << u"since: got -1"_s + sinceExpected;
    QTest::addRow("since 2^53+2") << subscribeWith(R"("since":9007199254740994)")
                                  << u"since: got 9007199254740994"_s + sinceExpected;
    QTest::addRow("since 2^53+1") << subscribeWith(R"("since":9007199254740993)")
                                  << u"since: got 9007199254740993"_s + sinceExpected;
    QTest::addRow("since 1e300") << subscribeWith(R"("since":1e300)") << u"since: got 1e+300"_s + sinceExpected;
    QTest::addRow("since object") << subscribeWith(R"("since":{})") << u"since: got {}"_s + sinceExpected;

    // PROTO-7 row 5: supports_batch, topic, request_id; IDEM-2 idempotency_key.
    const QString batchExpected = u"; expected true, false or null"_s;
    QTest::addRow("supports_batch string") << subscribeWith(R"("supports_batch":"yes")")
                                           << u"supports_batch: got \"yes\""_s + batchExpected;
    QTest::addRow("supports_batch 1") << subscribeWith(R"("supports_batch":1)")
                                      << u"supports_batch: got 1"_s + batchExpected;
    QTest::addRow("supports_batch array") << subscribeWith(R"("supports_batch":[true])")
                                          << u"supports_batch: got [true]"_s + batchExpected;
    QTest::addRow("unknown topic") << QByteArray(R"({"type":"watch","topic":"news"})")
                                   << u"topic: got \"news\"; expected "_s + kExpectedTopic;
    QTest::addRow("topic missing") << QByteArray(R"({"type":"watch"})")
                                   << u"topic: got nothing; expected "_s + kExpectedTopic;
    QTest::addRow("topic in upper case") << QByteArray(R"({"type":"unwatch","topic":"Health"})")
                                         << u"topic: got \"Health\"; expected "_s + kExpectedTopic;
    QTest::addRow("topic number") << QByteArray(R"({"type":"watch","topic":0})")
                                  << u"topic: got 0; expected "_s + kExpectedTopic;
    QTest::addRow("topic singular") << QByteArray(R"({"type":"watch","topic":"job"})")
                                    << u"topic: got \"job\"; expected "_s + kExpectedTopic;
    QTest::addRow("request_id missing") << commandWith(R"("args":{})")
                                        << u"request_id: got nothing; expected "_s + kExpectedRequestId;
    QTest::addRow("request_id empty") << commandWith(R"("request_id":"")")
                                      << u"request_id: got \"\"; expected "_s + kExpectedRequestId;
    const QByteArray id65(65, 'r');
    QTest::addRow("request_id 65 chars") << commandWith(R"("request_id":")" + id65 + '"')
                                         << u"request_id: got \"%1\"; expected "_s.arg(QString::fromLatin1(id65))
                                                + kExpectedRequestId;
    QTest::addRow("request_id space") << commandWith(R"("request_id":"a b")")
                                      << u"request_id: got \"a b\"; expected "_s + kExpectedRequestId;
    QTest::addRow("request_id slash") << commandWith(R"("request_id":"a/b")")
                                      << u"request_id: got \"a/b\"; expected "_s + kExpectedRequestId;
    QTest::addRow("request_id number") << commandWith(R"("request_id":7)")
                                       << u"request_id: got 7; expected "_s + kExpectedRequestId;
    QTest::addRow("request_id null") << commandWith(R"("request_id":null)")
                                     << u"request_id: got null; expected "_s + kExpectedRequestId;
    const QByteArray key256(256, 'k');
    QTest::addRow("idempotency_key 256 chars")
        << commandWith(R"("request_id":"r1","idempotency_key":")" + key256 + '"')
        << u"idempotency_key: got \"%1…; expected "_s.arg(QString(79, u'k')) + kExpectedKey;
    QTest::addRow("idempotency_key bad char") << commandWith(R"("request_id":"r1","idempotency_key":"k#1")")
                                              << u"idempotency_key: got \"k#1\"; expected "_s + kExpectedKey;
    QTest::addRow("idempotency_key empty") << commandWith(R"("request_id":"r1","idempotency_key":"")")
                                           << u"idempotency_key: got \"\"; expected "_s + kExpectedKey;
    QTest::addRow("idempotency_key number") << commandWith(R"("request_id":"r1","idempotency_key":5)")
                                            << u"idempotency_key: got 5; expected "_s + kExpectedKey;
}

void TestClientFrame::rejectsFrame()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expected);
    const DecodedFrame decoded = decode(frame);
    QVERIFY(!decoded.frame);
    QVERIFY(decoded.rejection);
    QCOMPARE(decoded.rejection->error.code, ErrorCode::BadRequest);
    QCOMPARE(decoded.rejection->error.message, expected);
}

void TestClientFrame::rejectsServerOnlyTypes_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expected");
    // PROTO-7: a server → client type sent by a client is as unknown as a made-up one.
    for (int i = static_cast<int>(MessageType::Hello); i <= static_cast<int>(MessageType::Error); ++i) {
        const QString name = messageTypeName(static_cast<MessageType>(i));
        QTest::addRow("%s", qPrintable(name))
            << QByteArray(R"({"type":")" + name.toUtf8()
                          + R"(","series_id":"binance:spot:BTCUSDT:1m","request_id":"r1"})")
            << u"type '%1': unknown; expected "_s.arg(name) + kExpectedType;
    }
}

void TestClientFrame::rejectsServerOnlyTypes()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expected);
    const DecodedFrame decoded = decode(frame);
    QVERIFY(decoded.rejection);
    QCOMPARE(decoded.rejection->error.code, ErrorCode::BadRequest);
    QCOMPARE(decoded.rejection->error.message, expected);
}

void TestClientFrame::rejectsInvalidJson_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("offset");
    // PROTO-7: `frame: invalid JSON at offset N; …`; the parser's reason sits before the `;`.
    QTest::addRow("empty frame") << QByteArray() << 0;
    QTest::addRow("blank frame") << QByteArray("   ") << 3;
    QTest::addRow("missing value") << QByteArray(R"({"type":})") << 9;
    QTest::addRow("truncated") << QByteArray(R"({"type":"subscribe")") << 19;
    QTest::addRow("trailing comma") << QByteArray(R"({"type":"subscribe",})") << 21;
    QTest::addRow("garbage after object") << QByteArray(R"({"type":"subscribe"} x)") << 21;
    QTest::addRow("unquoted key") << QByteArray("{type:1}") << 2;
    QTest::addRow("number overflow") << QByteArray(R"({"since":1e999})") << 14;
    QTest::addRow("unterminated string") << QByteArray(R"("abc)") << 1;
    QTest::addRow("two values") << QByteArray("1,2") << 1;
}

void TestClientFrame::rejectsInvalidJson()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, offset);
    const DecodedFrame decoded = decode(frame);
    QVERIFY(!decoded.frame);
    QVERIFY(decoded.rejection);
    QCOMPARE(decoded.rejection->error.code, ErrorCode::BadRequest);
    const QString text = decoded.rejection->error.message;
    QVERIFY2(text.startsWith(u"frame: invalid JSON at offset %1 ("_s.arg(offset)), qPrintable(text));
    QVERIFY2(text.endsWith(u"); expected one JSON object"_s), qPrintable(text));
    QVERIFY(decoded.rejection->seriesId.isEmpty());
    QVERIFY(decoded.rejection->requestId.isEmpty());
}

void TestClientFrame::rejectsBinaryFrame()
{
    // PROTO-7 row 1.
    const FrameRejection rejection = binaryFrameRejection();
    QCOMPARE(rejection.error.code, ErrorCode::BadRequest);
    QCOMPARE(rejection.error.message, u"frame: got a binary frame; expected a JSON text frame"_s);
    QVERIFY(rejection.seriesId.isEmpty());
    QVERIFY(rejection.requestId.isEmpty());
}

void TestClientFrame::rejectsTooLargeUnparsed_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qint64>("maxFrameBytes");
    QTest::addColumn<QString>("expected");
    const QByteArray valid = subscribeWith(R"("request_id":"r1")");
    QTest::addRow("one byte over") << valid << qint64(valid.size() - 1)
                                   << u"frame: %1 bytes; expected at most %2"_s.arg(valid.size()).arg(valid.size() - 1);
    QTest::addRow("far over") << QByteArray(70000, ' ') << kMaxFrameBytes
                              << u"frame: 70000 bytes; expected at most 65536"_s;
    // Not parsed: an oversized frame is too_large even when its text is not JSON.
    QTest::addRow("invalid JSON over the limit") << QByteArray("{{{{{{") << qint64(5)
                                                 << u"frame: 6 bytes; expected at most 5"_s;
}

void TestClientFrame::rejectsTooLargeUnparsed()
{
    QFETCH(QByteArray, frame);
    QFETCH(qint64, maxFrameBytes);
    QFETCH(QString, expected);
    const DecodedFrame decoded = decodeClientFrame(frame, maxFrameBytes);
    QVERIFY(!decoded.frame);
    QVERIFY(decoded.rejection);
    QCOMPARE(decoded.rejection->error.code, ErrorCode::TooLarge);
    QCOMPARE(decoded.rejection->error.message, expected);
    QVERIFY(decoded.rejection->seriesId.isEmpty());
    QVERIFY(decoded.rejection->requestId.isEmpty());

    // The limit is inclusive: the same bytes pass the size check at exactly maxFrameBytes.
    const DecodedFrame atLimit = decodeClientFrame(frame, frame.size());
    QVERIFY(!atLimit.rejection || atLimit.rejection->error.code != ErrorCode::TooLarge);
}

void TestClientFrame::firstFailingRowWins_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("expected");
    // PROTO-7: the first failing row of the table is the one reported.
    QTest::addRow("type before v") << QByteArray(R"({"type":5,"v":9})")
                                   << u"type: got 5; expected a non-empty string"_s;
    QTest::addRow("v before unknown type") << QByteArray(R"({"type":"nope","v":9})")
                                           << u"v: got 9; expected an integer in 1..1"_s;
    QTest::addRow("unknown type before series_id") << QByteArray(R"({"type":"nope","series_id":"x"})")
                                                   << u"type 'nope': unknown; expected "_s + kExpectedType;
    QTest::addRow("series_id before since") << QByteArray(R"({"type":"subscribe","since":true})")
                                            << u"series_id: got nothing; expected "_s + kExpectedSeriesId;
    QTest::addRow("since before supports_batch") << subscribeWith(R"("since":-1,"supports_batch":"yes")")
                                                 << u"since: got -1; expected null or an integer in 0..2^53"_s;
    QTest::addRow("series_id before topic")
        << QByteArray(R"({"type":"watch","topic":"news","series_id":"binance:margin:BTCUSDT:1m"})")
        << u"series_id 'binance:margin:BTCUSDT:1m': binance market 'margin' has no source; expected spot or futures"_s;
    QTest::addRow("request_id before idempotency_key") << commandWith(R"("request_id":"","idempotency_key":"")")
                                                       << u"request_id: got \"\"; expected "_s + kExpectedRequestId;
}

void TestClientFrame::firstFailingRowWins()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, expected);
    QCOMPARE(message(decode(frame)), expected);
}

void TestClientFrame::echoesIds_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("seriesId");
    QTest::addColumn<QString>("requestId");
    // The rejection carries the ids the client can match its frame by (PROTO-7, error frame).
    QTest::addRow("subscribe, bad since") << subscribeWith(R"("since":true)") << kSeries << QString();
    QTest::addRow("subscribe, bad supports_batch")
        << QByteArray(R"({"type":"subscribe","series_id":"binance:spot:BTCUSDT:60m","supports_batch":1})")
        << u"binance:spot:BTCUSDT:60m"_s << QString();
    QTest::addRow("subscribe, malformed series_id") << seriesFrame("binance:spot:1m") << u"binance:spot:1m"_s
                                                    << QString();
    QTest::addRow("subscribe, binance margin") << seriesFrame("binance:margin:BTCUSDT:1m")
                                               << u"binance:margin:BTCUSDT:1m"_s << QString();
    QTest::addRow("subscribe, bad v") << subscribeWith(R"("v":2)") << kSeries << QString();
    QTest::addRow("series_id not a string") << QByteArray(R"({"type":"subscribe","series_id":42})") << QString()
                                            << QString();
    QTest::addRow("series_id over 128 chars")
        << seriesFrame("binance:spot:" + QByteArray(120, 'S') + ":1m") << QString() << QString();
    QTest::addRow("command, bad idempotency_key") << commandWith(R"("request_id":"req-7","idempotency_key":"a b")")
                                                  << QString() << u"req-7"_s;
    QTest::addRow("command, bad v") << commandWith(R"("request_id":"req-7","v":0)") << QString() << u"req-7"_s;
    QTest::addRow("command, bad request_id") << commandWith(R"("request_id":"a b")") << QString() << QString();
    QTest::addRow("command, request_id 65 chars")
        << commandWith(R"("request_id":")" + QByteArray(65, 'r') + '"') << QString() << QString();
    QTest::addRow("unknown type with both ids")
        << QByteArray(R"({"type":"hello","series_id":"binance:spot:BTCUSDT:1m","request_id":"r9"})") << kSeries
        << u"r9"_s;
    QTest::addRow("invalid JSON") << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m","request_id":"r9")")
                                  << QString() << QString();
}

void TestClientFrame::echoesIds()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, seriesId);
    QFETCH(QString, requestId);
    const DecodedFrame decoded = decode(frame);
    QVERIFY(decoded.rejection);
    QCOMPARE(decoded.rejection->seriesId, seriesId);
    QCOMPARE(decoded.rejection->requestId, requestId);
}

void TestClientFrame::decodesSubscribe_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("series");
    QTest::addColumn<bool>("hasSince");
    QTest::addColumn<qint64>("since");
    QTest::addColumn<bool>("supportsBatch");

    QTest::addRow("minimal") << seriesFrame("binance:spot:BTCUSDT:1m") << kSeries << false << qint64(0) << false;
    // PROTO-1: v may be omitted or null (= current).
    QTest::addRow("v 1") << subscribeWith(R"("v":1)") << kSeries << false << qint64(0) << false;
    QTest::addRow("v 1.0") << subscribeWith(R"("v":1.0)") << kSeries << false << qint64(0) << false;
    QTest::addRow("v null") << subscribeWith(R"("v":null)") << kSeries << false << qint64(0) << false;
    // PROTO-4: since absent or null = tail; an integral number in 0..2^53 otherwise.
    QTest::addRow("since null") << subscribeWith(R"("since":null)") << kSeries << false << qint64(0) << false;
    QTest::addRow("since 0") << subscribeWith(R"("since":0)") << kSeries << true << qint64(0) << false;
    QTest::addRow("since 100") << subscribeWith(R"("since":100)") << kSeries << true << qint64(100) << false;
    QTest::addRow("since 100.0") << subscribeWith(R"("since":100.0)") << kSeries << true << qint64(100) << false;
    QTest::addRow("since 1e3") << subscribeWith(R"("since":1e3)") << kSeries << true << qint64(1000) << false;
    QTest::addRow("since 2^53") << subscribeWith(R"("since":9007199254740992)") << kSeries << true
                                << qint64(9007199254740992) << false;
    QTest::addRow("since a real time") << subscribeWith(R"("since":1735689600)") << kSeries << true
                                       << qint64(1735689600) << false;
    QTest::addRow("supports_batch true") << subscribeWith(R"("supports_batch":true)") << kSeries << false << qint64(0)
                                         << true;
    QTest::addRow("supports_batch false") << subscribeWith(R"("supports_batch":false)") << kSeries << false
                                          << qint64(0) << false;
    QTest::addRow("supports_batch null") << subscribeWith(R"("supports_batch":null)") << kSeries << false << qint64(0)
                                         << false;
    QTest::addRow("all fields") << subscribeWith(R"("v":1,"since":60,"supports_batch":true)") << kSeries << true
                                << qint64(60) << true;
    // DOM-2: ids are held canonical.
    QTest::addRow("60m is 1h") << seriesFrame("binance:spot:BTCUSDT:60m") << u"binance:spot:BTCUSDT:1h"_s << false
                               << qint64(0) << false;
    QTest::addRow("1440m is 1d") << seriesFrame("binance:futures:ETHUSDT:1440m") << u"binance:futures:ETHUSDT:1d"_s
                                 << false << qint64(0) << false;
    QTest::addRow("trimmed") << seriesFrame("  binance:spot:BTCUSDT:1m ") << kSeries << false << qint64(0) << false;
    // DOM-3: any exchange/market is a valid local series; only binance is restricted.
    QTest::addRow("file series") << seriesFrame("file:cn:000001.SH:1m") << u"file:cn:000001.SH:1m"_s << false
                                 << qint64(0) << false;
    QTest::addRow("binance futures") << seriesFrame("binance:futures:BTC/USDT:USDT:4h")
                                     << u"binance:futures:BTC/USDT:USDT:4h"_s << false << qint64(0) << false;
    // PROTO-1: unknown fields are ignored.
    QTest::addRow("unknown fields") << subscribeWith(R"("since":5,"extra":{"a":[1]},"topic":"nope","request_id":"")")
                                    << kSeries << true << qint64(5) << false;
}

void TestClientFrame::decodesSubscribe()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, series);
    QFETCH(bool, hasSince);
    QFETCH(qint64, since);
    QFETCH(bool, supportsBatch);
    const DecodedFrame decoded = decode(frame);
    QVERIFY2(decoded.frame, qPrintable(message(decoded)));
    QVERIFY(!decoded.rejection);
    QCOMPARE(decoded.frame->type, MessageType::Subscribe);
    QVERIFY(decoded.frame->hasSeries);
    QCOMPARE(decoded.frame->series.toString(), series);
    QCOMPARE(decoded.frame->since.has_value(), hasSince);
    if (hasSince)
        QCOMPARE(*decoded.frame->since, since);
    QCOMPARE(decoded.frame->supportsBatch, supportsBatch);
}

void TestClientFrame::decodesUnsubscribe()
{
    const DecodedFrame decoded
        = decode(R"({"type":"unsubscribe","series_id":"file:cn:000001.SH:120m","since":true,"v":1})");
    QVERIFY2(decoded.frame, qPrintable(message(decoded)));
    QCOMPARE(decoded.frame->type, MessageType::Unsubscribe);
    QVERIFY(decoded.frame->hasSeries);
    QCOMPARE(decoded.frame->series.toString(), u"file:cn:000001.SH:2h"_s);
    QCOMPARE(decoded.frame->series.timeframe().seconds(), 7200);
    // since belongs to subscribe: an unsubscribe ignores it like any unknown field.
    QVERIFY(!decoded.frame->since);
}

void TestClientFrame::decodesWatch_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<MessageType>("type");
    QTest::addColumn<WatchTopic>("topic");
    QTest::addColumn<QString>("series");

    const std::pair<const char *, WatchTopic> topics[] = {{"health", WatchTopic::Health},
                                                          {"progress", WatchTopic::Progress},
                                                          {"ingest_errors", WatchTopic::IngestErrors},
                                                          {"jobs", WatchTopic::Jobs},
                                                          {"debug", WatchTopic::Debug}};
    for (const auto &[name, topic] : topics) {
        QTest::addRow("watch %s", name) << QByteArray(R"({"type":"watch","topic":")" + QByteArray(name) + R"("})")
                                        << MessageType::Watch << topic << QString();
        QTest::addRow("unwatch %s", name) << QByteArray(R"({"type":"unwatch","topic":")" + QByteArray(name) + R"("})")
                                          << MessageType::Unwatch << topic << QString();
    }
    QTest::addRow("watch with filter")
        << QByteArray(R"({"type":"watch","topic":"progress","series_id":"binance:spot:BTCUSDT:60m"})")
        << MessageType::Watch << WatchTopic::Progress << u"binance:spot:BTCUSDT:1h"_s;
    QTest::addRow("unwatch with filter")
        << QByteArray(R"({"type":"unwatch","topic":"health","series_id":"file:cn:000001.SH:1m"})")
        << MessageType::Unwatch << WatchTopic::Health << u"file:cn:000001.SH:1m"_s;
    // An optional field given as null is absent, as for since and idempotency_key.
    QTest::addRow("null filter") << QByteArray(R"({"type":"watch","topic":"jobs","series_id":null})")
                                 << MessageType::Watch << WatchTopic::Jobs << QString();
    QTest::addRow("unknown fields") << QByteArray(R"({"type":"watch","topic":"debug","v":1,"since":"x"})")
                                    << MessageType::Watch << WatchTopic::Debug << QString();
}

void TestClientFrame::decodesWatch()
{
    QFETCH(QByteArray, frame);
    QFETCH(MessageType, type);
    QFETCH(WatchTopic, topic);
    QFETCH(QString, series);
    const DecodedFrame decoded = decode(frame);
    QVERIFY2(decoded.frame, qPrintable(message(decoded)));
    QCOMPARE(decoded.frame->type, type);
    QCOMPARE(decoded.frame->topic, topic);
    QCOMPARE(decoded.frame->hasSeries, !series.isEmpty());
    QCOMPARE(decoded.frame->series.toString(), series);
}

void TestClientFrame::decodesCommand_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonValue>("args");
    QTest::addColumn<bool>("hasKey");
    QTest::addColumn<QString>("key");

    QTest::addRow("no args, no key") << QByteArray(R"({"type":"command","request_id":"r1","name":"series_list"})")
                                     << u"r1"_s << u"series_list"_s << QJsonValue(QJsonValue::Undefined) << false
                                     << QString();
    QTest::addRow("args")
        << QByteArray(R"({"type":"command","request_id":"r.2:x-y_Z","name":"candles",)"
                      R"("args":{"series_id":"a","limit":5}})")
        << u"r.2:x-y_Z"_s << u"candles"_s
        << QJsonValue(QJsonObject{{u"series_id"_s, u"a"_s}, {u"limit"_s, 5}}) << false << QString();
    QTest::addRow("args and key")
        << QByteArray(R"({"type":"command","request_id":"r3","name":"backfill","args":{},"idempotency_key":"k-1"})")
        << u"r3"_s << u"backfill"_s << QJsonValue(QJsonObject()) << true << u"k-1"_s;
    QTest::addRow("key without args")
        << QByteArray(R"({"type":"command","request_id":"r4","name":"flags_set","idempotency_key":"0c9d.e:f_A-B"})")
        << u"r4"_s << u"flags_set"_s << QJsonValue(QJsonValue::Undefined) << true << u"0c9d.e:f_A-B"_s;
    QTest::addRow("key null") << commandWith(R"("request_id":"r5","idempotency_key":null)") << u"r5"_s
                              << u"series_list"_s << QJsonValue(QJsonValue::Undefined) << false << QString();
    const QString id64(64, u'i');
    const QString key255(255, u'k');
    QTest::addRow("longest ids") << commandWith(R"("request_id":")" + id64.toLatin1() + R"(","idempotency_key":")"
                                                + key255.toLatin1() + '"')
                                 << id64 << u"series_list"_s << QJsonValue(QJsonValue::Undefined) << true << key255;
    // PROTO-8: args and name are checked by the command, answering with a result, not here.
    QTest::addRow("args not an object") << commandWith(R"("request_id":"r6","args":[1])") << u"r6"_s
                                        << u"series_list"_s << QJsonValue(QJsonArray{1}) << false << QString();
    QTest::addRow("name missing") << QByteArray(R"({"type":"command","request_id":"r7"})") << u"r7"_s << QString()
                                  << QJsonValue(QJsonValue::Undefined) << false << QString();
    QTest::addRow("unknown fields") << commandWith(R"("request_id":"r8","v":1,"series_id":5,"extra":true)") << u"r8"_s
                                    << u"series_list"_s << QJsonValue(QJsonValue::Undefined) << false << QString();
}

void TestClientFrame::decodesCommand()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, requestId);
    QFETCH(QString, name);
    QFETCH(QJsonValue, args);
    QFETCH(bool, hasKey);
    QFETCH(QString, key);
    const DecodedFrame decoded = decode(frame);
    QVERIFY2(decoded.frame, qPrintable(message(decoded)));
    QCOMPARE(decoded.frame->type, MessageType::Command);
    QCOMPARE(decoded.frame->requestId, requestId);
    QCOMPARE(decoded.frame->name, name);
    QCOMPARE(decoded.frame->args.type(), args.type());
    QCOMPARE(decoded.frame->args, args);
    QCOMPARE(decoded.frame->idempotencyKey.has_value(), hasKey);
    if (hasKey)
        QCOMPARE(*decoded.frame->idempotencyKey, key);
}

void TestClientFrame::encodesFrame_data()
{
    QTest::addColumn<ClientFrame>("frame");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("subscribe tail") << subscribeFrame(std::nullopt, false)
                                    << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m","since":null,)"
                                                  R"("supports_batch":false,"type":"subscribe","v":1})");
    QTest::addRow("subscribe since") << subscribeFrame(1735689600, true)
                                     << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m","since":1735689600,)"
                                                   R"("supports_batch":true,"type":"subscribe","v":1})");
    ClientFrame unsubscribe = subscribeFrame(7, true);
    unsubscribe.type = MessageType::Unsubscribe;
    QTest::addRow("unsubscribe") << unsubscribe
                                 << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m","type":"unsubscribe","v":1})");
    QTest::addRow("watch") << watchFrame(MessageType::Watch, WatchTopic::IngestErrors)
                           << QByteArray(R"({"topic":"ingest_errors","type":"watch","v":1})");
    QTest::addRow("unwatch with filter") << watchFrame(MessageType::Unwatch, WatchTopic::Progress, kSeries)
                                         << QByteArray(R"({"series_id":"binance:spot:BTCUSDT:1m","topic":"progress",)"
                                                       R"("type":"unwatch","v":1})");
    QTest::addRow("command, absent args are {}")
        << commandFrame(QJsonValue::Undefined, std::nullopt)
        << QByteArray(R"({"args":{},"name":"candles","request_id":"req-1.a:b_C","type":"command","v":1})");
    QTest::addRow("command with key") << commandFrame(QJsonObject{{u"limit"_s, 10}}, u"key-1"_s)
                                      << QByteArray(R"({"args":{"limit":10},"idempotency_key":"key-1","name":)"
                                                    R"("candles","request_id":"req-1.a:b_C","type":"command","v":1})");
}

void TestClientFrame::encodesFrame()
{
    QFETCH(ClientFrame, frame);
    QFETCH(QByteArray, expected);
    QCOMPARE(QJsonDocument(encodeClientFrame(frame)).toJson(QJsonDocument::Compact), expected);
}

void TestClientFrame::roundTrips_data()
{
    QTest::addColumn<ClientFrame>("frame");
    QTest::addRow("subscribe tail") << subscribeFrame(std::nullopt, false);
    QTest::addRow("subscribe since 0 with batch") << subscribeFrame(0, true);
    QTest::addRow("subscribe since 2^53") << subscribeFrame(qint64(1) << 53, false);
    ClientFrame unsubscribe;
    unsubscribe.type = MessageType::Unsubscribe;
    unsubscribe.series = *SeriesId::parse(u"file:cn:000001.SH:1d"_s);
    unsubscribe.hasSeries = true;
    QTest::addRow("unsubscribe") << unsubscribe;
    QTest::addRow("watch") << watchFrame(MessageType::Watch, WatchTopic::Health);
    QTest::addRow("watch with filter") << watchFrame(MessageType::Watch, WatchTopic::Jobs, kSeries);
    QTest::addRow("unwatch") << watchFrame(MessageType::Unwatch, WatchTopic::Debug);
    QTest::addRow("unwatch with filter")
        << watchFrame(MessageType::Unwatch, WatchTopic::IngestErrors, u"binance:futures:BTC/USDT:USDT:15m"_s);
    QTest::addRow("command") << commandFrame(QJsonObject{{u"series_id"_s, kSeries}, {u"limit"_s, 5000}}, std::nullopt);
    QTest::addRow("command with key") << commandFrame(QJsonObject{}, u"3f2b-9a:x.y_z"_s);
    QTest::addRow("command without args") << commandFrame(QJsonValue::Undefined, std::nullopt);
}

void TestClientFrame::roundTrips()
{
    QFETCH(ClientFrame, frame);
    const QByteArray text = QJsonDocument(encodeClientFrame(frame)).toJson(QJsonDocument::Compact);
    const DecodedFrame decoded = decode(text);
    QVERIFY2(decoded.frame, qPrintable(message(decoded)));
    const ClientFrame &back = *decoded.frame;
    QCOMPARE(back.type, frame.type);
    QCOMPARE(back.hasSeries, frame.hasSeries);
    QCOMPARE(back.series.toString(), frame.series.toString());
    switch (frame.type) {
    case MessageType::Subscribe:
        QCOMPARE(back.since.has_value(), frame.since.has_value());
        QCOMPARE(back.since.value_or(-1), frame.since.value_or(-1));
        QCOMPARE(back.supportsBatch, frame.supportsBatch);
        break;
    case MessageType::Watch:
    case MessageType::Unwatch:
        QCOMPARE(back.topic, frame.topic);
        break;
    case MessageType::Command:
        QCOMPARE(back.requestId, frame.requestId);
        QCOMPARE(back.name, frame.name);
        // PROTO-4: absent args = {}; the client always sends them.
        QCOMPARE(back.args, frame.args.isUndefined() ? QJsonValue(QJsonObject()) : frame.args);
        QCOMPARE(back.idempotencyKey.has_value(), frame.idempotencyKey.has_value());
        QCOMPARE(back.idempotencyKey.value_or(QString()), frame.idempotencyKey.value_or(QString()));
        break;
    default:
        break;
    }
}

void TestClientFrame::validatesTokens_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<bool>("valid");
    QTest::addRow("every allowed class") << u"azAZ09._:-"_s << 64 << true;
    QTest::addRow("at the limit") << QString(64, u'a') << 64 << true;
    QTest::addRow("over the limit") << QString(65, u'a') << 64 << false;
    QTest::addRow("empty") << QString() << 64 << false;
    QTest::addRow("space") << u"a b"_s << 64 << false;
    QTest::addRow("slash") << u"a/b"_s << 64 << false;
    QTest::addRow("non-ASCII letter") << u"caf\u00e9"_s << 64 << false;
    QTest::addRow("plus") << u"a+b"_s << 64 << false;
}

void TestClientFrame::validatesTokens()
{
    QFETCH(QString, text);
    QFETCH(int, maxLength);
    QFETCH(bool, valid);
    QCOMPARE(isValidToken(text, maxLength), valid);
}

void TestClientFrame::namesMessageTypes()
{
    // PROTO-4 tables, in enum order; the first five are the client's.
    const QStringList names{u"subscribe"_s, u"unsubscribe"_s,   u"watch"_s,          u"unwatch"_s,
                            u"command"_s,   u"hello"_s,         u"candle_closed"_s,  u"candle_forming"_s,
                            u"candles_batch"_s, u"gap"_s,       u"health"_s,         u"progress"_s,
                            u"ingest_error"_s, u"job"_s,        u"debug_event"_s,    u"result"_s,
                            u"system"_s,    u"error"_s};
    QCOMPARE(static_cast<int>(MessageType::Error) + 1, names.size());
    for (int i = 0; i < names.size(); ++i) {
        const auto type = static_cast<MessageType>(i);
        QCOMPARE(messageTypeName(type), names.at(i));
        QCOMPARE(messageTypeFromName(names.at(i)), std::optional<MessageType>(type));
        QCOMPARE(isClientMessage(type), i <= static_cast<int>(MessageType::Command));
    }
}

void TestClientFrame::namesWatchTopics()
{
    // PROTO-4: topic in health, progress, ingest_errors, jobs, debug.
    const QStringList names{u"health"_s, u"progress"_s, u"ingest_errors"_s, u"jobs"_s, u"debug"_s};
    QCOMPARE(static_cast<int>(WatchTopic::Debug) + 1, names.size());
    for (int i = 0; i < names.size(); ++i) {
        const auto topic = static_cast<WatchTopic>(i);
        QCOMPARE(watchTopicName(topic), names.at(i));
        QCOMPARE(watchTopicFromName(names.at(i)), std::optional<WatchTopic>(topic));
    }
}

void TestClientFrame::refusesUnknownNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("empty") << QString();
    QTest::addRow("upper case") << u"Subscribe"_s;
    QTest::addRow("leading space") << u" health"_s;
    QTest::addRow("prefix") << u"candle"_s;
    QTest::addRow("singular topic") << u"ingest_errors_"_s;
    QTest::addRow("hyphen") << u"candle-closed"_s;
}

void TestClientFrame::refusesUnknownNames()
{
    QFETCH(QString, name);
    QVERIFY(!messageTypeFromName(name));
    QVERIFY(!watchTopicFromName(name));
}

QTEST_GUILESS_MAIN(TestClientFrame)
#include "tst_clientframe.moc"
