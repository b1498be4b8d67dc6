#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless keys list [--state S] [--limit N]` and `gapless keys delete KEY` (IDEM-11).
int runKeys(const CommandContext &ctx);

} // namespace gapless::app
