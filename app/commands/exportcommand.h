#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless export --series ID [--from T] [--to T] [--timeframe TF] [--format csv|freqtrade] [-o FILE]` (CLI-10).
int runExport(const CommandContext &ctx);

} // namespace gapless::app
