#pragma once

#include "core/domain/candle.h"
#include "core/domain/error.h"
#include "core/domain/seriesid.h"
#include "core/ingest/jobfence.h"

#include <QMap>
#include <QMetaType>

#include <optional>

namespace gapless::ingest {

/// One pass of the pipeline (ING-2): candles per series, taken in byte order of the ids.
struct IngestRun
{
    qint64 runId = 0;
    QString source = QStringLiteral("import"); ///< live, backfill, import, repair, review, retry, rollup, demo
    QString requestId;
    std::optional<qint64> jobId;
    /// JOB-7: a job's run writes a series only while the job's row still matches this fence,
    /// checked in that series' transaction; set by JobScheduler::submitRun.
    std::optional<JobFence> fence;
    /// ING-11: the journal row this run retries; resolved in the run's transaction on success.
    std::optional<qint64> retryOf;
    QMap<QString, std::pair<SeriesId, CandleList>> batches;

    void add(const SeriesId &series, const CandleList &candles)
    {
        auto &slot = batches[series.toString()];
        slot.first = series;
        slot.second += candles;
    }
};

/// What one series' run did (ING-7: each series on its own).
struct SeriesOutcome
{
    SeriesId series;
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 identical = 0;
    qint64 rejected = 0;
    qint64 anomalies = 0;
    bool ok = true;
    bool fenced = false;               ///< JOB-7: the job's row no longer matched; nothing written
    QString failedStep;                ///< the ING-3 step that failed
    std::optional<Error> error;
    std::optional<qint64> journalId;   ///< the failure's journal row, when written
    std::optional<qint64> validateJournalId; ///< the rejected rows' journal row (ING-4)
    CandleList published;              ///< inserted and updated candles, ascending
};

struct RunReport
{
    qint64 runId = 0;
    QList<SeriesOutcome> series;
    /// JOB-7: the run's fence, when a series' transaction found it broken (that series wrote nothing).
    std::optional<JobFence> fenced;

    [[nodiscard]] bool ok() const
    {
        return std::all_of(series.cbegin(), series.cend(), [](const SeriesOutcome &s) { return s.ok; });
    }
};

} // namespace gapless::ingest

Q_DECLARE_METATYPE(gapless::ingest::IngestRun)
Q_DECLARE_METATYPE(gapless::ingest::RunReport)
