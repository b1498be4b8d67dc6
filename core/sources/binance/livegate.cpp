#include "core/sources/binance/livegate.h"

namespace gapless::sources {

LiveGate::LiveGate(qint64 tfSeconds)
    : m_tf(tfSeconds)
{
}

void LiveGate::reset(std::optional<qint64> last)
{
    m_last = last;
    m_held.reset();
    m_queue.clear();
}

void LiveGate::advanceTo(qint64 time)
{
    if (!m_last || time > *m_last)
        m_last = time;
}

void LiveGate::offer(const Candle &closed)
{
    m_queue.enqueue(closed);
}

LiveGate::Step LiveGate::next()
{
    Step step;
    while (!m_held && !m_queue.isEmpty()) {
        const Candle &c = m_queue.head();
        if (m_last && c.time <= *m_last) {
            ++m_ignored;
            m_queue.dequeue();
            continue;
        }
        if (!m_last || c.time == *m_last + m_tf) {
            m_last = c.time;
            step.kind = Step::Kind::Ingest;
            step.candles.append(m_queue.dequeue());
            continue;
        }
        if (step.kind == Step::Kind::Ingest)
            return step; // the run so far first; the hole is the next step
        m_held = m_queue.dequeue();
        step.kind = Step::Kind::Heal;
        step.from = *m_last + m_tf;
        step.to = m_held->time - m_tf;
        return step;
    }
    return step;
}

LiveGate::Step LiveGate::finishHeal(const CandleList &rows)
{
    Step step;
    if (!m_held)
        return step;
    step.kind = Step::Kind::Ingest;
    for (const Candle &c : rows) {
        const qint64 after = step.healed.isEmpty() ? m_last.value_or(c.time - m_tf) : step.healed.constLast().time;
        if (c.time > after && c.time < m_held->time)
            step.healed.append(c);
    }
    // The head may have passed the held bar meanwhile (advanceTo): then it is ignored too.
    if (!m_last || m_held->time > *m_last) {
        step.candles.append(*m_held);
        m_last = m_held->time;
    } else {
        ++m_ignored;
    }
    m_held.reset();
    return step;
}

} // namespace gapless::sources
