#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless replay-exchange --data CSV[:SYMBOL]… [--listen 127.0.0.1:PORT] [--speed X]
/// [--faults SPEC] [--time-mode contiguous|shift] [--seed N]` (SRC-14): serves the tapes as a
/// Binance stand-in until SIGINT (exit 130) or SIGTERM (exit 0). Bad options, tapes or faults
/// exit 2 naming the input.
int runReplayExchange(const CommandContext &ctx);

} // namespace gapless::app
