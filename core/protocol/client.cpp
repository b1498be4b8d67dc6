#include "core/protocol/client.h"

#include "core/protocol/clientframe.h"
#include "core/protocol/clientprivate.h"
#include "core/protocol/serverframes.h"
#include "core/runtime/logging.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

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

} // namespace gapless::protocol
