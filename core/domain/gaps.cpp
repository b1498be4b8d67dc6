#include "core/domain/gaps.h"

namespace gapless {

GapScanner::GapScanner(Timeframe timeframe)
    : m_timeframe(timeframe)
{
    Q_ASSERT(timeframe.isValid());
}

std::optional<Gap> GapScanner::add(qint64 time)
{
    std::optional<Gap> gap;
    if (m_lastTime) {
        const qint64 step = time - *m_lastTime;
        if (step > m_timeframe.seconds()) {
            gap = Gap{*m_lastTime, time, step / m_timeframe.seconds() - 1};
            m_gaps.append(*gap);
            m_missingBarsTotal += gap->missingBars;
        }
    } else {
        m_firstTime = time;
    }
    m_lastTime = time;
    ++m_rowCount;
    return gap;
}

QList<Gap> findGaps(const QList<qint64> &times, Timeframe timeframe)
{
    GapScanner scanner(timeframe);
    for (const qint64 time : times)
        scanner.add(time);
    return scanner.gaps();
}

} // namespace gapless
