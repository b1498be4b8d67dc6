#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless jobs [--all] [--limit N]` and `gapless jobs cancel ID` (REP-13, JOB-10/11).
int runJobs(const CommandContext &ctx);

} // namespace gapless::app
