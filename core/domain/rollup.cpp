#include "core/domain/rollup.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless {

Result<void> checkRollup(Timeframe base, Timeframe target)
{
    if (!base.isValid() || !target.isValid())
        return Error::badRequest(u"roll-up: timeframe not set; expected a base and a target timeframe"_s);
    const QString input = u"roll-up %1 to %2: "_s.arg(base.toString(), target.toString());
    if (target.seconds() <= base.seconds())
        return Error::badRequest(input
                                 + u"target %1 is not longer than base %2; expected a target longer than %2"_s.arg(
                                     target.toString(), base.toString()));
    if (target.seconds() % base.seconds() != 0)
        return Error::badRequest(
            input
            + u"target %1 is not a multiple of base %2; expected a target that is a whole number of %2 bars"_s.arg(
                target.toString(), base.toString()));
    if (target.seconds() % 60 != 0)
        return Error::badRequest(
            input + u"target %1 is not a whole number of minutes; expected a multiple of 60 s"_s.arg(target.toString()));
    return {};
}

RollupAccumulator::RollupAccumulator(Timeframe base, Timeframe target)
    : m_base(base)
    , m_target(target)
{
    Q_ASSERT(checkRollup(base, target).ok());
    m_slotsPerBucket = target.seconds() / base.seconds();
}

std::optional<Candle> RollupAccumulator::add(const Candle &c)
{
    if ((m_lastTime && c.time <= *m_lastTime) || !m_base.isAligned(c.time)) {
        ++m_skipped;
        return std::nullopt;
    }
    m_lastTime = c.time;

    const qint64 bucket = m_target.floor(c.time);
    if (m_filling && m_filling->time != bucket)
        finish();
    if (!m_filling) {
        m_filling = Candle{bucket, c.open, c.high, c.low, c.close, c.volume};
        m_fillingSlots = 1;
        ++m_buckets;
    } else {
        m_filling->high = std::max(m_filling->high, c.high);
        m_filling->low = std::min(m_filling->low, c.low);
        m_filling->close = c.close;
        m_filling->volume += c.volume;
        ++m_fillingSlots;
    }
    // Aligned, strictly ascending slots: the count reaches T/b exactly at the last slot,
    // and no later candle can fall into this bucket.
    if (m_fillingSlots < m_slotsPerBucket)
        return std::nullopt;
    ++m_complete;
    std::optional<Candle> done = m_filling;
    m_filling.reset();
    return done;
}

void RollupAccumulator::finish()
{
    if (m_filling) {
        ++m_incomplete;
        m_filling.reset();
    }
}

RollupResult rollUp(const CandleList &ascendingBase, Timeframe base, Timeframe target)
{
    RollupAccumulator accumulator(base, target);
    RollupResult result;
    for (const Candle &c : ascendingBase) {
        if (auto bar = accumulator.add(c))
            result.complete.append(*bar);
    }
    accumulator.finish();
    result.incomplete = accumulator.incomplete();
    result.buckets = accumulator.buckets();
    return result;
}

} // namespace gapless
