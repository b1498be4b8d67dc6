#include "core/runtime/livetailhealer.h"

#include "core/runtime/livejobs.h"

#include <QPointer>

namespace gapless {

bool LiveTailHealer::canHeal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime) const
{
    return m_inner.canHeal(series, expectedNextTime, actualTime);
}

void LiveTailHealer::heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int waitMs,
                          QObject *context, std::function<void()> done)
{
    m_inner.heal(series, expectedNextTime, actualTime, waitMs, context, std::move(done));
}

void LiveTailHealer::coverTail(const SeriesId &series, int count, int waitMs, QObject *context,
                               std::function<void()> done)
{
    if (!m_live.isCatchingUp(series)) {
        m_inner.coverTail(series, count, waitMs, context, std::move(done));
        return;
    }
    // The job's catch-up fetches the newest bars; BF-7 then covers only what it left missing.
    QPointer<QObject> guard(context);
    m_live.afterCatchUp(series, context, [this, series, count, waitMs, guard, done = std::move(done)] {
        if (guard)
            m_inner.coverTail(series, count, waitMs, guard, done);
    });
}

} // namespace gapless
