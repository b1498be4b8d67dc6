#pragma once

#include "core/ingest/jobfence.h"

#include <QString>
#include <QtGlobal>

#include <functional>
#include <optional>

namespace gapless::repair {

/// What a verify, repair or review_resolve run asks of the job that carries it (JOB-5, JOB-7,
/// JOB-10). The job system implements it for queued jobs; LocalRepairControl serves runs in
/// the CLI process. Called on the thread the run lives on.
class RepairControl
{
public:
    virtual ~RepairControl() = default;

    /// The job id that tags revisions and review items (JOB-1).
    [[nodiscard]] virtual qint64 jobId() const = 0;
    /// Progress of the current phase; `unit` ∈ candles, buckets, rows, bytes; `note` = the phase.
    virtual void progress(qint64 done, std::optional<qint64> total, const QString &unit, const QString &note) = 0;
    /// Called before each data batch; false = cancelled or fenced, stop at this batch boundary.
    [[nodiscard]] virtual bool checkpoint() = 0;
    /// JOB-7: the job row each data batch must still own (IngestRun::fence); none outside jobs.
    [[nodiscard]] virtual std::optional<ingest::JobFence> fence() const { return std::nullopt; }
};

/// A run without the job system: a fixed job id, progress handed to a callback, and a cancel
/// flag the owner may set (SIGINT).
class LocalRepairControl final : public RepairControl
{
public:
    using ProgressFn = std::function<void(qint64, std::optional<qint64>, const QString &, const QString &)>;

    explicit LocalRepairControl(qint64 jobId, ProgressFn onProgress = {})
        : m_jobId(jobId)
        , m_onProgress(std::move(onProgress))
    {
    }

    [[nodiscard]] qint64 jobId() const override { return m_jobId; }
    void progress(qint64 done, std::optional<qint64> total, const QString &unit, const QString &note) override
    {
        if (m_onProgress)
            m_onProgress(done, total, unit, note);
    }
    [[nodiscard]] bool checkpoint() override { return !m_cancelled; }
    void cancel() { m_cancelled = true; }

    /// D-REP-1: the JOB-1 layout with seq 0, for a run in the CLI process.
    [[nodiscard]] static qint64 localJobId(qint64 nowMs, int nodeId)
    {
        return ((nowMs - 1704067200000LL) << 22) | (qint64(nodeId & 1023) << 12);
    }

private:
    qint64 m_jobId;
    ProgressFn m_onProgress;
    bool m_cancelled = false;
};

} // namespace gapless::repair
