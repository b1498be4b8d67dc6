#pragma once

#include "core/ingest/ingestpipeline.h"
#include "core/store/candlestore.h"

#include <QObject>
#include <QQueue>
#include <QThread>

#include <functional>
#include <memory>

namespace gapless::ingest {

/// The store writer (STORE-5, ING-1): lives on its own thread, owns the only write connection
/// and runs the ingest pipeline on queued runs, one at a time in arrival order. Create it
/// through IngestWriterThread; call its public methods from any thread.
class IngestWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestWriter)
public:
    IngestWriter(const Clock &clock, EventLog &log, Failpoints &failpoints);
    ~IngestWriter() override;

    /// Emits opened() or openFailed() on the writer thread.
    void open(const gapless::store::StoreUrl &url, const gapless::store::StoreOptions &options,
              const gapless::ingest::PipelineConfig &config);
    /// Queues a run; runFinished() follows with its report.
    void submit(const gapless::ingest::IngestRun &run);
    /// ING-11: retries a journal row; retryFinished() or retryFailed() follows.
    void retryError(qint64 errorId, qint64 runId);
    /// Journals a failure that happened outside a run (a REST fetch, SRC-7) on the writer
    /// thread; ingestErrorRecorded() follows with its id. An unwritable journal logs it.
    void journal(const gapless::ingest::JournalEntry &entry);
    /// CFG-4: flags for the next run.
    void setConfig(const gapless::ingest::PipelineConfig &config);
    /// Runs `work` on the writer thread with the open store (nullptr if none).
    void post(std::function<void(gapless::store::CandleStore *)> work);

    /// Reads the stored head of `series` on the writer's connection, after every commit queued
    /// before, and calls `done` on `context`'s thread (none when empty or unreadable).
    void readHead(const gapless::SeriesId &series, QObject *context,
                  std::function<void(std::optional<qint64>)> done);

    /// Work that follows a run on the writer thread, e.g. the roll-up of BF-11: it returns a
    /// run to process next (before anything queued), or nullopt.
    using FollowUp = std::function<std::optional<IngestRun>(store::CandleStore &, const IngestRun &,
                                                            const RunReport &)>;
    void setFollowUp(FollowUp followUp);
    /// Writes every queued run now. Writer thread only: IngestWriterThread's last work before
    /// the thread stops (D-ING-11).
    void drain();

signals:
    void opened(int schemaVersion);
    void openFailed(const gapless::Error &error);
    /// Emitted on the writer thread after every series of the run has committed or failed.
    void runFinished(const gapless::ingest::RunReport &report);
    void retryFinished(qint64 errorId, const gapless::ingest::RunReport &report);
    void retryFailed(qint64 errorId, const gapless::Error &error);
    /// Forwarded from the pipeline (ING-13), on the writer thread.
    void candlesCommitted(const gapless::SeriesId &series, const gapless::CandleList &candles);
    void systemEvent(const QString &event, const QString &seriesId, const QJsonObject &data);
    void ingestErrorRecorded(const gapless::ingest::JournalEntry &entry);

private:
    void doOpen(const store::StoreUrl &url, const store::StoreOptions &options, const PipelineConfig &config);
    void processNext();
    void processOne();
    [[nodiscard]] bool moreQueued(const SeriesId &series) const;

    const Clock &m_clock;
    EventLog &m_log;
    Failpoints &m_failpoints;
    std::unique_ptr<store::CandleStore> m_store;
    std::unique_ptr<IngestPipeline> m_pipeline;
    QQueue<IngestRun> m_queue;
    FollowUp m_followUp;
    bool m_processing = false;
};

/// Owns the writer thread and its IngestWriter; destruction joins the thread, and the store
/// closes on the thread that opened it.
class IngestWriterThread final
{
public:
    IngestWriterThread(const Clock &clock, EventLog &log, Failpoints &failpoints);
    ~IngestWriterThread();
    Q_DISABLE_COPY_MOVE(IngestWriterThread)

    [[nodiscard]] IngestWriter *writer() const { return m_writer; }

private:
    QThread m_thread;
    IngestWriter *m_writer;
};

} // namespace gapless::ingest
