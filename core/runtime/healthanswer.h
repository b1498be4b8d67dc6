#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>

class QObject;

namespace gapless::backfill {
class HealthMonitor;
}

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::jobs {
class JobScheduler;
}

namespace gapless {

/// What the store says about health when a core starts (HLT-1, STORE-7): every series with
/// its head, and the open ingest_errors rows per series.
struct StoredHealth
{
    QList<std::pair<SeriesId, std::optional<qint64>>> heads;
    QHash<SeriesId, qint64> openErrors;
    qint64 openTotal = 0;
    QString error; ///< empty when both reads succeeded
};

/// Reads StoredHealth on the writer's connection (it sees every committed row) and calls
/// `done` through `context`.
void readStoredHealth(ingest::IngestWriter &writer, QObject *context, std::function<void(const StoredHealth &)> done);

/// JOB-4 → HLT-3: `monitor` shows clock_backwards while the scheduler's id clock is behind
/// its last job id, from now on and until either is gone.
void followJobClock(const jobs::JobScheduler &scheduler, backfill::HealthMonitor &monitor);

/// The rest of an HLT-6 answer beside the monitor's series.
struct HealthExtras
{
    QJsonObject startupSync; ///< BF-21; empty until the sync is done (null in the answer)
    QJsonArray sources;      ///< `{host, state, weight_used_1m}`
    QJsonObject counters;    ///< OBS-4
};

/// HLT-6: the `health` command's data as the monitor sees it, for one series (`series_id`,
/// not_found unless monitored) or every monitored series, ordered by id.
[[nodiscard]] Result<QJsonValue> healthAnswer(const backfill::HealthMonitor &monitor, const QJsonObject &args,
                                              qint64 nowS, const HealthExtras &extras);

} // namespace gapless
