#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless flags`: every setting with its value and where it came from (CLI-12).
int runFlags(const CommandContext &ctx);

} // namespace gapless::app
