#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless errors retry ID` (ING-11, CLI-13): re-runs a journal row's batch and waits; exit 0
/// if the row ends resolved, else 1.
int runErrorsRetry(const CommandContext &ctx, const QStringList &args);

} // namespace gapless::app
