#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless repair (--series ID --from T --to T [--source S] | --verify-job ID) [--policy P]`
/// (REP-6..8, REP-11, REP-13): the delta repair, run in-process on `--db`; exit 3 when a
/// bucket stays residual or review items were opened.
int runRepair(const CommandContext &ctx);

} // namespace gapless::app
