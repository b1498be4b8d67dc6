#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless import FILE --series ID [--format csv|freqtrade] [--strict] [--reject-anomalies]` (CLI-6..9).
int runImport(const CommandContext &ctx);

} // namespace gapless::app
