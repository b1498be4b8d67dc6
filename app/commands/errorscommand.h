#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless errors list [--series ID] [--status open|retried|resolved|all] [--limit N]` (CLI-13).
int runErrors(const CommandContext &ctx);

} // namespace gapless::app
