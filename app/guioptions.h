#pragma once

#include "app/globaloptions.h"

#include <QSize>
#include <QUrl>

#include <optional>

namespace gapless::app {

/// What the GUI starts with (CLI-5, UI-2, UI-16).
struct GuiOptions
{
    std::optional<QUrl> connect; ///< `--connect ws://H:P`: attach to that core, start none
    QString token;               ///< `--token T` for `--connect`
    QString screenshotFile;      ///< empty: an ordinary window
    QSize size{1280, 800};
    QString panel = QStringLiteral("main");
    bool demo = false;           ///< `gapless demo` in a GUI build: load the demo at once (BF-24)
};

/// The `--panel` names: `main` and the object names of the panels (UI-14).
[[nodiscard]] QStringList panelNames();

/// Checks the GUI's own options; every Error is a usage error (exit 2) naming the bad option.
[[nodiscard]] Result<GuiOptions> parseGuiOptions(const GlobalOptions &options);

} // namespace gapless::app
