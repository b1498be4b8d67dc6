#include "core/sources/binance/reconnectpolicy.h"

#include <algorithm>
#include <cmath>

namespace gapless::sources {

ReconnectPolicy::ReconnectPolicy(Options options, std::function<double()> random)
    : m_options(options)
    , m_random(std::move(random))
{
}

qint64 ReconnectPolicy::afterFailure(qint64 nowMs)
{
    const double u = 0.5 + 0.5 * std::clamp(m_random(), 0.0, 1.0);
    const double step = std::min<double>(double(m_options.capMs),
                                         double(m_options.baseMs) * std::pow(2.0, std::min(m_failures, 62)));
    ++m_failures;
    return std::max(nowMs + qint64(step * u), earliestConnectMs(nowMs));
}

qint64 ReconnectPolicy::earliestConnectMs(qint64 nowMs)
{
    while (!m_connects.isEmpty() && m_connects.head() <= nowMs - m_options.connectWindowMs)
        m_connects.dequeue();
    if (m_connects.size() < m_options.connectLimit)
        return nowMs;
    // The oldest connect that must leave the window for one more to fit.
    return m_connects.at(m_connects.size() - m_options.connectLimit) + m_options.connectWindowMs;
}

void ReconnectPolicy::recordConnect(qint64 nowMs)
{
    m_connects.enqueue(nowMs);
}

} // namespace gapless::sources
