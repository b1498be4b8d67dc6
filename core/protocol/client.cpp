#include "core/protocol/client.h"

#include "core/protocol/clientconnection.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/rangefetches.h"
#include "core/protocol/seriessubscriptions.h"
#include "core/protocol/serverframes.h"
#include "core/runtime/logging.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::protocol {


struct Client::WatchKey
{
    WatchTopic topic = WatchTopic::Health;
    QString series; ///< empty = every series

    friend bool operator==(const WatchKey &, const WatchKey &) = default;
};

struct Client::Private
{
    explicit Private(ClientOptions options) : connection(std::move(options)) {}

    ClientConnection connection;
    SeriesSubscriptions subscriptions;
    QList<WatchKey> watches;
    QStringList pendingCommands;
    RangeFetches fetches;
    qint64 lastRequestNumber = 0;
};

namespace {

// Holes closer than this many bars are fetched again as one range after a reconnect.
constexpr qint64 kHoleFetchBars = 5000;

Error errorFromJson(const QJsonObject &json)
{
    Error error{ErrorCode::Internal, json.value("message"_L1).toString()};
    if (!errorCodeFromName(json.value("code"_L1).toString(), &error.code))
        error.code = ErrorCode::Internal;
    return error;
}

} // namespace

Client::Client(ClientOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(options)))
{
    ClientConnection *connection = &d->connection;
    connect(connection, &ClientConnection::connecting, this, [this] { setState(State::Connecting); });
    connect(connection, &ClientConnection::connected, this, &Client::handleConnected);
    connect(connection, &ClientConnection::dropped, this, &Client::handleDropped);
    connect(connection, &ClientConnection::textReceived, this, &Client::handleText);
}

Client::~Client()
{
    d->connection.disconnect(this);
}

void Client::open()
{
    d->connection.open();
}

void Client::close()
{
    d->connection.close();
}

void Client::abortConnection()
{
    d->connection.abort(u"aborted by the client"_s);
}

void Client::subscribe(const SeriesId &series, std::optional<qint64> since)
{
    d->subscriptions.add(series, since);
    if (d->connection.isConnected()) {
        sendFrame(d->subscriptions.subscribeFrame(series.toString()));
        updateSyncState();
    }
}

void Client::unsubscribe(const SeriesId &series)
{
    const bool connected = d->connection.isConnected();
    if (!d->subscriptions.remove(series, connected))
        return;
    d->fetches.forget(series.toString());
    if (connected) {
        ClientFrame frame;
        frame.type = MessageType::Unsubscribe;
        frame.series = series;
        frame.hasSeries = true;
        sendFrame(encodeClientFrame(frame));
        updateSyncState();
    }
}

void Client::watch(WatchTopic topic, const std::optional<SeriesId> &series)
{
    const WatchKey key{topic, series ? series->toString() : QString()};
    if (!d->watches.contains(key))
        d->watches.append(key);
    if (d->connection.isConnected())
        sendWatch(MessageType::Watch, key);
}

void Client::unwatch(WatchTopic topic, const std::optional<SeriesId> &series)
{
    const WatchKey key{topic, series ? series->toString() : QString()};
    d->watches.removeAll(key);
    if (d->connection.isConnected())
        sendWatch(MessageType::Unwatch, key);
}

QString Client::sendCommand(const QString &name, const QJsonObject &args, const std::optional<QString> &idempotencyKey)
{
    const QString requestId = u"cmd-%1"_s.arg(++d->lastRequestNumber);
    if (!d->connection.isConnected()) {
        // Queued, so that the caller holds the id before its answer arrives.
        QMetaObject::invokeMethod(
            this, [this, requestId] { failCommand(requestId, u"not connected"_s); }, Qt::QueuedConnection);
        return requestId;
    }
    d->pendingCommands.append(requestId);
    ClientFrame frame;
    frame.type = MessageType::Command;
    frame.requestId = requestId;
    frame.name = name;
    frame.args = args;
    frame.idempotencyKey = idempotencyKey;
    sendFrame(encodeClientFrame(frame));
    return requestId;
}

const CandleList &Client::candles(const SeriesId &series) const
{
    static const CandleList kEmpty;
    const auto *entry = d->subscriptions.find(series.toString());
    return entry ? entry->held.list() : kEmpty;
}

QList<SeriesId> Client::subscriptions() const
{
    return d->subscriptions.ids();
}

bool Client::isIdle() const
{
    return d->fetches.pending() == 0;
}

bool Client::isCaughtUp(const SeriesId &series) const
{
    const auto *entry = d->subscriptions.find(series.toString());
    return d->connection.isConnected() && entry && entry->caughtUp;
}

void Client::handleConnected()
{
    for (const QJsonObject &subscribe : d->subscriptions.subscribeFrames())
        sendFrame(subscribe);
    for (const WatchKey &key : std::as_const(d->watches))
        sendWatch(MessageType::Watch, key);
    for (const QJsonObject &fetch : d->fetches.resume())
        sendFrame(fetch);
    updateSyncState();
}

void Client::handleDropped(const QString &reason, int failures, qint64 delayMs)
{
    d->subscriptions.resetForConnection();
    d->fetches.suspend();
    const QStringList failed = std::exchange(d->pendingCommands, {});
    setState(State::Disconnected);
    if (delayMs >= 0)
        emit reconnectScheduled(failures, delayMs);
    for (const QString &requestId : failed)
        failCommand(requestId, u"connection ended (%1)"_s.arg(reason));
}

void Client::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void Client::updateSyncState()
{
    if (!d->connection.isConnected())
        return;
    setState(d->subscriptions.allAnswered() ? State::Live : State::Resyncing);
}

void Client::sendFrame(const QJsonObject &frame)
{
    d->connection.sendText(serverframe::text(frame));
}

void Client::sendWatch(MessageType type, const WatchKey &key)
{
    ClientFrame frame;
    frame.type = type;
    frame.topic = key.topic;
    if (!key.series.isEmpty()) {
        if (const auto series = SeriesId::parse(key.series)) {
            frame.series = *series;
            frame.hasSeries = true;
        }
    }
    sendFrame(encodeClientFrame(frame));
}

void Client::failCommand(const QString &requestId, const QString &reason)
{
    emit resultReceived(requestId, false, QJsonValue(),
                        Error::unavailable(u"command %1: %2 before its result; expected a connected server, "
                                           "retry with the same idempotency key"_s.arg(requestId, reason)),
                        false);
}

void Client::handleText(const QString &text)
{
    const auto frame = decodeServerFrame(text.toUtf8());
    if (!frame) {
        qCWarning(lcProtocol) << "client: ignored a frame:" << frame.error().message;
        return;
    }
    const QJsonObject &json = frame->json;
    switch (frame->type) {
    case MessageType::Hello:
        m_hello = json;
        emit helloReceived(json);
        break;
    case MessageType::CandleClosed:
    case MessageType::CandleForming:
    case MessageType::CandlesBatch:
        handleCandles(frame->type, json);
        break;
    case MessageType::Gap:
        handleGap(json);
        break;
    case MessageType::Health:
        emit healthReceived(json);
        break;
    case MessageType::Progress:
        emit progressReceived(json);
        break;
    case MessageType::IngestError:
        emit ingestErrorReceived(json);
        break;
    case MessageType::Job:
        emit jobReceived(json);
        break;
    case MessageType::DebugEvent:
        emit debugEventReceived(json);
        break;
    case MessageType::Result:
        handleResult(json);
        break;
    case MessageType::System:
        handleSystem(json);
        break;
    case MessageType::Error:
        handleError(json);
        break;
    default: // decodeServerFrame refuses client frame types
        break;
    }
}

void Client::handleCandles(MessageType type, const QJsonObject &frame)
{
    const bool batch = type == MessageType::CandlesBatch;
    const auto candles = candlesFromJson(batch ? frame.value("candles"_L1) : QJsonArray{frame.value("candle"_L1)});
    if (!candles) {
        qCWarning(lcProtocol) << "client: ignored a" << messageTypeName(type) << "frame:" << candles.error().message;
        return;
    }
    auto *entry = d->subscriptions.active(frame.value("series_id"_L1).toString());
    if (!entry)
        return;
    const SeriesId series = entry->series;
    if (type == MessageType::CandleForming) {
        emit candleForming(series, candles->constFirst());
        return;
    }
    CandleList added;
    for (const Candle &candle : *candles) {
        if (entry->held.append(candle))
            added.append(candle);
        else
            ++m_duplicatesDropped;
    }
    if (added.size() < candles->size())
        qCDebug(lcProtocol) << "client:" << series.toString() << "dropped" << candles->size() - added.size()
                            << "closed candles at or before the newest held";
    if (added.isEmpty())
        return;
    if (batch)
        emit candlesReceived(series, added);
    else
        emit candleClosed(series, added.constFirst());
}

void Client::handleGap(const QJsonObject &frame)
{
    auto *entry = d->subscriptions.active(frame.value("series_id"_L1).toString());
    if (!entry)
        return;
    const SeriesId series = entry->series;
    const qint64 expected = frame.value("expected_next_time"_L1).toInteger();
    const qint64 actual = frame.value("actual_time"_L1).toInteger();
    const bool healed = frame.value("healed"_L1).toBool();
    const qint64 missing = frame.value("missing_bars"_L1).toInteger();
    if (!healed)
        entry->openHoles.insert(expected, actual);
    else if (missing == 0)
        entry->openHoles.remove(expected);
    if (healed) {
        // PROTO-31: the bar before the hole bounds the fetch; both bounds are exclusive.
        const qint64 tf = series.timeframe().seconds();
        sendFrame(d->fetches.start({series, expected - tf, actual, expected, std::max(expected, actual - tf)}));
    }
    emit gapReceived(series, expected, actual, missing, healed);
}

void Client::handleSystem(const QJsonObject &frame)
{
    const QString event = frame.value("event"_L1).toString();
    const QString seriesId = frame.value("series_id"_L1).toString();
    const QJsonObject data = frame.value("data"_L1).toObject();
    std::optional<SeriesId> caughtUpSeries;
    if (event == "caught_up"_L1) {
        if (d->subscriptions.acknowledge(seriesId)) {
            auto *entry = d->subscriptions.active(seriesId);
            caughtUpSeries = entry->series;
            // Rows may have filled announced holes while the client was away; the server
            // never re-sends below the cursor (PROTO-12), so fetch those holes again.
            if (entry->recheckHoles) {
                const qint64 tf = entry->series.timeframe().seconds();
                for (const auto &[expected, actual] : SeriesSubscriptions::holeRanges(*entry, kHoleFetchBars))
                    sendFrame(d->fetches.start({entry->series, expected - tf, actual, expected, actual - tf}));
            }
        }
    } else if (event == "unsubscribed"_L1) {
        if (d->subscriptions.acknowledgeUnsubscribe(seriesId))
            d->fetches.forget(seriesId);
    } else if (event == "history_rewritten"_L1) {
        qint64 from = data.value("from_time"_L1).toInteger(-1);
        qint64 to = data.value("to_time"_L1).toInteger(-1);
        const auto *entry = d->subscriptions.active(seriesId);
        // Only the part inside the held range matters: the client keeps what it has, from its
        // first candle on (PROTO-32). Exclusive bounds one second outside, so both ends are read.
        if (entry && !entry->held.list().isEmpty()) {
            from = std::max(from, entry->held.list().constFirst().time);
            to = std::min(to, entry->held.list().constLast().time);
        }
        if (entry && from >= 0 && to >= from)
            sendFrame(d->fetches.start({entry->series, from - 1, to + 1, from, to}));
    }
    if (caughtUpSeries)
        emit caughtUp(*caughtUpSeries, data);
    updateSyncState();
    emit systemEvent(event, seriesId, frame.value("message"_L1).toString(), data);
}

void Client::handleResult(const QJsonObject &frame)
{
    if (const auto page = d->fetches.take(frame)) {
        auto *entry = d->subscriptions.active(page->range.series.toString());
        if (!entry)
            return;
        if (page->error) {
            qCWarning(lcProtocol) << "client: range fetch failed:" << *page->error;
            return;
        }
        if (page->next)
            sendFrame(*page->next);
        const auto outcome = entry->held.merge(page->candles);
        const SeriesId series = page->range.series;
        for (const Candle &candle : outcome.inserted)
            emit candleClosed(series, candle);
        if (!page->next)
            emit rangeMerged(series, page->range.fromTime, page->range.toTime);
        return;
    }
    const QString requestId = frame.value("request_id"_L1).toString();
    d->pendingCommands.removeOne(requestId);
    const bool ok = frame.value("ok"_L1).toBool();
    const QJsonObject error = frame.value("error"_L1).toObject();
    // A failure's `data` (retry_after_ms …) travels in the data argument; Error has no room for it.
    emit resultReceived(requestId, ok, ok ? frame.value("data"_L1) : error.value("data"_L1),
                        ok ? Error{} : errorFromJson(error), frame.value("replayed"_L1).toBool());
}

void Client::handleError(const QJsonObject &frame)
{
    const QString seriesId = frame.value("series_id"_L1).toString();
    const QString requestId = frame.value("request_id"_L1).toString();
    if (!seriesId.isEmpty())
        d->subscriptions.reject(seriesId);
    if (!requestId.isEmpty() && !d->fetches.cancel(requestId))
        d->pendingCommands.removeOne(requestId);
    updateSyncState();
    emit errorReceived(errorFromJson(frame), seriesId, requestId);
}

} // namespace gapless::protocol
