#pragma once

#include "app/globaloptions.h"

namespace gapless::app {

/// Runs a subcommand (everything but the GUI) and returns the process exit code (CLI-2).
int runCommand(const GlobalOptions &options);

/// `gapless --version` (PKG-4) and `gapless --help`.
void printVersion();
void printHelp();

/// The subcommand names, comma-separated, for messages.
QString commandNames();

} // namespace gapless::app
