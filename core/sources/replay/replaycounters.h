#pragma once

#include <QJsonObject>
#include <QMap>

namespace gapless::sources {

/// What a replay exchange has done, for `GET /_replay/state` (SRC-18) and for tests.
struct ReplayCounters
{
    qint64 requests = 0;           ///< REST requests (all but /_replay/* and upgrades)
    QMap<int, qint64> replies;     ///< REST replies by status
    qint64 inFlight = 0;           ///< REST requests received and not yet answered
    qint64 maxInFlight = 0;
    qint64 delayedReplies = 0;     ///< replies held by the latency fault
    qint64 malformedReplies = 0;
    qint64 streamsOpened = 0;
    qint64 upgradesRefused = 0;    ///< upgrade requests answered 404 or 503
    qint64 messagesSent = 0;       ///< stream text messages (klines and notices)
    qint64 closedSent = 0;         ///< `x:true` messages
    qint64 formingSent = 0;        ///< `x:false` messages
    qint64 pingsSent = 0;
    qint64 dropped = 0;            ///< `x:true` omitted by the drop fault
    qint64 malformedMessages = 0;
    qint64 disconnects = 0;        ///< streams closed by the disconnect fault
    qint64 cutoffs = 0;            ///< streams closed by the cutoff fault

    void countRequest();
    void countReply(int status);
    void finishRequest();
    /// The counters under their snake_case names.
    [[nodiscard]] QJsonObject toJson() const;
};

} // namespace gapless::sources
