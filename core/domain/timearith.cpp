#include "core/domain/timearith.h"

using namespace Qt::StringLiterals;

namespace gapless {

Result<std::optional<qint64>> expectedLatestClosed(qint64 now, qint64 tfSeconds)
{
    if (tfSeconds <= 0)
        return Error::badRequest(
            u"timeframe %1 s: not positive; expected a timeframe of at least 1 s"_s.arg(tfSeconds));
    // floor_tf(now) <= now, so now < tf already means a < tf; returning early also keeps
    // floor_tf of a time near the qint64 minimum from overflowing.
    if (now < tfSeconds)
        return std::optional<qint64>();
    return std::optional<qint64>(floorTo(now, tfSeconds) - tfSeconds);
}

} // namespace gapless
