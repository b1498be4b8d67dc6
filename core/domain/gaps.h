#pragma once

#include <QtGlobal>

namespace gapless {

/// A hole between two consecutive rows (DOM-10).
struct Gap
{
    qint64 prevTime = 0;
    qint64 nextTime = 0;
    qint64 missingBars = 0;
    friend bool operator==(const Gap &, const Gap &) = default;
};

} // namespace gapless
