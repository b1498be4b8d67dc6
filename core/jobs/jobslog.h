#pragma once

#include <QLoggingCategory>

namespace gapless::jobs {

// OBS-1: the job system's category, switched on alone with "gapless.core.jobs.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcJobs)

} // namespace gapless::jobs
