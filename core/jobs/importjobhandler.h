#pragma once

#include "core/jobs/jobhandler.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <functional>
#include <map>
#include <memory>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::jobs {

/// The `import` job (CLI-6, ING-14, PROTO §1.7): args {file, series_id, format?, strict?,
/// reject_anomalies?}. The file is read and validated on a thread of the job's own (a year of
/// 1m takes seconds, D-JOB-9), then written through the job's submit() one run of
/// `ingest.batch_max` rows at a time, with a checkpoint before each run (JOB-10). Progress is
/// in rows; the result is CLI-9's `--json` document plus `job_id`. Lives on the scheduler's thread.
class ImportJobHandler final : public JobHandler
{
public:
    /// `settings` is read when a job starts (ingest.batch_max, ingest.reject_soft_anomalies).
    ImportJobHandler(const Clock &clock, ingest::IngestWriter *writer, std::function<IngestSettings()> settings);
    ~ImportJobHandler() override;
    Q_DISABLE_COPY_MOVE(ImportJobHandler)

    void run(JobContext &context) override;

private:
    struct Import;

    void write(JobContext &context, Import &import);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    std::function<IngestSettings()> m_settings;
    std::map<qint64, std::unique_ptr<Import>> m_imports; ///< by job id, until the job ends
};

} // namespace gapless::jobs
