#pragma once

#include "core/domain/seriesid.h"

#include <functional>

class QObject;

namespace gapless::protocol {

/// Fills a hole from a source before the server announces it (PROTO-16): the gap backfill of
/// BF-3 implements it. The server asks only for holes canHeal() accepts (BF-4), once per hole.
class HoleHealer
{
public:
    virtual ~HoleHealer() = default;

    /// Whether the missing bars [expectedNextTime, actualTime) of `series` may be fetched now.
    [[nodiscard]] virtual bool canHeal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime) const = 0;
    /// Starts fetching and ingesting the missing bars; calls `done` through `context`'s thread
    /// when finished. The server stops waiting after `waitMs` either way.
    virtual void heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int waitMs,
                      QObject *context, std::function<void()> done) = 0;
    /// PROTO-13: before a tail subscription's first page, make the newest `count` bars present
    /// where sources allow (BF-7, when backfill.tail_auto). Calls `done` through `context`.
    virtual void coverTail(const SeriesId &series, int count, int waitMs, QObject *context,
                           std::function<void()> done) = 0;
};

} // namespace gapless::protocol
