#pragma once

#include <QString>
#include <QtGlobal>

namespace gapless::ui {

/// `42 s`, `5 min`, `3 h 20 min`, `2 d 4 h`; `—` for a negative value.
[[nodiscard]] QString formatDuration(qint64 seconds);
/// `YYYY-MM-DD HH:MM` in UTC (C-1 times are UTC).
[[nodiscard]] QString formatTime(qint64 time);
/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS` UTC.
[[nodiscard]] QString formatWallMs(qint64 ms);
/// A count with thousands separators: `16,080`.
[[nodiscard]] QString formatCount(qint64 count);

} // namespace gapless::ui
