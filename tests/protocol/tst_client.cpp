#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "scriptedserver.h"
#include "silentserver.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using gapless::protocol::Client;
using gapless::protocol::ClientOptions;
namespace serverframe = gapless::protocol::serverframe;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:BTC/USDT:1m");
const SeriesId kOther = *SeriesId::parse(u"binance:spot:ETH/USDT:1m");
const SeriesId kThird = *SeriesId::parse(u"binance:futures:SOL/USDT:1m");

Candle bar(qint64 time, double close = 100)
{
    return Candle{time, close, close + 1, close - 1, close, 10};
}

CandleList bars(std::initializer_list<qint64> times, double close = 100)
{
    CandleList list;
    for (const qint64 t : times)
        list.append(bar(t, close));
    return list;
}

QList<qint64> timesOf(const CandleList &candles)
{
    QList<qint64> times;
    for (const Candle &c : candles)
        times.append(c.time);
    return times;
}

QJsonObject batch(const SeriesId &series, const CandleList &candles)
{
    return serverframe::candlesBatch(series, candles.constData(), candles.size());
}

/// Quick retries, no jitter: each test waits on events, never on the clock.
ClientOptions optionsFor(const QUrl &url)
{
    ClientOptions options;
    options.url = url;
    options.reconnectBaseMs = 10;
    options.reconnectCapMs = 100;
    options.random = [] { return 0.0; };
    return options;
}

QJsonObject argsOf(const QJsonObject &command)
{
    return command.value("args"_L1).toObject();
}

} // namespace

class TestClient final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reconnectDelay_data();
    void reconnectDelay();
    void sendsBearerToken_data();
    void sendsBearerToken();
    void subscribeFrameCarriesSinceAndBatch();
    void statesFollowConnectionAndCatchUp();
    void appendsClosedAndDropsDuplicates();
    void formingOnlySignals();
    void resubscribesFromNewestHeldAfterDrop();
    void rewatchesAfterDrop();
    void commandInFlightFailsUnavailable();
    void commandAnswersReachCaller();
    void healedGapFetchesAndMergesPages();
    void historyRewrittenReplacesRange();
    void rejectedSubscriptionDoesNotHoldResync();
    void unsubscribeForgetsSeries();
    void silenceTriggersReconnect();
    void backoffResetsAfterStableConnection_data();
    void backoffResetsAfterStableConnection();
};

void TestClient::initTestCase()
{
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
}

void TestClient::reconnectDelay_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<double>("u");
    QTest::addColumn<qint64>("expected");
    // PROTO-29 with base 500, cap 30000: min(cap, base*2^n) * (0.5 + u/2).
    const qint64 ceilings[] = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000};
    for (int n = 0; n <= 10; ++n) {
        QTest::addRow("n=%d u=0", n) << n << 0.0 << ceilings[n] / 2;
        QTest::addRow("n=%d u->1", n) << n << 0.999999 << static_cast<qint64>(std::floor(ceilings[n] * 0.9999995));
    }
    QTest::addRow("n=1 u=0.5") << 1 << 0.5 << qint64(750);
    QTest::addRow("cap reached exactly, n=6") << 6 << 0.0 << qint64(15000);
    QTest::addRow("huge n stays at cap") << 1000 << 0.0 << qint64(15000);
    QTest::addRow("negative n counts as 0") << -3 << 0.0 << qint64(250);
}

void TestClient::reconnectDelay()
{
    QFETCH(int, failures);
    QFETCH(double, u);
    QFETCH(qint64, expected);
    QCOMPARE(protocol::reconnectDelayMs(failures, 500, 30000, u), expected);
}

void TestClient::sendsBearerToken_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("token set") << u"s3cret-token-0123456789"_s << QByteArray("Bearer s3cret-token-0123456789");
    QTest::addRow("no token") << QString() << QByteArray();
}

void TestClient::sendsBearerToken()
{
    // SEC-1
    QFETCH(QString, token);
    QFETCH(QByteArray, expected);
    ScriptedServer server;
    QVERIFY(server.listen());
    ClientOptions options = optionsFor(server.url());
    options.token = token;
    Client client(options);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    QCOMPARE(server.connectionCount(), 1);
    const QNetworkRequest request = server.handshake(0);
    QCOMPARE(request.hasRawHeader("Authorization"), !expected.isEmpty());
    QCOMPARE(request.rawHeader("Authorization"), expected);
}

void TestClient::subscribeFrameCarriesSinceAndBatch()
{
    // PROTO-4 table, PROTO-30
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy hello(&client, &Client::helloReceived);
    client.subscribe(kSeries, 1000);
    client.subscribe(kOther);
    client.open();
    QTRY_COMPARE(server.frames(0, u"subscribe").size(), 2);
    QTRY_COMPARE(hello.count(), 1);
    QCOMPARE(client.hello().value("server_version"_L1).toString(), u"scripted"_s);

    QJsonObject withSince;
    QJsonObject tail;
    for (const QJsonObject &frame : server.frames(0, u"subscribe"))
        (frame.value("series_id"_L1).toString() == kSeries.toString() ? withSince : tail) = frame;
    QCOMPARE(withSince.value("since"_L1), QJsonValue(1000));
    QCOMPARE(withSince.value("supports_batch"_L1), QJsonValue(true));
    QCOMPARE(withSince.value("v"_L1), QJsonValue(1));
    QCOMPARE(tail.value("series_id"_L1).toString(), kOther.toString());
    QVERIFY(tail.contains("since"_L1));
    QVERIFY(tail.value("since"_L1).isNull());
    QCOMPARE(tail.value("supports_batch"_L1), QJsonValue(true));
    QCOMPARE(client.subscriptions().size(), 2);
}

void TestClient::statesFollowConnectionAndCatchUp()
{
    // PROTO-29
    ScriptedServer server;
    server.setAutoCatchUp(false);
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy states(&client, &Client::stateChanged);
    QSignalSpy caughtUp(&client, &Client::caughtUp);
    QCOMPARE(client.state(), Client::State::Disconnected);
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(server.frames(0, u"subscribe").size(), 1);
    QCOMPARE(client.state(), Client::State::Resyncing);
    QVERIFY(!client.isCaughtUp(kSeries));

    server.send(serverframe::system(u"caught_up"_s, kSeries, QString(), {{u"cursor"_s, 0}, {u"sent"_s, 0}}));
    QTRY_COMPARE(client.state(), Client::State::Live);
    QVERIFY(client.isCaughtUp(kSeries));
    QCOMPARE(caughtUp.count(), 1);
    QCOMPARE(caughtUp.at(0).at(0).value<SeriesId>(), kSeries);

    server.closeClient();
    QTRY_COMPARE(client.state(), Client::State::Resyncing);
    QVERIFY(!client.isCaughtUp(kSeries));
    const QList<Client::State> expected{Client::State::Connecting, Client::State::Resyncing, Client::State::Live,
                                        Client::State::Disconnected, Client::State::Connecting,
                                        Client::State::Resyncing};
    QList<Client::State> seen;
    for (const QList<QVariant> &args : std::as_const(states))
        seen.append(args.at(0).value<Client::State>());
    QCOMPARE(seen, expected);
}

void TestClient::appendsClosedAndDropsDuplicates()
{
    // PROTO-31
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy closed(&client, &Client::candleClosed);
    QSignalSpy batches(&client, &Client::candlesReceived);
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);

    server.send(batch(kSeries, bars({60, 120, 180})));
    server.send(serverframe::candleClosed(kSeries, bar(240)));
    server.send(serverframe::candleClosed(kSeries, bar(180, 999)));
    server.send(batch(kSeries, bars({180, 240, 300}, 555)));
    QTRY_COMPARE(timesOf(client.candles(kSeries)), (QList<qint64>{60, 120, 180, 240, 300}));
    QCOMPARE(client.duplicatesDropped(), 3);
    QCOMPARE(client.candles(kSeries).at(2), bar(180));
    QCOMPARE(client.candles(kSeries).at(4), bar(300, 555));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(1).value<Candle>(), bar(240));
    QCOMPARE(batches.count(), 2);
    QCOMPARE(timesOf(batches.at(1).at(1).value<CandleList>()), QList<qint64>{300});
}

void TestClient::formingOnlySignals()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy forming(&client, &Client::candleForming);
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    server.send(serverframe::candleForming(kSeries, bar(60)));
    QVERIFY(forming.wait());
    QCOMPARE(forming.at(0).at(1).value<Candle>(), bar(60));
    QVERIFY(client.candles(kSeries).isEmpty());
    QCOMPARE(client.duplicatesDropped(), 0);
}

void TestClient::resubscribesFromNewestHeldAfterDrop()
{
    // PROTO-30
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    client.subscribe(kSeries, 0);
    client.subscribe(kOther);
    client.subscribe(kThird, 500);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    server.send(batch(kSeries, bars({60, 120})));
    server.send(serverframe::candleClosed(kSeries, bar(180)));
    QTRY_COMPARE(client.candles(kSeries).size(), 3);

    server.closeClient();
    QTRY_COMPARE(server.connectionCount(), 2);
    QTRY_COMPARE(server.frames(1, u"subscribe").size(), 3);
    QTRY_COMPARE(client.state(), Client::State::Live);
    QHash<QString, QJsonObject> bySeries;
    for (const QJsonObject &frame : server.frames(1, u"subscribe"))
        bySeries.insert(frame.value("series_id"_L1).toString(), frame);
    QCOMPARE(bySeries.value(kSeries.toString()).value("since"_L1), QJsonValue(180));
    QVERIFY(bySeries.value(kOther.toString()).value("since"_L1).isNull());
    QCOMPARE(bySeries.value(kThird.toString()).value("since"_L1), QJsonValue(500));
    for (const QJsonObject &frame : std::as_const(bySeries))
        QCOMPARE(frame.value("supports_batch"_L1), QJsonValue(true));

    server.send(batch(kSeries, bars({180, 240})));
    QTRY_COMPARE(client.candles(kSeries).size(), 4);
    QCOMPARE(client.duplicatesDropped(), 1);
}

void TestClient::rewatchesAfterDrop()
{
    // PROTO-30
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    client.watch(protocol::WatchTopic::Health);
    client.watch(protocol::WatchTopic::Progress, kSeries);
    client.watch(protocol::WatchTopic::Jobs);
    client.open();
    QTRY_COMPARE(server.frames(0, u"watch").size(), 3);
    client.unwatch(protocol::WatchTopic::Jobs);
    QTRY_COMPARE(server.frames(0, u"unwatch").size(), 1);

    server.closeClient();
    QTRY_COMPARE(server.frames(1, u"watch").size(), 2);
    const QList<QJsonObject> watches = server.frames(1, u"watch");
    QCOMPARE(watches.at(0).value("topic"_L1).toString(), u"health"_s);
    QVERIFY(!watches.at(0).contains("series_id"_L1));
    QCOMPARE(watches.at(1).value("topic"_L1).toString(), u"progress"_s);
    QCOMPARE(watches.at(1).value("series_id"_L1).toString(), kSeries.toString());
}

void TestClient::commandInFlightFailsUnavailable()
{
    // PROTO-30
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy results(&client, &Client::resultReceived);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    const QString id = client.sendCommand(u"backfill"_s, {{u"series_id"_s, kSeries.toString()}}, u"key-1"_s);
    QTRY_COMPARE(server.frames(0, u"command").size(), 1);
    QCOMPARE(server.frames(0, u"command").at(0).value("request_id"_L1).toString(), id);

    server.closeClient();
    QTRY_COMPARE(results.count(), 1);
    QCOMPARE(results.at(0).at(0).toString(), id);
    QCOMPARE(results.at(0).at(1).toBool(), false);
    QVERIFY(results.at(0).at(2).value<QJsonValue>().isNull());
    const auto error = results.at(0).at(3).value<Error>();
    QCOMPARE(error.code, ErrorCode::Unavailable);
    QVERIFY2(error.message.contains(id), qPrintable(error.message));

    client.close();
    QCOMPARE(client.state(), Client::State::Disconnected);
    const QString offline = client.sendCommand(u"series_list"_s);
    QTRY_COMPARE(results.count(), 2);
    QCOMPARE(results.at(1).at(0).toString(), offline);
    QCOMPARE(results.at(1).at(3).value<Error>().code, ErrorCode::Unavailable);
}

void TestClient::commandAnswersReachCaller()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy results(&client, &Client::resultReceived);
    QSignalSpy errors(&client, &Client::errorReceived);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    const QString first = client.sendCommand(u"series_list"_s);
    const QString second = client.sendCommand(u"backfill"_s, {{u"series_id"_s, kSeries.toString()}}, u"key-7"_s);
    QTRY_COMPARE(server.frames(0, u"command").size(), 2);
    const QJsonObject command = server.frames(0, u"command").at(1);
    QCOMPARE(command.value("name"_L1).toString(), u"backfill"_s);
    QCOMPARE(argsOf(command).value("series_id"_L1).toString(), kSeries.toString());
    QCOMPARE(command.value("idempotency_key"_L1).toString(), u"key-7"_s);

    server.send(serverframe::result(first, QJsonObject{{u"series"_s, QJsonArray()}}));
    server.send(serverframe::failure(second, Error{ErrorCode::RateLimited, u"commands: over 5/s"_s},
                                     {{u"retry_after_ms"_s, 250}}));
    server.send(serverframe::error(Error::badRequest(u"topic: got \"x\"; expected health"_s)));
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(results.count(), 2);
    QCOMPARE(results.at(0).at(0).toString(), first);
    QVERIFY(results.at(0).at(1).toBool());
    QVERIFY(results.at(0).at(2).value<QJsonValue>().toObject().contains("series"_L1));
    QCOMPARE(results.at(1).at(0).toString(), second);
    QVERIFY(!results.at(1).at(1).toBool());
    QCOMPARE(results.at(1).at(2).value<QJsonValue>().toObject().value("retry_after_ms"_L1), QJsonValue(250));
    QCOMPARE(results.at(1).at(3).value<Error>(), (Error{ErrorCode::RateLimited, u"commands: over 5/s"_s}));
    QCOMPARE(errors.at(0).at(0).value<Error>().code, ErrorCode::BadRequest);

    // Answered commands are not failed again when the connection drops.
    QSignalSpy scheduled(&client, &Client::reconnectScheduled);
    server.closeClient();
    QTRY_COMPARE(scheduled.count(), 1);
    QCOMPARE(results.count(), 2);
}

void TestClient::healedGapFetchesAndMergesPages()
{
    // PROTO-19, PROTO-31
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy gaps(&client, &Client::gapReceived);
    QSignalSpy merged(&client, &Client::rangeMerged);
    QSignalSpy results(&client, &Client::resultReceived);
    QSignalSpy closed(&client, &Client::candleClosed);
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    server.send(batch(kSeries, bars({60, 120})));
    server.send(serverframe::gap(kSeries, 180, 360, 3, false));
    server.send(serverframe::candleClosed(kSeries, bar(360)));
    QTRY_COMPARE(client.candles(kSeries).size(), 3);
    QCOMPARE(gaps.count(), 1);
    QCOMPARE(server.frames(0, u"command").size(), 0);

    server.send(serverframe::gap(kSeries, 180, 360, 0, true));
    QTRY_COMPARE(server.frames(0, u"command").size(), 1);
    const QJsonObject first = server.frames(0, u"command").at(0);
    QCOMPARE(first.value("name"_L1).toString(), u"candles"_s);
    QCOMPARE(argsOf(first), (QJsonObject{{u"series_id"_s, kSeries.toString()},
                                         {u"after"_s, 120},
                                         {u"before"_s, 360},
                                         {u"limit"_s, 5000}}));
    QCOMPARE(gaps.count(), 2);
    QCOMPARE(gaps.at(1).at(4).toBool(), true);

    const CandleList page1 = bars({180, 240}, 7);
    server.send(serverframe::result(first.value("request_id"_L1).toString(),
                                    QJsonObject{{u"series_id"_s, kSeries.toString()},
                                                {u"candles"_s, serverframe::candlesJson(page1.constData(), 2)},
                                                {u"has_more"_s, true}}));
    QTRY_COMPARE(server.frames(0, u"command").size(), 2);
    const QJsonObject second = server.frames(0, u"command").at(1);
    QCOMPARE(argsOf(second).value("after"_L1), QJsonValue(240));
    QCOMPARE(argsOf(second).value("before"_L1), QJsonValue(360));
    QCOMPARE(merged.count(), 0);

    const Candle page2 = bar(300, 7);
    server.send(serverframe::result(second.value("request_id"_L1).toString(),
                                    QJsonObject{{u"series_id"_s, kSeries.toString()},
                                                {u"candles"_s, serverframe::candlesJson(&page2, 1)},
                                                {u"has_more"_s, false}}));
    QTRY_COMPARE(merged.count(), 1);
    QCOMPARE(merged.at(0).at(1).toLongLong(), 180);
    QCOMPARE(merged.at(0).at(2).toLongLong(), 300);
    QCOMPARE(timesOf(client.candles(kSeries)), (QList<qint64>{60, 120, 180, 240, 300, 360}));
    QCOMPARE(client.candles(kSeries).at(3), bar(240, 7));
    QCOMPARE(closed.count(), 4); // 360 from the stream, then 180, 240, 300 from the fetch
    QCOMPARE(results.count(), 0);
    QCOMPARE(client.duplicatesDropped(), 0);
}

void TestClient::historyRewrittenReplacesRange()
{
    // PROTO-19, PROTO-31
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy merged(&client, &Client::rangeMerged);
    QSignalSpy results(&client, &Client::resultReceived);
    QSignalSpy events(&client, &Client::systemEvent);
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    server.send(batch(kSeries, bars({60, 120, 180, 240, 300})));
    QTRY_COMPARE(client.candles(kSeries).size(), 5);

    server.send(serverframe::system(u"history_rewritten"_s, kSeries, u"repaired"_s,
                                    {{u"from_time"_s, 120}, {u"to_time"_s, 180}}));
    QTRY_COMPARE(server.frames(0, u"command").size(), 1);
    const QJsonObject command = server.frames(0, u"command").at(0);
    QCOMPARE(argsOf(command).value("after"_L1), QJsonValue(119));
    QCOMPARE(argsOf(command).value("before"_L1), QJsonValue(181));
    QCOMPARE(argsOf(command).value("limit"_L1), QJsonValue(5000));

    const CandleList rewritten = bars({120, 180}, 42);
    server.send(serverframe::result(command.value("request_id"_L1).toString(),
                                    QJsonObject{{u"series_id"_s, kSeries.toString()},
                                                {u"candles"_s, serverframe::candlesJson(rewritten.constData(), 2)},
                                                {u"has_more"_s, false}}));
    QTRY_COMPARE(merged.count(), 1);
    QCOMPARE(merged.at(0).at(1).toLongLong(), 120);
    QCOMPARE(merged.at(0).at(2).toLongLong(), 180);
    const CandleList expected{bar(60), bar(120, 42), bar(180, 42), bar(240), bar(300)};
    QCOMPARE(client.candles(kSeries), expected);
    QCOMPARE(results.count(), 0);
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.constLast().at(0).toString(), u"history_rewritten"_s);
}

void TestClient::rejectedSubscriptionDoesNotHoldResync()
{
    // PROTO-6: an `error` answers the subscribe; the others still decide when the client is live.
    ScriptedServer server;
    server.setAutoCatchUp(false);
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    QSignalSpy errors(&client, &Client::errorReceived);
    client.subscribe(kSeries, 0);
    client.subscribe(kOther, 0);
    client.open();
    QTRY_COMPARE(server.frames(0, u"subscribe").size(), 2);
    server.send(serverframe::error(Error{ErrorCode::Capacity, u"subscriptions: 101; expected at most 100"_s},
                                   kOther.toString()));
    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(client.state(), Client::State::Resyncing);
    server.send(serverframe::system(u"caught_up"_s, kSeries, QString(), {}));
    QTRY_COMPARE(client.state(), Client::State::Live);
    QVERIFY(client.isCaughtUp(kSeries));
    QVERIFY(!client.isCaughtUp(kOther));
    QCOMPARE(errors.at(0).at(0).value<Error>().code, ErrorCode::Capacity);
    QCOMPARE(errors.at(0).at(1).toString(), kOther.toString());
}

void TestClient::unsubscribeForgetsSeries()
{
    // PROTO-24
    ScriptedServer server;
    QVERIFY(server.listen());
    Client client(optionsFor(server.url()));
    client.subscribe(kSeries, 0);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    server.send(batch(kSeries, bars({60, 120})));
    QTRY_COMPARE(client.candles(kSeries).size(), 2);

    client.unsubscribe(kSeries);
    QVERIFY(client.candles(kSeries).isEmpty());
    QVERIFY(client.subscriptions().isEmpty());
    QTRY_COMPARE(server.frames(0, u"unsubscribe").size(), 1);
    QCOMPARE(server.frames(0, u"unsubscribe").at(0).value("series_id"_L1).toString(), kSeries.toString());

    // A frame still in flight before the ack belongs to the old subscription.
    client.subscribe(kSeries, 0);
    server.send(serverframe::candleClosed(kSeries, bar(180)));
    server.send(serverframe::system(u"unsubscribed"_s, kSeries, QString(), {{u"was_subscribed"_s, true}}));
    server.send(batch(kSeries, bars({60, 120})));
    QTRY_COMPARE(timesOf(client.candles(kSeries)), (QList<qint64>{60, 120}));
    QCOMPARE(client.duplicatesDropped(), 0);
    QVERIFY(client.candles(kThird).isEmpty());
}

void TestClient::silenceTriggersReconnect()
{
    // PROTO-28, PROTO-29
    SilentServer server;
    QVERIFY(server.listen());
    ClientOptions options = optionsFor(QUrl(u"ws://127.0.0.1:%1/ws/market"_s.arg(server.port())));
    options.pingIntervalMs = 20;
    options.silenceTimeoutMs = 300;
    Client client(options);
    QSignalSpy states(&client, &Client::stateChanged);
    client.open();
    QTRY_COMPARE(client.state(), Client::State::Live);
    QTRY_VERIFY(server.connectionCount() >= 2);
    QVERIFY(server.pings(0) >= 1);
    QList<Client::State> seen;
    for (const QList<QVariant> &args : std::as_const(states))
        seen.append(args.at(0).value<Client::State>());
    QVERIFY(seen.size() >= 4);
    QCOMPARE(seen.mid(0, 4), (QList<Client::State>{Client::State::Connecting, Client::State::Live,
                                                   Client::State::Disconnected, Client::State::Connecting}));
}

void TestClient::backoffResetsAfterStableConnection_data()
{
    QTest::addColumn<int>("stableAfterMs");
    QTest::addColumn<bool>("resets");
    QTest::addRow("stable connection resets") << 0 << true;
    QTest::addRow("short connection counts on") << 600000 << false;
}

void TestClient::backoffResetsAfterStableConnection()
{
    // PROTO-29
    QFETCH(int, stableAfterMs);
    QFETCH(bool, resets);
    ScriptedServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    server.stop();
    ClientOptions options = optionsFor(server.url());
    options.reconnectCapMs = 100000;
    options.stableAfterMs = stableAfterMs;
    Client client(options);
    QSignalSpy scheduled(&client, &Client::reconnectScheduled);
    client.open();
    QTRY_VERIFY(scheduled.count() >= 3);
    QVERIFY(server.listen(port));
    QTRY_COMPARE(client.state(), Client::State::Live);
    const int refused = static_cast<int>(scheduled.count());
    for (int i = 0; i < refused; ++i) {
        QCOMPARE(scheduled.at(i).at(0).toInt(), i);
        QCOMPARE(scheduled.at(i).at(1).toLongLong(), protocol::reconnectDelayMs(i, 10, 100000, 0));
    }

    server.closeClient();
    QTRY_COMPARE(scheduled.count(), refused + 1);
    QCOMPARE(scheduled.constLast().at(0).toInt(), resets ? 0 : refused);
}

QTEST_GUILESS_MAIN(TestClient)
#include "tst_client.moc"
