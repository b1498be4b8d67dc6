#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless review list [--series ID] [--state S] [--after-id N] [--limit N]` and
/// `gapless review resolve ID… accept-source|keep-local [--actor A]` (REP-9, REP-10, REP-13).
int runReview(const CommandContext &ctx);

} // namespace gapless::app
