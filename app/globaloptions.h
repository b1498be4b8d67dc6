#pragma once

#include "core/domain/result.h"
#include "core/runtime/settings.h"

#include <QStringList>

#include <optional>

namespace gapless::app {

/// The options every subcommand accepts, before or after the subcommand name (CLI-1).
struct GlobalOptions
{
    std::optional<QString> configFile;
    QList<CliSetting> settings; ///< --db, --set, --listen, --token, --node-id in order
    bool json = false;
    bool noProgress = false;
    std::optional<QString> idempotencyKey; ///< `--idempotency-key K` (IDEM-2), checked by job subcommands
    bool version = false;
    bool help = false;
    QString subcommand;          ///< empty: the GUI
    /// `--connect`, `--screenshot`, `--size`, `--panel` with their values (CLI-5). They are
    /// taken out only for the GUI; with a subcommand they go back into `arguments`.
    QList<CliSetting> guiOptions;
    QStringList arguments;       ///< what is left, for the subcommand's own parser
};

/// Takes the global options out of `args` (without the program name); the first remaining
/// non-option word is the subcommand. A global option without its value is a usage error.
[[nodiscard]] Result<GlobalOptions> extractGlobalOptions(const QStringList &args);

} // namespace gapless::app
