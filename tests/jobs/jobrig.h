#pragma once

#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "tests/support/testdatabase.h"

#include <QJsonObject>
#include <QVariant>

#include <map>
#include <memory>

namespace gapless::test {

/// A handler for tests: remembers each started job's context, in start order, and lets the
/// test end it.
class RecordingHandler final : public jobs::JobHandler
{
public:
    void run(jobs::JobContext &context) override
    {
        started.append(context.jobId());
        live[context.jobId()] = &context;
        QObject::connect(context.guard(), &QObject::destroyed, [this, id = context.jobId()] { live.erase(id); });
    }
    QList<qint64> started;
    std::map<qint64, jobs::JobContext *> live;
};

/// The writer thread on a fresh database of the test backend, with a JobScheduler on the
/// test's thread.
class JobRig
{
public:
    explicit JobRig(qint64 nowMs);
    ~JobRig();
    Q_DISABLE_COPY_MOVE(JobRig)

    /// Opens the store; false with error() if it failed.
    [[nodiscard]] bool open();
    /// A new scheduler (the previous one is dropped, as a crash would leave its jobs) and
    /// its start; false if it did not become ready.
    [[nodiscard]] bool startScheduler(const JobsSettings &settings = {}, int nodeId = 0);

    [[nodiscard]] jobs::JobScheduler &scheduler() { return *m_scheduler; }
    [[nodiscard]] RecordingHandler &handler() { return *m_handler; }
    [[nodiscard]] ingest::IngestWriter *writer() const { return m_thread.writer(); }
    [[nodiscard]] FixedClock &clock() { return m_clock; }
    [[nodiscard]] const QString &error() const { return m_error; }
    [[nodiscard]] TestDatabase &database() { return m_db; }
    /// The store open() opened, for a connection of the test's own.
    [[nodiscard]] const store::StoreUrl &storeUrl() const { return m_url; }

    /// Accepts a `test` job for `seriesId` under `key` and waits for the answer.
    [[nodiscard]] Result<jobs::KeyDecision> accept(const QString &key, const QString &seriesId,
                                                   qint64 *jobId = nullptr, const QString &kind = QStringLiteral("backfill"));
    /// Runs `sql` on the writer's connection; the first column of every row.
    [[nodiscard]] QVariantList query(const QString &sql);
    [[nodiscard]] std::optional<jobs::JobRow> job(qint64 jobId);
    [[nodiscard]] std::optional<jobs::KeyRow> key(const QString &key);
    /// Waits until the writer has run everything posted before.
    void drain();

    double random = 0.0;

private:
    TestDatabase m_db;
    QObject m_context; ///< where writer answers land
    FixedClock m_clock;
    EventLog m_log;
    Failpoints m_failpoints;
    ingest::IngestWriterThread m_thread;
    std::unique_ptr<jobs::JobScheduler> m_scheduler;
    RecordingHandler *m_handler = nullptr;
    QString m_error;
    store::StoreUrl m_url;
};

} // namespace gapless::test
