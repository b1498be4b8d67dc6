#include "core/jobs/jobslog.h"

namespace gapless::jobs {

Q_LOGGING_CATEGORY(lcJobs, "gapless.core.jobs", QtInfoMsg)

} // namespace gapless::jobs
