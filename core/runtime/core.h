#pragma once

#include "core/domain/error.h"
#include "core/protocol/servercontext.h"
#include "core/runtime/clock.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "core/runtime/settings.h"
#include "core/store/candlestore.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace gapless::backfill {
class DerivedFanout;
class HealthMonitor;
class StartupSync;
}

namespace gapless::jobs {
class RepairWorkers;
}

namespace gapless::repair {
class KnownSeries;
}

namespace gapless::ingest {
class IngestWriter;
class IngestWriterThread;
}

namespace gapless::protocol {
class HoleHealer;
class MarketServer;
struct MarketServerOptions;
}

namespace gapless {

class BackfillServices;
class JobServices;
class LiveJobs;
class LiveTailHealer;
struct PreparedCommand;

/// The running core (DESIGN "Processes and threads"): the store writer thread with the ingest
/// pipeline, and the market server with its readers, wired so that every committed candle,
/// journal row and debug event reaches the clients. Owns the Settings of the process and
/// answers flags_get / flags_set (CFG-4). Lives on the protocol thread: `gapless serve`
/// runs it on the main thread.
class Core final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Core)
public:
    /// Where the core keeps its data; `storeOptions` as the settings give them.
    Core(Settings settings, const Clock &clock, store::StoreUrl url, store::StoreOptions storeOptions,
         QObject *parent = nullptr);
    ~Core() override;

    /// Opens the store on the writer thread, then listens; started() or startFailed() follows.
    void start();
    /// Tells the clients (`server_shutdown`, 1001), stops listening and joins the threads.
    void stop();

    [[nodiscard]] QUrl url() const;
    [[nodiscard]] ingest::IngestWriter *writer() const;
    [[nodiscard]] protocol::MarketServer *server() const { return m_server.get(); }
    [[nodiscard]] EventLog &eventLog() { return m_log; }
    /// REST, progress and gap backfill; null before start().
    [[nodiscard]] BackfillServices *backfill() const { return m_backfill.get(); }
    /// The live kline jobs; null before start().
    [[nodiscard]] LiveJobs *liveJobs() const { return m_live.get(); }
    /// The startup sync (BF-19..21); null before start().
    [[nodiscard]] backfill::StartupSync *startupSync() const { return m_sync.get(); }
    /// The job system (JOB-*, IDEM-*); null before start().
    [[nodiscard]] JobServices *jobs() const { return m_jobs.get(); }
    /// Per-series health (HLT-1..5); null before start().
    [[nodiscard]] backfill::HealthMonitor *health() const { return m_health.get(); }
    [[nodiscard]] const Settings &settings() const { return m_settings; }
    /// Test hook: the heartbeat timing handed to the server.
    void setHeartbeat(const protocol::HeartbeatOptions &heartbeat) { m_heartbeat = heartbeat; }
    /// Heals holes before the server announces them (PROTO-16); set before start(), outlives the core.
    void setHoleHealer(protocol::HoleHealer *healer) { m_healer = healer; }
    /// CLI-14 in-process jobs: the store writer, the sources and the job system only, with no
    /// listener, startup sync, live job or health; started() carries an empty URL. Set before start().
    void setJobsOnly(bool jobsOnly) { m_jobsOnly = jobsOnly; }

signals:
    void started(const QUrl &url);
    void startFailed(const gapless::Error &error);

private:
    void listen();
    [[nodiscard]] std::optional<Result<QJsonValue>> localCommand(const QString &name, const QJsonObject &args,
                                                                 const std::optional<QString> &key);
    [[nodiscard]] Result<QJsonValue> setFlag(const QJsonObject &args);
    void applyRuntimeSettings();
    void startHealth();
    /// Open ingest_errors rows of the whole store, read again (HLT-5 `open_errors`, OBS-4).
    void recountOpenErrors();
    [[nodiscard]] std::optional<Result<QJsonValue>> healthCommand(const QJsonObject &args);
    // corejobs.cpp: the job system's part of the core.
    void createJobs(protocol::MarketServerOptions &options);
    void createRepairJobs();
    /// Joins the verify/repair worker threads while the writer still answers them.
    void stopRepairJobs();
    void startJobs();
    void applyJobSettings();
    [[nodiscard]] PreparedCommand prepareFlag(const QJsonObject &args);

    Settings m_settings;
    const Clock &m_clock;
    SystemClock m_idClock; ///< job ids follow the wall clock, whatever m_clock is (D-JOB-8)
    store::StoreUrl m_url;
    store::StoreOptions m_storeOptions;
    EventLog m_log;
    Failpoints m_failpoints;
    protocol::HeartbeatOptions m_heartbeat;
    protocol::HoleHealer *m_healer = nullptr;
    bool m_jobsOnly = false;
    std::unique_ptr<backfill::DerivedFanout> m_fanout; ///< used on the writer thread only
    std::unique_ptr<BackfillServices> m_backfill;
    std::unique_ptr<LiveJobs> m_live;
    std::unique_ptr<LiveTailHealer> m_tailHealer;
    std::unique_ptr<backfill::HealthMonitor> m_health;
    bool m_healthRead = false; ///< the monitor knows every stored series and open error
    std::unique_ptr<backfill::StartupSync> m_sync;
    std::unique_ptr<repair::KnownSeries> m_known;            ///< REP-12
    std::unique_ptr<jobs::RepairWorkers> m_repairWorkers; ///< outlives the handlers in m_jobs
    std::unique_ptr<JobServices> m_jobs;
    std::unique_ptr<ingest::IngestWriterThread> m_writerThread;
    std::unique_ptr<protocol::MarketServer> m_server;
};

} // namespace gapless
