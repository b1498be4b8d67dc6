#include "core/backfill/healthlamp.h"

using namespace Qt::StringLiterals;

namespace gapless::backfill {

HealthLamp evaluateLamp(const HealthInputs &in, const HealthSettings &settings, qint64 nowS)
{
    if (in.storeUnwritable)
        return {u"red"_s, u"store_unwritable"_s};
    if (!in.live)
        return {u"gray"_s, u"not_live"_s};
    if (!in.head)
        return in.trackerRunning ? HealthLamp{u"yellow"_s, u"lagging_backfilling"_s} : HealthLamp{u"red"_s, u"no_data"_s};
    const qint64 lag = in.lagCandles.value_or(0);
    if (lag == 0) {
        if (in.sourceDown)
            return {u"yellow"_s, u"source_down"_s};
        if (in.openErrors > 0)
            return {u"yellow"_s, u"ingest_errors"_s};
        if (in.clockBackwards)
            return {u"yellow"_s, u"clock_backwards"_s};
        return {u"green"_s, u"fresh"_s};
    }
    if (in.trackerRunning)
        return {u"yellow"_s, u"lagging_backfilling"_s};
    if (in.sourceDown)
        return {u"red"_s, u"source_down"_s};
    if (lag < settings.freshWindowCandles)
        return {u"yellow"_s, u"lagging"_s};
    if (lag < settings.staleWindowCandles && in.trackerSucceededAtS
        && nowS - *in.trackerSucceededAtS <= settings.backfillRecentS)
        return {u"yellow"_s, u"lagging_recent_backfill"_s};
    return {u"red"_s, u"stale"_s};
}

} // namespace gapless::backfill
