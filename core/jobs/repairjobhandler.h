#pragma once

#include "core/jobs/jobhandler.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <functional>

namespace gapless::jobs {

class RepairWorkers;

/// The `verify` (REP-1), `repair` (REP-6) and `review_resolve` accept_source (REP-10) jobs:
/// the arguments are checked on the protocol thread (bad → bad_request, key failed), then the
/// repair entry point runs on a worker thread of `workers`.
class RepairJobHandler final : public JobHandler
{
public:
    /// `kind` is one of the three; `settings` gives `repair.*` when a job starts.
    RepairJobHandler(QString kind, const Clock &clock, RepairWorkers *workers,
                     std::function<RepairSettings()> settings);
    void run(JobContext &context) override;

private:
    void runVerify(JobContext &context);
    void runRepair(JobContext &context);
    void runResolve(JobContext &context);

    QString m_kind;
    const Clock &m_clock;
    RepairWorkers *m_workers;
    std::function<RepairSettings()> m_settings;
};

} // namespace gapless::jobs
