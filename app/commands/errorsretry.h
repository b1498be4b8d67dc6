#pragma once

#include "app/commandcontext.h"

namespace gapless::app {

/// `gapless errors retry ID` (ING-11, CLI-13): re-runs a journal row's batch and waits; exit 0
/// if the row ends resolved, else 1. A `retry_error` job with `--connect` or `--idempotency-key`.
int runErrorsRetry(const CommandContext &ctx, QStringList args);

} // namespace gapless::app
