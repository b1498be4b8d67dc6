#pragma once

#include "core/jobs/jobhandler.h"
#include "core/repair/repairrun.h"
#include "core/runtime/sectionsettings.h"
#include "core/store/candlestore.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

class QThread;

namespace gapless::repair {
class KnownSeries;
}

namespace gapless::jobs {

/// Where a worker reads and fetches: the core's store (a read-only connection of the worker's
/// own), its writer, its REST endpoints and the known-series cache (REP-12).
struct RepairEnvironment
{
    const Clock *clock = nullptr;
    ingest::IngestWriter *writer = nullptr;
    store::StoreUrl url;
    store::StoreOptions readOptions;
    const repair::KnownSeries *known = nullptr;
    /// Read on the protocol thread when a job starts (flags_set may change them).
    std::function<SourceSettings()> sources;
};

/// The work of one job on its worker thread, with the services of that thread.
using RepairWork = std::function<Result<QJsonObject>(repair::RepairServices &services)>;

/// Runs the blocking repair entry points (verify, repair, review_resolve) each on a thread of
/// its own, so the protocol thread never waits: progress is handed to the job's JobContext
/// (queued), checkpoint() reads a flag the protocol thread keeps equal to the context's
/// checkpoint (on every `job` event and every 100 ms), and the outcome ends the job there:
/// a result succeeds, a stop at a batch boundary after a cancel or fence stops, any other
/// error fails. Lives on the protocol thread.
class RepairWorkers final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RepairWorkers)
public:
    RepairWorkers(RepairEnvironment environment, JobScheduler *scheduler, QObject *parent = nullptr);
    ~RepairWorkers() override;

    /// Starts `work` for the job of `context` on a new thread.
    void start(JobContext &context, RepairWork work);
    /// Asks every worker to stop at its next batch boundary and joins the threads; called
    /// while the writer still runs.
    void shutdown();
    [[nodiscard]] int runningCount() const { return int(m_workers.size()); }

private:
    struct Worker;

    void refresh();
    void finished(qint64 jobId, const Result<QJsonObject> &outcome);
    void joined(qint64 jobId);

    RepairEnvironment m_env;
    std::map<qint64, std::unique_ptr<Worker>> m_workers;
    QTimer m_refresh;
};

} // namespace gapless::jobs
