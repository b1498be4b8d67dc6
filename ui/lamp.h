#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace gapless::ui {

/// A health lamp (HLT-3) as the UI shows it: colour paired with a shape (UI-18).
enum class Lamp { Green, Yellow, Red, Gray };

/// `green`, `yellow`, `red`; anything else (`gray`, unknown, absent) is Gray.
[[nodiscard]] Lamp lampFromName(const QString &name);
[[nodiscard]] QColor lampColor(Lamp lamp);
/// ● ▲ ■ ○
[[nodiscard]] QString lampGlyph(Lamp lamp);
/// The HLT-3 reason as words: `lagging_backfilling` → "lagging, backfilling".
[[nodiscard]] QString lampReasonText(const QString &reason);
/// The shape filled with the colour (gray: a ring), `side` logical px.
[[nodiscard]] QIcon lampIcon(Lamp lamp, int side = 14);

} // namespace gapless::ui
