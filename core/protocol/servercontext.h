#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <optional>

namespace gapless::protocol {

class HoleHealer;
class ReaderPool;

/// Timing of the connection heartbeat (PROTO-28); tests shorten it.
struct HeartbeatOptions
{
    int pingIntervalMs = 20000;
    int silenceTimeoutMs = 60000;
};

/// A command the protocol thread answers itself (flags_get, flags_set, and the job entry
/// points): nullopt when `name` is not one of them.
using LocalCommand = std::function<std::optional<Result<QJsonValue>>(
    const QString &name, const QJsonObject &args, const std::optional<QString> &idempotencyKey)>;

/// What every connection of a server shares; owned by MarketServer on the protocol thread.
struct ServerContext
{
    ServerSettings settings;
    const Clock &clock;
    ReaderPool &readers;
    LocalCommand localCommand;
    HeartbeatOptions heartbeat;
    int nodeId = 0;
    HoleHealer *healer = nullptr; ///< none: holes are announced without a heal attempt
    /// PROTO-25: a subscription to a series with a network source references the live job of
    /// its 1m base; false when no job can be started (`capacity`). None: no live jobs.
    std::function<bool(const SeriesId &)> referenceLive;
    /// PROTO-25: a subscription that referenceLive() accepted ended (unsubscribe or close).
    std::function<void(const SeriesId &)> releaseLive;
};

} // namespace gapless::protocol
