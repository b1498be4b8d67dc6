#include "core/sources/replay/replaycounters.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::sources {

void ReplayCounters::countRequest()
{
    ++requests;
    ++inFlight;
    maxInFlight = std::max(maxInFlight, inFlight);
}

void ReplayCounters::countReply(int status)
{
    ++replies[status];
}

void ReplayCounters::finishRequest()
{
    --inFlight;
}

QJsonObject ReplayCounters::toJson() const
{
    QJsonObject byStatus;
    for (auto it = replies.cbegin(); it != replies.cend(); ++it)
        byStatus.insert(QString::number(it.key()), it.value());
    return {
        {u"requests"_s, requests},
        {u"replies"_s, byStatus},
        {u"in_flight"_s, inFlight},
        {u"max_in_flight"_s, maxInFlight},
        {u"delayed_replies"_s, delayedReplies},
        {u"malformed_replies"_s, malformedReplies},
        {u"streams_opened"_s, streamsOpened},
        {u"upgrades_refused"_s, upgradesRefused},
        {u"messages_sent"_s, messagesSent},
        {u"closed_sent"_s, closedSent},
        {u"forming_sent"_s, formingSent},
        {u"pings_sent"_s, pingsSent},
        {u"dropped"_s, dropped},
        {u"malformed_messages"_s, malformedMessages},
        {u"disconnects"_s, disconnects},
        {u"cutoffs"_s, cutoffs},
    };
}

} // namespace gapless::sources
