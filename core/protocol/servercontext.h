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

/// A command's answer: the result, the data of an error answer (IDEM-6 `in_progress`
/// {job_id}, `idempotency_mismatch` {command}) and whether it is a replay (IDEM-8).
struct CommandAnswer
{
    Result<QJsonValue> result = QJsonValue();
    QJsonObject errorData;
    bool replayed = false;
};

/// A command answered later on the protocol thread (job commands, keyed commands, the job
/// and key lists): false when `name` is not one of them, else `reply` is called once.
/// `origin` names the sender, `ws:ADDRESS:PORT` of the connection (REP-10 `resolved_by`).
using AsyncCommand = std::function<bool(const QString &name, const QJsonObject &args,
                                        const std::optional<QString> &idempotencyKey, const QString &origin,
                                        std::function<void(const CommandAnswer &)> reply)>;

/// The `jobs` topic's current items (JOB-11): `done` gets the `job` payloads on the protocol
/// thread, unless `context` is gone by then.
using JobsSnapshot = std::function<void(QObject *context, std::function<void(const QList<QJsonObject> &)> done)>;

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
    AsyncCommand asyncCommand;  ///< none: job commands fall through to localCommand
    JobsSnapshot jobsSnapshot;  ///< none: a `jobs` watch starts empty
};

} // namespace gapless::protocol
