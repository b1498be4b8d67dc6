#pragma once

#include "core/runtime/sectionsettings.h"

#include <QString>

#include <optional>

namespace gapless::backfill {

/// What HLT-3 looks at for one series.
struct HealthInputs
{
    bool storeUnwritable = false;           ///< the last store write failed (REL-2)
    bool live = false;                      ///< its 1m base has a live job (HLT-2)
    bool sourceDown = false;                ///< HLT-2
    std::optional<qint64> head;             ///< newest stored time
    std::optional<qint64> lagCandles;       ///< HLT-1; none without a head
    bool trackerRunning = false;            ///< a progress tracker run (BF-14) is running
    std::optional<qint64> trackerSucceededAtS; ///< when its last run succeeded
    qint64 openErrors = 0;                  ///< open ingest_errors rows
    bool clockBackwards = false;            ///< JOB-4
};

/// A lamp and the reason shown beside it (HLT-3).
struct HealthLamp
{
    QString lamp;   ///< green, yellow, red or gray
    QString reason; ///< fresh, lagging, stale, not_live, …

    friend bool operator==(const HealthLamp &, const HealthLamp &) = default;
};

/// HLT-3: the first matching row of the lamp table, with F, S and R from `settings`.
[[nodiscard]] HealthLamp evaluateLamp(const HealthInputs &in, const HealthSettings &settings, qint64 nowS);

} // namespace gapless::backfill
