// The market server end to end (PROTO-1..28, SEC-1/2): a real Core on a fresh database of the
// test backend, real WebSocket clients on 127.0.0.1, candles committed by the ingest pipeline.
#include "core/ingest/ingestwriter.h"
#include "core/protocol/holehealer.h"
#include "core/protocol/marketserver.h"
#include "core/protocol/serverframes.h"
#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:SRV:1m");
const QString kId = kSeries.toString();
constexpr qint64 kT0 = 1699999980;
constexpr qint64 kNowMs = (kT0 + 86400) * 1000;

qint64 at(int i)
{
    return kT0 + 60 * qint64(i);
}

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

// Closed candles and gap frames of one series in arrival order, as "c:T" and "g:E:A:M:H".
QStringList sequence(const QList<QJsonObject> &frames, const QString &seriesId)
{
    QStringList out;
    for (const QJsonObject &f : frames) {
        if (f.value("series_id"_L1).toString() != seriesId)
            continue;
        if (type(f) == "candle_closed"_L1) {
            out << u"c:%1"_s.arg(qint64(f.value("candle"_L1).toObject().value("time"_L1).toDouble()));
        } else if (type(f) == "candles_batch"_L1) {
            for (const QJsonValue &c : f.value("candles"_L1).toArray())
                out << u"c:%1"_s.arg(qint64(c.toObject().value("time"_L1).toDouble()));
        } else if (type(f) == "gap"_L1) {
            out << u"g:%1:%2:%3:%4"_s.arg(qint64(f.value("expected_next_time"_L1).toDouble()))
                       .arg(qint64(f.value("actual_time"_L1).toDouble()))
                       .arg(qint64(f.value("missing_bars"_L1).toDouble()))
                       .arg(f.value("healed"_L1).toBool() ? 1 : 0);
        }
    }
    return out;
}

// The raw HTTP status line a handshake gets.
QByteArray handshakeStatus(const QUrl &url, const QByteArray &extraHeaders)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET /ws/market HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                 + extraHeaders + "\r\n");
    QByteArray reply;
    (void)QTest::qWaitFor([&] {
        reply += socket.readAll();
        return reply.contains("\r\n");
    }, 5000);
    return reply.left(reply.indexOf("\r\n"));
}

QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8));
        frame.append(char(payload.size() & 0xff));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ mask[i % 4]));
    return frame;
}

// The close code of the close frame in a server byte stream (frames are unmasked); -1 if none.
int closeCodeIn(const QByteArray &stream)
{
    qsizetype pos = 0;
    while (pos + 2 <= stream.size()) {
        const int opcode = stream.at(pos) & 0x0f;
        quint64 length = quint8(stream.at(pos + 1)) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            length = (quint64(quint8(stream.at(pos + 2))) << 8) | quint8(stream.at(pos + 3));
            header = 4;
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(stream.at(pos + 2 + i));
            header = 10;
        }
        if (pos + header + qsizetype(length) > stream.size())
            return -1;
        if (opcode == 0x8 && length >= 2)
            return (quint8(stream.at(pos + header)) << 8) | quint8(stream.at(pos + header + 1));
        pos += header + qsizetype(length);
    }
    return -1;
}

// A healer that fills holes from a fixed source through the core's own pipeline, or that
// finds nothing (PROTO-16 with a fake source in place of BF-3).
class FakeHealer final : public protocol::HoleHealer
{
public:
    FakeHealer(TestCore &core, CandleList source) : m_core(core), m_source(std::move(source)) {}

    bool canHeal(const SeriesId &, qint64, qint64) const override { return true; }
    void heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int, QObject *context,
              std::function<void()> done) override
    {
        ++calls;
        CandleList missing;
        for (const Candle &c : m_source) {
            if (c.time >= expectedNextTime && c.time < actualTime)
                missing.append(c);
        }
        if (missing.isEmpty()) {
            QMetaObject::invokeMethod(context, done, Qt::QueuedConnection);
            return;
        }
        ingest::IngestRun run;
        run.source = u"backfill"_s;
        run.add(series, missing);
        auto *writer = m_core.core().writer();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(writer, &ingest::IngestWriter::runFinished, context,
                                       [connection, done](const ingest::RunReport &) {
                                           QObject::disconnect(*connection);
                                           done();
                                       });
        writer->submit(run);
    }

    void coverTail(const SeriesId &series, int count, int, QObject *context, std::function<void()> done) override
    {
        ++tailCalls;
        // The newest `count` bars of the source, as BF-7 would fetch them.
        heal(series, m_source.at(std::max<qsizetype>(0, m_source.size() - count)).time, m_source.last().time + 60, 0,
             context, std::move(done));
        --calls;
    }

    int calls = 0;
    int tailCalls = 0;

private:
    TestCore &m_core;
    CandleList m_source;
};

} // namespace

class TestMarketServer : public QObject
{
    Q_OBJECT

private slots:
    void helloFirst();
    void catchUpOverTheWire_data();
    void catchUpOverTheWire();
    void liveAfterCatchUp();
    void rejectedFramesKeepTheSocket_data();
    void rejectedFramesKeepTheSocket();
    void capacityRejectsOnlyThatSeries();
    void concurrentCatchUpsKeepTheirSeries();
    void unsubscribeStopsFrames();
    void watchIngestErrors();
    void commands();
    void rateLimited();
    void handshakeRefusals();
    void unknownPathCloses();
    void silentClientIsClosed();
    void slowConsumerIsClosed();
    void formingIsThrottledAndNeverBelowCursor();
    void holesAreHealedBeforeAnnounced();
    void tailSubscriptionWaitsForCoverage();
};

void TestMarketServer::helloFirst()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    const QJsonObject hello = client.frames().first();
    QCOMPARE(type(hello), u"hello"_s);
    QCOMPARE(hello.value("protocol_version"_L1).toInt(), protocol::kProtocolVersion);
    QCOMPARE(hello.value("min_version"_L1).toInt(), protocol::kMinProtocolVersion);
    QCOMPARE(hello.value("limits"_L1).toObject().value("catchup_limit"_L1).toInt(), 5000);
    QCOMPARE(qint64(hello.value("server_time"_L1).toDouble()), kNowMs / 1000);
    QCOMPARE(hello.value("capabilities"_L1).toArray().size(), 5);
}

void TestMarketServer::catchUpOverTheWire_data()
{
    QTest::addColumn<QJsonValue>("since");
    QTest::addColumn<bool>("batch");
    QTest::addColumn<QStringList>("gaps");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("count");

    const QString interior = u"g:%1:%2:3:0"_s.arg(at(250)).arg(at(253));
    QTest::addRow("null, batch") << QJsonValue() << true << QStringList() << 300 << 100;
    QTest::addRow("0, batch, past the catch-up limit") << QJsonValue(0) << true << QStringList{interior} << 0 << 397;
    QTest::addRow("0, no batch") << QJsonValue(0) << false << QStringList{interior} << 0 << 397;
    QTest::addRow("inside") << QJsonValue(double(at(100))) << true << QStringList{interior} << 101 << 296;
    QTest::addRow("before the range") << QJsonValue(double(at(-5))) << true
                                      << QStringList{u"g:%1:%2:4:0"_s.arg(at(-4)).arg(at(0)), interior} << 0 << 397;
    QTest::addRow("after the range") << QJsonValue(double(at(5000))) << true << QStringList() << 0 << 0;
}

void TestMarketServer::catchUpOverTheWire()
{
    QFETCH(QJsonValue, since);
    QFETCH(bool, batch);
    QFETCH(QStringList, gaps);
    QFETCH(int, first);
    QFETCH(int, count);

    TestCore core(kNowMs, {u"server.catchup_limit=100"_s});
    const CandleList stored = syntheticCandles(at(0), 250) + syntheticCandles(at(253), 147);
    QVERIFY(core.seed(kSeries, stored));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, since, batch));
    const QJsonObject caughtUp = client.waitForSystem(u"caught_up"_s, kId);
    QVERIFY(!caughtUp.isEmpty());

    const CandleList received = client.closedCandles(kId);
    QCOMPARE(received.size(), count);
    // Value for value what the store holds, from the expected first candle on.
    const qsizetype from = std::find_if(stored.begin(), stored.end(), [&](const Candle &c) {
        return c.time >= (first >= 0 ? at(first) : 0);
    }) - stored.begin();
    QCOMPARE(received, stored.mid(from, count));
    QStringList seenGaps;
    for (const QString &item : sequence(client.frames(), kId)) {
        if (item.startsWith(u"g:"_s))
            seenGaps << item;
    }
    QCOMPARE(seenGaps, gaps);
    if (!batch) {
        for (const QJsonObject &f : client.frames())
            QVERIFY(type(f) != "candles_batch"_L1);
    }
    QCOMPARE(caughtUp.value("data"_L1).toObject().value("sent"_L1).toInt(), count);
    QCOMPARE(type(client.frames().last()), u"system"_s); // caught_up is the last frame
}

void TestMarketServer::liveAfterCatchUp()
{
    TestCore core(kNowMs);
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 10)));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, 0, true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    client.take();

    QVERIFY(core.ingest(kSeries, syntheticCandles(at(10), 2)));      // extends the head
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(15), 1)));      // leaves a hole of 3
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(12), 2)));      // heals 2 of them
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(14), 1)));      // closes it
    CandleList changed = syntheticCandles(at(3), 1);
    changed[0].close += 0.5;
    QVERIFY(core.ingest(kSeries, changed));                          // rewrites history
    QVERIFY(!client.waitForSystem(u"history_rewritten"_s, kId).isEmpty());
    QCOMPARE(sequence(client.frames(), kId),
             (QStringList{u"c:%1"_s.arg(at(10)), u"c:%1"_s.arg(at(11)), u"g:%1:%2:3:0"_s.arg(at(12)).arg(at(15)),
                          u"c:%1"_s.arg(at(15)), u"g:%1:%2:1:1"_s.arg(at(12)).arg(at(15)),
                          u"g:%1:%2:0:1"_s.arg(at(12)).arg(at(15))}));
}

void TestMarketServer::rejectedFramesKeepTheSocket_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("code");

    QTest::addRow("invalid JSON") << u"{\"type\":"_s << u"bad_request"_s;
    QTest::addRow("not an object") << u"[1,2]"_s << u"bad_request"_s;
    QTest::addRow("type missing") << u"{\"series_id\":\"%1\"}"_s.arg(kId) << u"bad_request"_s;
    QTest::addRow("type not a string") << u"{\"type\":7}"_s << u"bad_request"_s;
    QTest::addRow("v out of range") << u"{\"type\":\"subscribe\",\"v\":9,\"series_id\":\"%1\"}"_s.arg(kId)
                                    << u"bad_request"_s;
    QTest::addRow("unknown type") << u"{\"type\":\"subscrib\"}"_s << u"bad_request"_s;
    QTest::addRow("series_id missing") << u"{\"type\":\"subscribe\"}"_s << u"bad_request"_s;
    QTest::addRow("series_id malformed") << u"{\"type\":\"subscribe\",\"series_id\":\"x:y\"}"_s << u"bad_request"_s;
    QTest::addRow("bad timeframe") << u"{\"type\":\"subscribe\",\"series_id\":\"file:test:SRV:1s\"}"_s
                                   << u"bad_request"_s;
    QTest::addRow("binance market") << u"{\"type\":\"subscribe\",\"series_id\":\"binance:margin:BTCUSDT:1m\"}"_s
                                    << u"bad_request"_s;
    QTest::addRow("since true") << u"{\"type\":\"subscribe\",\"series_id\":\"%1\",\"since\":true}"_s.arg(kId)
                                << u"bad_request"_s;
    QTest::addRow("since string") << u"{\"type\":\"subscribe\",\"series_id\":\"%1\",\"since\":\"1\"}"_s.arg(kId)
                                  << u"bad_request"_s;
    QTest::addRow("since fraction") << u"{\"type\":\"subscribe\",\"series_id\":\"%1\",\"since\":1.5}"_s.arg(kId)
                                    << u"bad_request"_s;
    QTest::addRow("supports_batch") << u"{\"type\":\"subscribe\",\"series_id\":\"%1\",\"supports_batch\":1}"_s.arg(kId)
                                    << u"bad_request"_s;
    QTest::addRow("unknown topic") << u"{\"type\":\"watch\",\"topic\":\"weather\"}"_s << u"bad_request"_s;
    QTest::addRow("bad request_id") << u"{\"type\":\"command\",\"request_id\":\"a b\",\"name\":\"series_list\"}"_s
                                    << u"bad_request"_s;
    QTest::addRow("too large") << u"{\"type\":\"subscribe\",\"pad\":\"%1\"}"_s.arg(QString(2000, u'x'))
                               << u"too_large"_s;
    QTest::addRow("binary") << QString() << u"bad_request"_s;
}

void TestMarketServer::rejectedFramesKeepTheSocket()
{
    QFETCH(QString, frame);
    QFETCH(QString, code);

    TestCore core(kNowMs, {u"server.max_frame_bytes=1024"_s});
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 3)));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    if (frame.isEmpty())
        client.sendBinary("\x01\x02");
    else
        client.sendText(frame);
    const QJsonObject error = client.waitFor([](const QJsonObject &f) { return type(f) == "error"_L1; });
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    // The socket stays open and the next frame is served.
    client.sendJson(subscribeFrame(kId, 0, true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    QCOMPARE(client.closedCandles(kId).size(), 3);
}

void TestMarketServer::capacityRejectsOnlyThatSeries()
{
    TestCore core(kNowMs, {u"server.max_subscriptions=2"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    QStringList ids;
    for (const QString &symbol : {u"A"_s, u"B"_s, u"C"_s})
        ids << u"file:test:%1:1m"_s.arg(symbol);
    for (const QString &id : ids)
        client.sendJson(subscribeFrame(id, 0, true));
    const QJsonObject error = client.waitFor([](const QJsonObject &f) { return type(f) == "error"_L1; });
    QCOMPARE(error.value("code"_L1).toString(), u"capacity"_s);
    QCOMPARE(error.value("series_id"_L1).toString(), ids.at(2));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, ids.at(1)).isEmpty());
    for (const QString &id : ids)
        QVERIFY(core.ingest(*SeriesId::parse(id), syntheticCandles(at(0), 4)));
    QTRY_COMPARE(client.closedCandles(ids.at(0)).size(), 4);
    QTRY_COMPARE(client.closedCandles(ids.at(1)).size(), 4);
    for (const QJsonObject &f : client.frames()) {
        if (type(f) != "error"_L1)
            QVERIFY(f.value("series_id"_L1).toString() != ids.at(2));
    }
}

void TestMarketServer::concurrentCatchUpsKeepTheirSeries()
{
    // PROTO-14: catch-ups of several series on one connection read at once; each page reaches
    // the subscription that asked for it, whose read tickets count like every other's.
    TestCore core(kNowMs);
    QList<QString> ids;
    QList<CandleList> seeded;
    for (int k = 0; k < 6; ++k) {
        ids << u"file:test:MULTI%1:1m"_s.arg(k);
        CandleList candles = syntheticCandles(at(0), 20 + 5 * k);
        for (Candle &c : candles)
            c.close += k;
        seeded << candles;
        QVERIFY(core.seed(*SeriesId::parse(ids.last()), candles));
    }
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    for (const QString &id : std::as_const(ids))
        client.sendJson(subscribeFrame(id, 0, true));
    // The catch-ups finish in any order.
    const auto caughtUp = [&client](const QString &id) {
        return std::any_of(client.frames().cbegin(), client.frames().cend(), [&id](const QJsonObject &f) {
            return type(f) == "system"_L1 && f.value("event"_L1).toString() == "caught_up"_L1
                   && f.value("series_id"_L1).toString() == id;
        });
    };
    QTRY_VERIFY(std::all_of(ids.cbegin(), ids.cend(), caughtUp));
    for (qsizetype k = 0; k < ids.size(); ++k)
        QCOMPARE(client.closedCandles(ids.at(k)), seeded.at(k));
}

void TestMarketServer::unsubscribeStopsFrames()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, 0, true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    client.sendJson({{u"type"_s, u"unsubscribe"_s}, {u"series_id"_s, kId}});
    QJsonObject ack = client.waitForSystem(u"unsubscribed"_s, kId);
    QCOMPARE(ack.value("data"_L1).toObject().value("was_subscribed"_L1).toBool(), true);
    client.sendJson({{u"type"_s, u"unsubscribe"_s}, {u"series_id"_s, kId}});
    ack = client.waitForSystem(u"unsubscribed"_s, kId);
    QCOMPARE(ack.value("data"_L1).toObject().value("was_subscribed"_L1).toBool(), false);
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(0), 3)));
    // A command round trip orders after any frame the commit could have caused.
    client.sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, u"r1"_s}, {u"name"_s, u"series_list"_s}});
    QVERIFY(!client.waitFor([](const QJsonObject &f) { return type(f) == "result"_L1; }).isEmpty());
    QVERIFY(client.closedCandles(kId).isEmpty());
}

void TestMarketServer::watchIngestErrors()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    CandleList bad = syntheticCandles(at(0), 3);
    bad[1].high = bad[1].low - 1; // high_below_low: rejected and journalled (ING-4)
    QVERIFY(core.ingest(kSeries, bad));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"ingest_errors"_s}});
    const QJsonObject watching = client.waitForSystem(u"watching"_s);
    QVERIFY(!watching.isEmpty());
    QList<QJsonObject> current;
    for (const QJsonObject &f : client.frames()) {
        if (type(f) == "ingest_error"_L1)
            current << f;
    }
    QCOMPARE(current.size(), 1);
    QCOMPARE(current.first().value("step"_L1).toString(), u"validate"_s);
    QVERIFY(!current.first().contains("batch_json"_L1));
    QVERIFY(core.ingest(kSeries, bad.mid(1, 1)));
    const QJsonObject live = client.waitFor([&](const QJsonObject &f) {
        return type(f) == "ingest_error"_L1 && f.value("id"_L1) != current.first().value("id"_L1);
    });
    QCOMPARE(live.value("series_id"_L1).toString(), kId);
}

void TestMarketServer::commands()
{
    TestCore core(kNowMs);
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 20)));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    auto run = [&](const QString &id, const QString &name, const QJsonObject &args, const QString &key = {}) {
        QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
        if (!key.isEmpty())
            frame.insert(u"idempotency_key"_s, key);
        client.sendJson(frame);
        return client.waitFor([&](const QJsonObject &f) {
            return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
        });
    };
    QJsonObject r = run(u"list"_s, u"series_list"_s, {});
    QCOMPARE(r.value("ok"_L1).toBool(), true);
    QCOMPARE(r.value("data"_L1).toObject().value("series"_L1).toArray().size(), 1);
    r = run(u"page"_s, u"candles"_s, {{u"series_id"_s, kId}, {u"limit"_s, 5}});
    QCOMPARE(r.value("data"_L1).toObject().value("candles"_L1).toArray().size(), 5);
    QCOMPARE(r.value("data"_L1).toObject().value("has_more"_L1).toBool(), true);
    r = run(u"unknown"_s, u"frobnicate"_s, {});
    QCOMPARE(r.value("error"_L1).toObject().value("code"_L1).toString(), u"bad_request"_s);
    r = run(u"flags"_s, u"flags_get"_s, {});
    QVERIFY(r.value("data"_L1).toObject().value("flags"_L1).toArray().size() > 20);
    r = run(u"set-nokey"_s, u"flags_set"_s, {{u"key"_s, u"server.catchup_limit"_s}, {u"value"_s, 200}});
    QCOMPARE(r.value("error"_L1).toObject().value("code"_L1).toString(), u"bad_request"_s);
    r = run(u"set"_s, u"flags_set"_s, {{u"key"_s, u"server.catchup_limit"_s}, {u"value"_s, 200}}, u"k1"_s);
    QCOMPARE(r.value("ok"_L1).toBool(), true);
    QCOMPARE(r.value("data"_L1).toObject().value("flag"_L1).toObject().value("source"_L1).toString(), u"runtime"_s);
    r = run(u"set-static"_s, u"flags_set"_s, {{u"key"_s, u"store.url"_s}, {u"value"_s, u"/tmp/x.db"_s}}, u"k2"_s);
    QCOMPARE(r.value("error"_L1).toObject().value("code"_L1).toString(), u"conflict"_s);
    r = run(u"job"_s, u"backfill"_s, {{u"series_id"_s, kId}}, u"k3"_s);
    QCOMPARE(r.value("data"_L1).toObject().value("state"_L1).toString(), u"queued"_s); // IDEM-8
    r = run(u"verify"_s, u"verify"_s, {{u"series_id"_s, kId}}); // a job without a key (IDEM-1)
    QCOMPARE(r.value("data"_L1).toObject().value("state"_L1).toString(), u"queued"_s);
    r = run(u"bad-args"_s, u"series_list"_s, {});
    QCOMPARE(r.value("ok"_L1).toBool(), true);
}

void TestMarketServer::rateLimited()
{
    TestCore core(kNowMs, {u"server.command_rate=1"_s, u"server.command_burst=2"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    for (int i = 0; i < 3; ++i)
        client.sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, u"r%1"_s.arg(i)}, {u"name"_s, u"flags_get"_s}});
    const QJsonObject limited = client.waitFor([](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1) == "r2"_L1;
    });
    QCOMPARE(limited.value("ok"_L1).toBool(), false);
    const QJsonObject error = limited.value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"rate_limited"_s);
    QVERIFY(error.value("data"_L1).toObject().value("retry_after_ms"_L1).toDouble() >= 1);
}

void TestMarketServer::handshakeRefusals()
{
    TestCore core(kNowMs, {u"server.access_token=0123456789abcdef"_s, u"server.allowed_origins=https://ok.example"_s,
                           u"server.max_connections=1"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    QCOMPARE(handshakeStatus(core.url(), {}), QByteArray("HTTP/1.1 401 Unauthorized"));
    QCOMPARE(handshakeStatus(core.url(), "Authorization: Bearer wrong-token-0000\r\n"),
             QByteArray("HTTP/1.1 401 Unauthorized"));
    QCOMPARE(handshakeStatus(core.url(), "Authorization: Bearer 0123456789abcdef\r\nOrigin: https://evil.example\r\n"),
             QByteArray("HTTP/1.1 403 Forbidden"));
    FrameClient first;
    QVERIFY(first.open(core.url(), "0123456789abcdef"));
    QCOMPARE(handshakeStatus(core.url(), "Authorization: Bearer 0123456789abcdef\r\n"),
             QByteArray("HTTP/1.1 503 Service Unavailable"));
}

void TestMarketServer::unknownPathCloses()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start(), qPrintable(core.error()));
    QUrl url = core.url();
    url.setPath(u"/ws/other"_s);
    QWebSocket socket;
    QSignalSpy closed(&socket, &QWebSocket::disconnected);
    socket.open(url);
    QVERIFY(closed.wait(10000));
    QCOMPARE(int(socket.closeCode()), 4404);
}

void TestMarketServer::silentClientIsClosed()
{
    TestCore core(kNowMs);
    QVERIFY2(core.start({50, 200}), qPrintable(core.error()));
    QWebSocket socket;
    QSignalSpy closed(&socket, &QWebSocket::disconnected);
    socket.open(core.url());
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
    // The frozen clock never moves: the server must see silence by its own clock. Move it.
    core.clock().setNowMs(kNowMs + 10 * 60 * 1000);
    QVERIFY(closed.wait(10000));
    QCOMPARE(int(socket.closeCode()), 4408);
}

void TestMarketServer::slowConsumerIsClosed()
{
    // PROTO-22: a client that stops reading while live data piles up past 4x the high-water
    // mark is closed with 4413. Kernel buffers absorb a few MB first, so the commit is large.
    TestCore core((kT0 + 200000 * 60) * 1000, {u"server.send_buffer_high_bytes=262144"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    QTcpSocket socket;
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
    socket.connectToHost(core.url().host(), quint16(core.url().port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /ws/market HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray stream;
    QVERIFY(QTest::qWaitFor([&] {
        stream += socket.readAll();
        return stream.contains("hello");
    }, 10000));
    socket.write(maskedTextFrame(QJsonDocument(subscribeFrame(kId, 0, true)).toJson(QJsonDocument::Compact)));
    QVERIFY(QTest::qWaitFor([&] {
        stream += socket.readAll();
        return stream.contains("caught_up");
    }, 10000));
    socket.setReadBufferSize(1024); // from now on the client reads nothing
    QSignalSpy closing(core.core().server(), &protocol::MarketServer::connectionClosing);
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(0), 100000)));
    QTRY_COMPARE_WITH_TIMEOUT(closing.count(), 1, 30000);
    QCOMPARE(closing.first().at(1).toInt(), 4413);
    socket.setReadBufferSize(0); // reads again: the close frame follows what was queued
    QVERIFY(QTest::qWaitFor([&] {
        stream += socket.readAll();
        return closeCodeIn(stream.mid(stream.indexOf("\r\n\r\n") + 4)) != -1
               || socket.state() == QAbstractSocket::UnconnectedState;
    }, 30000));
    stream += socket.readAll();
    QCOMPARE(closeCodeIn(stream.mid(stream.indexOf("\r\n\r\n") + 4)), 4413);
}

void TestMarketServer::formingIsThrottledAndNeverBelowCursor()
{
    TestCore core(kNowMs, {u"server.forming_throttle_ms=60000"_s});
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 5)));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, 0, true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    protocol::MarketServer *server = core.core().server();
    Candle forming = syntheticCandles(at(5), 1).first();
    server->publishForming(kSeries, syntheticCandles(at(4), 1).first()); // at the cursor: never sent
    server->publishForming(kSeries, forming);                            // first: sent at once
    forming.close += 1;
    server->publishForming(kSeries, forming);                            // within the throttle: held
    const QJsonObject sent = client.waitFor([](const QJsonObject &f) { return type(f) == "candle_forming"_L1; });
    QCOMPARE(qint64(sent.value("candle"_L1).toObject().value("time"_L1).toDouble()), at(5));
    // The closed bar at that time drops the held forming value (PROTO-23).
    QVERIFY(core.ingest(kSeries, syntheticCandles(at(5), 1)));
    client.sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, u"sync"_s}, {u"name"_s, u"series_list"_s}});
    QVERIFY(!client.waitFor([](const QJsonObject &f) { return type(f) == "result"_L1; }).isEmpty());
    int formingFrames = 0;
    for (const QJsonObject &f : client.frames())
        formingFrames += type(f) == "candle_forming"_L1;
    QCOMPARE(formingFrames, 1);
    QCOMPARE(client.closedCandles(kId).size(), 6);
}

void TestMarketServer::holesAreHealedBeforeAnnounced()
{
    // The source has every bar but 40..41; the store lacks 10..14 and 40..44.
    const CandleList source = syntheticCandles(at(0), 40) + syntheticCandles(at(42), 18);
    TestCore core(kNowMs);
    QVERIFY(core.seed(kSeries, syntheticCandles(at(0), 10) + syntheticCandles(at(15), 25)
                                   + syntheticCandles(at(45), 15)));
    FakeHealer healer(core, source);
    core.setHoleHealer(&healer);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, 0, true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    // The first hole was healed before it was reached; the second only partly, and what the
    // source lacks is announced.
    QCOMPARE(sequence(client.frames(), kId).filter(u"g:"_s),
             QStringList{u"g:%1:%2:2:0"_s.arg(at(40)).arg(at(42))});
    QCOMPARE(client.closedCandles(kId), source);
    QCOMPARE(core.stored(kSeries), source);
    QCOMPARE(healer.calls, 2);
}

void TestMarketServer::tailSubscriptionWaitsForCoverage()
{
    // PROTO-13: an empty series, a source with 30 bars: the tail subscription's first page
    // waits for the coverage and brings them all.
    const CandleList source = syntheticCandles(at(0), 30);
    TestCore core(kNowMs);
    FakeHealer healer(core, source);
    core.setHoleHealer(&healer);
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, QJsonValue(), true));
    QVERIFY(!client.waitForSystem(u"caught_up"_s, kId).isEmpty());
    QCOMPARE(healer.tailCalls, 1);
    QCOMPARE(client.closedCandles(kId), source);
}

QTEST_GUILESS_MAIN(TestMarketServer)
#include "tst_marketserver.moc"
