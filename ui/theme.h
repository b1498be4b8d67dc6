#pragma once

#include <QString>

class QApplication;

namespace gapless::ui {

/// Applies `ui.theme` (UI-17): `light`, `dark`, or `system` (dark when the platform
/// palette's window colour is dark). Uses the Fusion style so both themes look the same on
/// every platform. Returns whether the result is dark.
bool applyTheme(QApplication &app, const QString &theme);

} // namespace gapless::ui
