#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless demo [--headless] [--data CSV] [--speed X] [--outage-every D] [--outage-for D]
/// [--duration D] [--db URL]` (BF-24): a replay exchange and a core in one process, with
/// periodic stream outages, so that gaps appear and heal; `--headless` prints the events.
int runDemo(const CommandContext &ctx);

} // namespace gapless::app
