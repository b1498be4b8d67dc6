#pragma once

#include "app/globaloptions.h"

namespace gapless::app {

/// The GUI (CLI-5, UI-2): an embedded core on 127.0.0.1:0, or `--connect` to a running one,
/// the main window, and `--screenshot` (UI-16); `demo`: `gapless demo` loads the demo at once
/// (BF-24). Returns the exit code (CLI-2).
int runGui(const GlobalOptions &options, int &argc, char **argv, bool demo = false);

} // namespace gapless::app
