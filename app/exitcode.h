#pragma once

namespace gapless::app {

/// Process exit codes (CLI-2).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,
    ExitUsage = 2,
    ExitProblems = 3,
    ExitInterrupted = 130,
};

} // namespace gapless::app
