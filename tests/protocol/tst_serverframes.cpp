// The server frame builders and the client's reader of them: PROTO-2 numbers, the PROTO-4
// server table and hello, PROTO-5 system frames, PROTO-8 results and DOM-5 candles.
#include "core/protocol/serverframes.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::protocol;

namespace {

const QString kSeries = u"binance:spot:BTCUSDT:1m"_s;

SeriesId series(const QString &text = kSeries)
{
    return *SeriesId::parse(text);
}

const CandleList kCandles{
    {1735689600, 0.1, 3485, 1e-8, 123456.789, 0.30000000000000004},
    {1735689660, 93500.5, 93612.25, 93480.01, 93600, 12.345678},
    {1735689720, 1, 2, 0.5, 1.5, 0},
    {1735689780, 1.5, 1.5, 1.5, 1.5, 1e20},
    {1735689840, 2, 3, 1, 2.5, 7},
};

QStringList sortedKeys(const QJsonObject &json)
{
    QStringList keys = json.keys();
    keys.sort();
    return keys;
}

QString message(const Error &error)
{
    return error.message;
}

} // namespace

class TestServerFrames final : public QObject
{
    Q_OBJECT

private slots:
    void buildersCarryTypeAndVersion_data();
    void buildersCarryTypeAndVersion();
    void helloHasEveryField();
    void candleTimeIsAnInteger_data();
    void candleTimeIsAnInteger();
    void candlePricesRoundTrip_data();
    void candlePricesRoundTrip();
    void candleFramesCarrySeriesAndCandle();
    void candlesBatchHoldsCount();
    void gapHasItsFields_data();
    void gapHasItsFields();
    void systemSeriesIdMayBeNull();
    void framesAsText_data();
    void framesAsText();
    void decodesServerFrame_data();
    void decodesServerFrame();
    void rejectsServerFrame_data();
    void rejectsServerFrame();
    void rejectsInvalidJson();
    void readsCandle_data();
    void readsCandle();
    void rejectsCandle_data();
    void rejectsCandle();
    void readsCandles();
    void rejectsCandles_data();
    void rejectsCandles();
};

void TestServerFrames::buildersCarryTypeAndVersion_data()
{
    QTest::addColumn<QJsonObject>("frame");
    QTest::addColumn<QString>("type");
    const Candle candle = kCandles.first();
    QTest::addRow("hello") << serverframe::hello(HelloInfo{}) << u"hello"_s;
    QTest::addRow("candle_closed") << serverframe::candleClosed(series(), candle) << u"candle_closed"_s;
    QTest::addRow("candle_forming") << serverframe::candleForming(series(), candle) << u"candle_forming"_s;
    QTest::addRow("candles_batch") << serverframe::candlesBatch(series(), kCandles.constData(), 2)
                                   << u"candles_batch"_s;
    QTest::addRow("gap") << serverframe::gap(series(), 60, 180, 2, false) << u"gap"_s;
    QTest::addRow("system") << serverframe::system(u"server_shutdown"_s, SeriesId(), QString(), {}) << u"system"_s;
    QTest::addRow("result") << serverframe::result(u"r1"_s, QJsonObject()) << u"result"_s;
    QTest::addRow("failure") << serverframe::failure(u"r1"_s, Error::conflict(u"x"_s)) << u"result"_s;
    QTest::addRow("error") << serverframe::error(Error::badRequest(u"x"_s)) << u"error"_s;
    // PROTO-4: these carry their fields at the top level.
    const MessageType flat[] = {MessageType::Health, MessageType::Progress, MessageType::IngestError,
                                MessageType::Job, MessageType::DebugEvent};
    for (const MessageType type : flat) {
        const QString name = messageTypeName(type);
        QTest::addRow("%s", qPrintable(name)) << serverframe::flat(type, {{u"series_id"_s, kSeries}}) << name;
    }
}

void TestServerFrames::buildersCarryTypeAndVersion()
{
    // PROTO-1: the server always sets type and v.
    QFETCH(QJsonObject, frame);
    QFETCH(QString, type);
    QCOMPARE(frame.value("type"_L1).toString(), type);
    QVERIFY(frame.value("v"_L1).isDouble());
    QCOMPARE(frame.value("v"_L1).toInteger(), kProtocolVersion);
    QVERIFY(serverframe::text(frame).contains(QByteArray(",\"v\":" + QByteArray::number(kProtocolVersion))));
}

void TestServerFrames::helloHasEveryField()
{
    // PROTO-4
    HelloInfo info;
    info.serverVersion = u"0.4.2"_s;
    info.maxFrameBytes = 1048576;
    info.maxSubscriptions = 256;
    info.catchupLimit = 1000;
    info.heartbeatS = 15;
    info.serverTimeS = 1735689600;
    info.nodeId = 7;
    const QJsonObject hello = serverframe::hello(info);
    QCOMPARE(sortedKeys(hello), (QStringList{u"capabilities"_s, u"heartbeat_s"_s, u"limits"_s, u"min_version"_s,
                                             u"node_id"_s, u"protocol_version"_s, u"server_time"_s,
                                             u"server_version"_s, u"type"_s, u"v"_s}));
    QCOMPARE(hello.value("server_version"_L1).toString(), u"0.4.2"_s);
    QCOMPARE(hello.value("protocol_version"_L1).toInteger(), kProtocolVersion);
    QCOMPARE(hello.value("min_version"_L1).toInteger(), kMinProtocolVersion);
    QCOMPARE(hello.value("capabilities"_L1).toArray(),
             (QJsonArray{u"batch"_s, u"forming"_s, u"gap_heal"_s, u"commands"_s, u"watch"_s}));
    const QJsonObject limits = hello.value("limits"_L1).toObject();
    QCOMPARE(sortedKeys(limits), (QStringList{u"catchup_limit"_s, u"max_frame_bytes"_s, u"max_subscriptions"_s}));
    QCOMPARE(limits.value("max_frame_bytes"_L1).toInteger(), 1048576);
    QCOMPARE(limits.value("max_subscriptions"_L1).toInteger(), 256);
    QCOMPARE(limits.value("catchup_limit"_L1).toInteger(), 1000);
    QCOMPARE(hello.value("heartbeat_s"_L1).toInteger(), 15);
    QCOMPARE(hello.value("server_time"_L1).toInteger(), 1735689600);
    QCOMPARE(hello.value("node_id"_L1).toInteger(), 7);
    // PROTO-2: times are ints on the wire.
    QVERIFY(serverframe::text(hello).contains("\"server_time\":1735689600,"));
}

void TestServerFrames::candleTimeIsAnInteger_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addRow("zero") << qint64(0);
    QTest::addRow("round time") << qint64(1700000000);
    QTest::addRow("minute") << qint64(1735689660);
    QTest::addRow("last valid DOM-6 time") << qint64(99999999960);
}

void TestServerFrames::candleTimeIsAnInteger()
{
    // PROTO-2: `time` is written as an integer, never `1.7e+09` or `1700000000.0`.
    QFETCH(qint64, time);
    const QByteArray text = serverframe::text(serverframe::candleClosed(series(), Candle{time, 1, 2, 0.5, 1.5, 3}));
    const QRegularExpression pattern(u"\"time\":([^,}]*)[,}]"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(text));
    QVERIFY2(match.hasMatch(), text.constData());
    QCOMPARE(match.captured(1), QString::number(time));
}

void TestServerFrames::candlePricesRoundTrip_data()
{
    QTest::addColumn<Candle>("candle");
    QTest::addRow("decimals") << kCandles.at(0);
    QTest::addRow("market prices") << kCandles.at(1);
    QTest::addRow("zero volume") << kCandles.at(2);
    QTest::addRow("huge volume") << kCandles.at(3);
    QTest::addRow("extremes") << Candle{60, std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                                        std::numeric_limits<double>::denorm_min(), 1.0 / 3.0, 2.0 / 3.0};
    QTest::addRow("negative values") << Candle{120, -1.25, -2.5, -1e-8, -123456.789, -3485};
}

void TestServerFrames::candlePricesRoundTrip()
{
    // C-3 shortest round-trip numbers: through the socket text and back, bit for bit.
    QFETCH(Candle, candle);
    const QByteArray text = serverframe::text(serverframe::candleClosed(series(), candle));
    const auto frame = decodeServerFrame(text);
    QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : message(frame.error())));
    QCOMPARE(frame->type, MessageType::CandleClosed);
    const auto back = candleFromJson(frame->json.value("candle"_L1));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : message(back.error())));
    QCOMPARE(back->time, candle.time);
    QCOMPARE(back->open, candle.open);
    QCOMPARE(back->high, candle.high);
    QCOMPARE(back->low, candle.low);
    QCOMPARE(back->close, candle.close);
    QCOMPARE(back->volume, candle.volume);
    QVERIFY(*back == candle);
}

void TestServerFrames::candleFramesCarrySeriesAndCandle()
{
    // PROTO-4: candle_closed, candle_forming {series_id, candle}; DOM-5 candle fields.
    const Candle candle = kCandles.at(1);
    const QJsonObject candleJson{{u"time"_s, 1735689660}, {u"open"_s, 93500.5},      {u"high"_s, 93612.25},
                                 {u"low"_s, 93480.01},    {u"close"_s, 93600},       {u"volume"_s, 12.345678}};
    QCOMPARE(serverframe::candleJson(candle), candleJson);
    const SeriesId id = series(u"binance:futures:BTC/USDT:USDT:60m"_s);
    for (const QJsonObject &frame : {serverframe::candleClosed(id, candle), serverframe::candleForming(id, candle)}) {
        QCOMPARE(sortedKeys(frame), (QStringList{u"candle"_s, u"series_id"_s, u"type"_s, u"v"_s}));
        QCOMPARE(frame.value("series_id"_L1).toString(), u"binance:futures:BTC/USDT:USDT:1h"_s);
        QCOMPARE(frame.value("candle"_L1).toObject(), candleJson);
    }
}

void TestServerFrames::candlesBatchHoldsCount()
{
    // PROTO-4, PROTO-17: `count` consecutive candles from `first`, in order.
    const QJsonObject batch = serverframe::candlesBatch(series(), kCandles.constData() + 1, 3);
    QCOMPARE(sortedKeys(batch), (QStringList{u"candles"_s, u"series_id"_s, u"type"_s, u"v"_s}));
    QCOMPARE(batch.value("series_id"_L1).toString(), kSeries);
    const QJsonArray candles = batch.value("candles"_L1).toArray();
    QCOMPARE(candles.size(), 3);
    const auto back = candlesFromJson(candles);
    QVERIFY(back.ok());
    QCOMPARE(*back, kCandles.mid(1, 3));
    QCOMPARE(serverframe::candlesJson(kCandles.constData(), kCandles.size()).size(), kCandles.size());
}

void TestServerFrames::gapHasItsFields_data()
{
    QTest::addColumn<bool>("healed");
    QTest::addColumn<qint64>("missingBars");
    QTest::addRow("announced") << false << qint64(3);
    QTest::addRow("healed, closed") << true << qint64(0);
    QTest::addRow("healed, partly") << true << qint64(1);
}

void TestServerFrames::gapHasItsFields()
{
    // PROTO-4, PROTO-15, PROTO-19
    QFETCH(bool, healed);
    QFETCH(qint64, missingBars);
    const QJsonObject gap = serverframe::gap(series(), 1735689660, 1735689900, missingBars, healed);
    QCOMPARE(sortedKeys(gap), (QStringList{u"actual_time"_s, u"expected_next_time"_s, u"healed"_s,
                                           u"missing_bars"_s, u"series_id"_s, u"type"_s, u"v"_s}));
    QCOMPARE(gap.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(gap.value("expected_next_time"_L1).toInteger(), 1735689660);
    QCOMPARE(gap.value("actual_time"_L1).toInteger(), 1735689900);
    QCOMPARE(gap.value("missing_bars"_L1).toInteger(), missingBars);
    QVERIFY(gap.value("healed"_L1).isBool());
    QCOMPARE(gap.value("healed"_L1).toBool(), healed);
    QVERIFY(serverframe::text(gap).contains("\"actual_time\":1735689900,\"expected_next_time\":1735689660,"));
}

void TestServerFrames::systemSeriesIdMayBeNull()
{
    // PROTO-4: system {event, series_id (or null), message, data}.
    const QJsonObject data{{u"cursor"_s, 1735689600}, {u"head_time"_s, 1735689660}, {u"sent"_s, 2}};
    const QJsonObject caughtUp = serverframe::system(u"caught_up"_s, series(), u"caught up"_s, data);
    QCOMPARE(sortedKeys(caughtUp), (QStringList{u"data"_s, u"event"_s, u"message"_s, u"series_id"_s, u"type"_s,
                                                u"v"_s}));
    QCOMPARE(caughtUp.value("event"_L1).toString(), u"caught_up"_s);
    QCOMPARE(caughtUp.value("series_id"_L1).toString(), kSeries);
    QCOMPARE(caughtUp.value("message"_L1).toString(), u"caught up"_s);
    QCOMPARE(caughtUp.value("data"_L1).toObject(), data);

    const QJsonObject shutdown = serverframe::system(u"server_shutdown"_s, SeriesId(), u"bye"_s, {});
    QVERIFY(shutdown.contains("series_id"_L1));
    QVERIFY(shutdown.value("series_id"_L1).isNull());
    QCOMPARE(shutdown.value("data"_L1).toObject(), QJsonObject());
    QCOMPARE(serverframe::text(shutdown),
             QByteArray(R"({"data":{},"event":"server_shutdown","message":"bye","series_id":null,)"
                        R"("type":"system","v":1})"));
}

void TestServerFrames::framesAsText_data()
{
    QTest::addColumn<QJsonObject>("frame");
    QTest::addColumn<QByteArray>("expected");
    // text() is compact: no spaces or newlines outside strings.
    QTest::addRow("result") << serverframe::result(u"r1"_s, QJsonObject{{u"series"_s, QJsonArray()}})
                            << QByteArray(R"({"data":{"series":[]},"ok":true,"request_id":"r1",)"
                                          R"("type":"result","v":1})");
    QTest::addRow("result replayed")
        << serverframe::result(u"r2"_s, QJsonObject{{u"job_id"_s, u"7612394587136"_s}, {u"state"_s, u"queued"_s}}, true)
        << QByteArray(R"({"data":{"job_id":"7612394587136","state":"queued"},"ok":true,"replayed":true,)"
                      R"("request_id":"r2","type":"result","v":1})");
    QTest::addRow("result null data") << serverframe::result(u"r3"_s, QJsonValue::Null)
                                      << QByteArray(R"({"data":null,"ok":true,"request_id":"r3",)"
                                                    R"("type":"result","v":1})");
    // PROTO-8: failures are results with ok:false and error {code, message, data?}.
    QTest::addRow("failure") << serverframe::failure(u"r4"_s,
                                                     Error::badRequest(u"name 'x': unknown; expected a command"_s))
                             << QByteArray(R"({"error":{"code":"bad_request","message":"name 'x': unknown; expected )"
                                           R"(a command"},"ok":false,"request_id":"r4","type":"result","v":1})");
    QTest::addRow("failure with data")
        << serverframe::failure(u"r5"_s, Error{ErrorCode::RateLimited, u"commands: bucket empty"_s},
                                QJsonObject{{u"retry_after_ms"_s, 250}})
        << QByteArray(R"({"error":{"code":"rate_limited","data":{"retry_after_ms":250},"message":"commands: bucket )"
                      R"(empty"},"ok":false,"request_id":"r5","type":"result","v":1})");
    // PROTO-4: error {code, message, series_id?, request_id?}; ids only when given.
    QTest::addRow("error") << serverframe::error(Error::badRequest(u"type 'x': unknown"_s))
                           << QByteArray(R"({"code":"bad_request","message":"type 'x': unknown",)"
                                         R"("type":"error","v":1})");
    QTest::addRow("error with series")
        << serverframe::error(Error{ErrorCode::Capacity, u"live ingest full"_s}, kSeries)
        << QByteArray(R"({"code":"capacity","message":"live ingest full","series_id":"binance:spot:BTCUSDT:1m",)"
                      R"("type":"error","v":1})");
    QTest::addRow("error with request")
        << serverframe::error(Error{ErrorCode::TooLarge, u"frame: 9 bytes; expected at most 8"_s}, QString(), u"r6"_s)
        << QByteArray(R"({"code":"too_large","message":"frame: 9 bytes; expected at most 8","request_id":"r6",)"
                      R"("type":"error","v":1})");
    QTest::addRow("error with both") << serverframe::error(Error::badRequest(u"m"_s), kSeries, u"r7"_s)
                                     << QByteArray(R"({"code":"bad_request","message":"m","request_id":"r7",)"
                                                   R"("series_id":"binance:spot:BTCUSDT:1m","type":"error","v":1})");
    // A flat frame's own type and v win over same-named fields.
    QTest::addRow("flat") << serverframe::flat(MessageType::Health, {{u"state"_s, u"ok"_s}, {u"type"_s, u"x"_s},
                                                                     {u"v"_s, 9}, {u"lag_s"_s, 1.5}})
                          << QByteArray(R"({"lag_s":1.5,"state":"ok","type":"health","v":1})");
    QTest::addRow("string with spaces") << serverframe::error(Error::badRequest(u"a b\nc"_s))
                                        << QByteArray(R"({"code":"bad_request","message":"a b\nc",)"
                                                      R"("type":"error","v":1})");
}

void TestServerFrames::framesAsText()
{
    QFETCH(QJsonObject, frame);
    QFETCH(QByteArray, expected);
    QCOMPARE(serverframe::text(frame), expected);
}

void TestServerFrames::decodesServerFrame_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<MessageType>("type");
    for (int i = static_cast<int>(MessageType::Hello); i <= static_cast<int>(MessageType::Error); ++i) {
        const auto type = static_cast<MessageType>(i);
        const QString name = messageTypeName(type);
        QTest::addRow("%s", qPrintable(name))
            << QByteArray(R"({"type":")" + name.toUtf8() + R"(","v":1,"extra":[1]})") << type;
    }
}

void TestServerFrames::decodesServerFrame()
{
    QFETCH(QByteArray, text);
    QFETCH(MessageType, type);
    const auto frame = decodeServerFrame(text);
    QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : message(frame.error())));
    QCOMPARE(frame->type, type);
    QCOMPARE(frame->json, QJsonDocument::fromJson(text).object());
}

void TestServerFrames::rejectsServerFrame_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    const QString typeExpected = u"; expected a server frame type"_s;
    QTest::addRow("array") << QByteArray(R"([{"type":"hello","v":1}])")
                           << u"server frame: got an array; expected a JSON object"_s;
    QTest::addRow("subscribe") << QByteArray(R"({"type":"subscribe","series_id":"binance:spot:BTCUSDT:1m"})")
                               << u"server frame type: got \"subscribe\""_s + typeExpected;
    QTest::addRow("command") << QByteArray(R"({"type":"command","request_id":"r1"})")
                             << u"server frame type: got \"command\""_s + typeExpected;
    QTest::addRow("unwatch") << QByteArray(R"({"type":"unwatch"})")
                             << u"server frame type: got \"unwatch\""_s + typeExpected;
    QTest::addRow("type missing") << QByteArray(R"({"v":1})") << u"server frame type: got nothing"_s + typeExpected;
    QTest::addRow("unknown type") << QByteArray(R"({"type":"tick"})")
                                  << u"server frame type: got \"tick\""_s + typeExpected;
    QTest::addRow("type number") << QByteArray(R"({"type":5})") << u"server frame type: got 5"_s + typeExpected;
}

void TestServerFrames::rejectsServerFrame()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto frame = decodeServerFrame(text);
    QVERIFY(!frame.ok());
    QCOMPARE(frame.error().code, ErrorCode::BadRequest);
    QCOMPARE(frame.error().message, expected);
}

void TestServerFrames::rejectsInvalidJson()
{
    const auto frame = decodeServerFrame(R"({"type":)");
    QVERIFY(!frame.ok());
    QCOMPARE(frame.error().code, ErrorCode::BadRequest);
    const QString text = frame.error().message;
    QVERIFY2(text.startsWith(u"server frame: invalid JSON at offset 8 ("_s), qPrintable(text));
    QVERIFY2(text.endsWith(u"); expected one JSON object"_s), qPrintable(text));
}

void TestServerFrames::readsCandle_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Candle>("expected");
    QTest::addRow("integers") << QByteArray(R"({"time":60,"open":1,"high":2,"low":1,"close":2,"volume":0})")
                              << Candle{60, 1, 2, 1, 2, 0};
    QTest::addRow("time written as 120.0")
        << QByteArray(R"({"time":120.0,"open":0.1,"high":0.2,"low":0.05,"close":0.15,"volume":1e-8})")
        << Candle{120, 0.1, 0.2, 0.05, 0.15, 1e-8};
    QTest::addRow("time 0, extra fields")
        << QByteArray(R"({"time":0,"open":3485,"high":3485,"low":3485,"close":3485,"volume":5,"trades":9})")
        << Candle{0, 3485, 3485, 3485, 3485, 5};
}

void TestServerFrames::readsCandle()
{
    QFETCH(QByteArray, json);
    QFETCH(Candle, expected);
    const auto candle = candleFromJson(QJsonDocument::fromJson(json).object());
    QVERIFY2(candle.ok(), qPrintable(candle.ok() ? QString() : message(candle.error())));
    QVERIFY(*candle == expected);
}

void TestServerFrames::rejectsCandle_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    const QJsonObject good{{u"time"_s, 60}, {u"open"_s, 1}, {u"high"_s, 2}, {u"low"_s, 0.5}, {u"close"_s, 1.5},
                           {u"volume"_s, 3}};
    const auto with = [&good](const QString &field, const QJsonValue &value) {
        QJsonObject candle = good;
        if (value.isUndefined())
            candle.remove(field);
        else
            candle.insert(field, value);
        return QJsonValue(candle);
    };
    const QString timeExpected = u"; expected an integer >= 0"_s;
    const QString numberExpected = u"; expected a finite number"_s;
    QTest::addRow("not an object") << QJsonValue(QJsonArray{60, 1, 2, 0.5, 1.5, 3})
                                   << u"candle: got [60,1,2,0.5,1.5,3]; expected an object {time, open, high, low, "
                                      u"close, volume}"_s;
    QTest::addRow("time fractional") << with(u"time"_s, 60.5) << u"candle.time: got 60.5"_s + timeExpected;
    QTest::addRow("time negative") << with(u"time"_s, -60) << u"candle.time: got -60"_s + timeExpected;
    QTest::addRow("time string") << with(u"time"_s, u"60"_s) << u"candle.time: got \"60\""_s + timeExpected;
    QTest::addRow("time missing") << with(u"time"_s, QJsonValue::Undefined)
                                  << u"candle.time: got nothing"_s + timeExpected;
    QTest::addRow("time null") << with(u"time"_s, QJsonValue::Null) << u"candle.time: got null"_s + timeExpected;
    QTest::addRow("time beyond int64") << with(u"time"_s, 1e300) << u"candle.time: got 1e+300"_s + timeExpected;
    QTest::addRow("open missing") << with(u"open"_s, QJsonValue::Undefined)
                                  << u"candle.open: got nothing"_s + numberExpected;
    QTest::addRow("high string") << with(u"high"_s, u"2"_s) << u"candle.high: got \"2\""_s + numberExpected;
    QTest::addRow("low null") << with(u"low"_s, QJsonValue::Null) << u"candle.low: got null"_s + numberExpected;
    QTest::addRow("close bool") << with(u"close"_s, true) << u"candle.close: got true"_s + numberExpected;
    QTest::addRow("volume missing") << with(u"volume"_s, QJsonValue::Undefined)
                                    << u"candle.volume: got nothing"_s + numberExpected;
    // JSON text cannot carry NaN or Inf, but a QJsonValue built in memory can; it prints as null.
    QTest::addRow("open infinite") << with(u"open"_s, std::numeric_limits<double>::infinity())
                                   << u"candle.open: got null"_s + numberExpected;
    QTest::addRow("volume NaN") << with(u"volume"_s, std::numeric_limits<double>::quiet_NaN())
                                << u"candle.volume: got null"_s + numberExpected;
}

void TestServerFrames::rejectsCandle()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    const auto candle = candleFromJson(value);
    QVERIFY(!candle.ok());
    QCOMPARE(candle.error().code, ErrorCode::BadRequest);
    QCOMPARE(candle.error().message, expected);
}

void TestServerFrames::readsCandles()
{
    const auto candles = candlesFromJson(serverframe::candlesJson(kCandles.constData(), kCandles.size()));
    QVERIFY(candles.ok());
    QCOMPARE(*candles, kCandles);
    const auto none = candlesFromJson(QJsonArray());
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());
}

void TestServerFrames::rejectsCandles_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");
    QJsonArray badVolume = serverframe::candlesJson(kCandles.constData(), 3);
    QJsonObject second = badVolume.at(1).toObject();
    second.remove(u"volume"_s);
    badVolume.replace(1, second);
    QTest::addRow("not an array") << QJsonValue(QJsonObject()) << u"candles: got {}; expected an array of candles"_s;
    QTest::addRow("null") << QJsonValue(QJsonValue::Null) << u"candles: got null; expected an array of candles"_s;
    // DOM-13: the position of the bad candle is part of the input's name.
    QTest::addRow("second lacks volume") << QJsonValue(badVolume)
                                         << u"candles[1].volume: got nothing; expected a finite number"_s;
    QTest::addRow("element not an object")
        << QJsonValue(QJsonArray{serverframe::candleJson(kCandles.first()), 5})
        << u"candles[1]: got 5; expected an object {time, open, high, low, close, volume}"_s;
    QTest::addRow("first has fractional time")
        << QJsonValue(QJsonArray{QJsonObject{{u"time"_s, 0.5}}})
        << u"candles[0].time: got 0.5; expected an integer >= 0"_s;
}

void TestServerFrames::rejectsCandles()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    const auto candles = candlesFromJson(value);
    QVERIFY(!candles.ok());
    QCOMPARE(candles.error().code, ErrorCode::BadRequest);
    QCOMPARE(candles.error().message, expected);
}

QTEST_GUILESS_MAIN(TestServerFrames)
#include "tst_serverframes.moc"
