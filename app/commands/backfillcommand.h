#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless backfill --series ID [--from T] [--to T]` (BF-22/23): the range backfill, run
/// in-process on `--db`; exit 0 when nothing is left missing, 3 when some is.
int runBackfill(const CommandContext &ctx);

} // namespace gapless::app
