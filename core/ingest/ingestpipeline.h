#pragma once

#include "core/ingest/journalentry.h"
#include "core/ingest/journalwriter.h"
#include "core/ingest/factorstep.h"
#include "core/ingest/ingestrun.h"
#include "core/ingest/overlaystep.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QObject>

#include <functional>

namespace gapless {
class EventLog;
class Failpoints;
}

namespace gapless::ingest {

/// The flags the pipeline reads on each run (CFG-4: `*` keys change from the next run).
struct PipelineConfig
{
    IngestSettings ingest;
    FactorSettings factor;
};

/// The single write path (ING-1): validate → store → factor → overlay → commit → publish per
/// series, one transaction each, compensation by the ING-8 kill-switches, a journal row per
/// failure. Lives on the store writer thread and uses only its connection.
class IngestPipeline final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestPipeline)
public:
    IngestPipeline(store::CandleStore &store, const PipelineConfig &config, Failpoints &failpoints, EventLog &log,
                   const Clock &clock, QObject *parent = nullptr);

    void setConfig(const PipelineConfig &config);

    /// Runs every series of `run`. `moreQueued(series)`: another batch for it waits, so a
    /// dirty series defers its factor rebuild (FAC-4).
    RunReport run(const IngestRun &run, const std::function<bool(const SeriesId &)> &moreQueued = {});

    /// ING-11: re-runs a journal row's batch as source `retry` with its request id.
    [[nodiscard]] Result<RunReport> retry(qint64 errorId, qint64 runId);

signals:
    /// ING-13, on the writer thread after COMMIT: inserted and updated candles, ascending.
    void candlesCommitted(const gapless::SeriesId &series, const gapless::CandleList &candles);
    /// ING-13: `factor.rebuild` and other system events.
    void systemEvent(const QString &event, const QString &seriesId, const QJsonObject &data);
    /// ING-13: each committed (or in-memory, ING-10) journal row.
    void ingestErrorRecorded(const gapless::ingest::JournalEntry &entry);

private:
    struct Attempt;
    SeriesOutcome runSeries(const IngestRun &run, const SeriesId &series, const CandleList &batch, bool moreQueued);
    [[nodiscard]] Result<void> runSteps(Attempt &attempt, bool moreQueued);
    void failStep(Attempt &attempt, const QString &step, const Error &cause);
    /// JOB-7: rolls the series' transaction back when its job's row no longer matches.
    [[nodiscard]] Result<void> fenceOut(Attempt &attempt);
    void undo(Attempt &attempt, const QString &savepoint);
    void reconnect();
    void journal(Attempt &attempt, JournalEntry entry, bool inTransaction);
    void publish(Attempt &attempt);
    void flushPending();
    [[nodiscard]] JournalEntry entryFor(const Attempt &attempt, const QString &step, const CandleList &candles,
                                        const QString &cause) const;

    store::CandleStore &m_store;
    PipelineConfig m_config;
    Failpoints &m_failpoints;
    EventLog &m_log;
    const Clock &m_clock;
    std::optional<FactorStep> m_factor;
    OverlayStep m_overlay;
    JournalWriter m_journalWriter;
};

} // namespace gapless::ingest
