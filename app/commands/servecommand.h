#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless serve [--listen HOST:PORT] [--token T] [--node-id N]` (CLI-14): the core headless,
/// until SIGINT (exit 130) or SIGTERM (exit 0).
int runServe(const CommandContext &ctx);

} // namespace gapless::app
