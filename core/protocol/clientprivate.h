#pragma once

#include "core/protocol/client.h"
#include "core/protocol/clientconnection.h"
#include "core/protocol/rangefetches.h"
#include "core/protocol/seriessubscriptions.h"

#include <QStringList>

namespace gapless::protocol {

// Client's state, shared by client.cpp (API and connection) and clientframes.cpp (frames).
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

} // namespace gapless::protocol
