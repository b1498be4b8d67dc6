#pragma once

#include "app/globaloptions.h"
#include "app/output.h"
#include "core/runtime/clock.h"
#include "core/runtime/settings.h"

namespace gapless::app {

/// What every subcommand gets: its options, the merged settings, its output and the clock.
struct CommandContext
{
    const GlobalOptions &options;
    const Settings &settings;
    const Output &out;
    const Clock &clock;
};

} // namespace gapless::app
