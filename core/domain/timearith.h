#pragma once

#include "core/domain/result.h"

#include <QtGlobal>

#include <optional>

namespace gapless {

/// ⌊a / b⌋ rounded towards minus infinity, for b > 0 (C-1).
[[nodiscard]] constexpr qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/// floor_tf(t) = ⌊t / tf⌋·tf (C-1), for tf > 0 and results within qint64.
[[nodiscard]] constexpr qint64 floorTo(qint64 t, qint64 tfSeconds)
{
    return floorDiv(t, tfSeconds) * tfSeconds;
}

/// The open time of the newest bar closed at `now` (DOM-9): a = floor_tf(now), then a - tf if
/// a >= tf, else none. tf <= 0 → bad_request.
[[nodiscard]] Result<std::optional<qint64>> expectedLatestClosed(qint64 now, qint64 tfSeconds);

} // namespace gapless
