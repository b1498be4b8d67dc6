#pragma once

#include "core/jobs/jobscheduler.h"
#include "core/protocol/servercontext.h"

#include <QObject>

#include <map>
#include <memory>

namespace gapless::protocol {
class MarketServer;
}

namespace gapless {

/// A synchronous command under a key (IDEM-8: flags_set): its answer, and the change that
/// takes effect only once the key's completion has committed.
struct PreparedCommand
{
    Result<QJsonValue> answer = QJsonValue();
    std::function<void()> apply;
};
using SyncCommand = std::function<PreparedCommand(const QJsonObject &args)>;
/// A keyed command whose work runs on the writer's connection inside the transaction that
/// completes its key (IDEM-8: review_resolve keep_local).
using LedgerCommand = std::function<Result<QJsonValue>(store::CandleStore &store, const QJsonObject &args)>;
/// An unkeyed read on the writer's connection (review_list).
using LedgerQuery = std::function<Result<QJsonValue>(store::CandleStore &store, const QJsonObject &args)>;
/// An error to answer before anything is recorded, or none (REP-12: an unknown series).
using CommandCheck = std::function<std::optional<Error>(const QString &name, const QJsonObject &args)>;

/// The job commands of a core (IDEM-1..11, JOB-10/11): job commands answered on acceptance,
/// job_cancel, jobs_list, idempotency_list/delete, keyed synchronous commands and the `jobs`
/// topic. Lives on the protocol thread.
class JobServices final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobServices)
public:
    JobServices(const Clock &clock, ingest::IngestWriter *writer, jobs::JobSchedulerOptions options,
                QObject *parent = nullptr);
    ~JobServices() override;

    [[nodiscard]] jobs::JobScheduler *scheduler() const { return m_scheduler.get(); }
    void registerSyncCommand(const QString &name, SyncCommand command);
    /// `name` runs as `command` when `applies(args)`, else as its job kind.
    void registerLedgerCommand(const QString &name, LedgerCommand command,
                               std::function<bool(const QJsonObject &)> applies);
    void registerQuery(const QString &name, LedgerQuery query);
    /// Checked before a job command's key is recorded.
    void setCommandCheck(CommandCheck check) { m_check = std::move(check); }
    /// Job events and journal rows go to the server's watchers from now on.
    void publishTo(protocol::MarketServer *server);

    /// protocol::AsyncCommand: false when `name` is none of the commands above. `origin`
    /// (`ws:PEER`) is review_resolve's actor when the args name none (REP-10); the key's
    /// fingerprint stays on the args as received (IDEM-3).
    bool command(const QString &name, const QJsonObject &args, const std::optional<QString> &key,
                 const QString &origin, std::function<void(const protocol::CommandAnswer &)> reply);
    /// protocol::JobsSnapshot (JOB-11).
    void snapshot(QObject *context, std::function<void(const QList<QJsonObject> &)> done);

private:
    void acceptJob(const QString &name, const QJsonObject &args, const QJsonObject &jobArgs, const QString &key,
                   std::function<void(const protocol::CommandAnswer &)> reply);
    void runSync(const QString &name, const QJsonObject &args, const QString &key,
                 std::function<void(const protocol::CommandAnswer &)> reply);
    void runLedger(const QString &name, const QJsonObject &args, const QJsonObject &workArgs, const QString &key,
                   std::function<void(const protocol::CommandAnswer &)> reply);
    void cancelJob(const QJsonObject &args, std::function<void(const protocol::CommandAnswer &)> reply);
    void listJobs(const QJsonObject &args, std::function<void(const protocol::CommandAnswer &)> reply);
    void listKeys(const QJsonObject &args, std::function<void(const protocol::CommandAnswer &)> reply);
    void deleteKey(const QJsonObject &args, std::function<void(const protocol::CommandAnswer &)> reply);

    const Clock &m_clock;
    std::unique_ptr<jobs::JobScheduler> m_scheduler;
    std::map<QString, SyncCommand> m_sync;
    std::map<QString, std::pair<LedgerCommand, std::function<bool(const QJsonObject &)>>> m_ledger;
    std::map<QString, LedgerQuery> m_queries;
    CommandCheck m_check;
};

} // namespace gapless
