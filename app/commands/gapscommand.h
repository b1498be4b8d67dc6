#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless gaps (--series ID | FILE --timeframe TF) [--from T] [--to T] [--anomalies]` (CLI-11).
int runGaps(const CommandContext &ctx);

} // namespace gapless::app
