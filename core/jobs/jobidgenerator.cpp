#include "core/jobs/jobidgenerator.h"

#include "core/jobs/jobslog.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

JobIdGenerator::JobIdGenerator(const Clock &clock, int nodeId, int toleranceMs, Wait wait)
    : m_clock(clock)
    , m_nodeId(nodeId & 0x3ff)
    , m_toleranceMs(toleranceMs)
    , m_wait(wait ? std::move(wait) : Wait([](qint64 ms) { QThread::msleep(ulong(std::max<qint64>(ms, 1))); }))
{
}

void JobIdGenerator::seed(qint64 largestJobId)
{
    if (largestJobId <= 0)
        return;
    const qint64 ms = msOf(largestJobId);
    if (ms > m_lastMs || (ms == m_lastMs && seqOf(largestJobId) > m_seq)) {
        m_lastMs = ms;
        m_seq = seqOf(largestJobId);
    }
}

Result<qint64> JobIdGenerator::next()
{
    qint64 now = m_clock.nowMs();
    if (now < m_lastMs) {
        const qint64 behind = m_lastMs - now;
        if (behind > m_toleranceMs) {
            if (!m_backwards) {
                m_backwards = true;
                ++m_episodes;
                qCWarning(lcJobs).noquote() << u"job ids: clock moved backwards by %1 ms; no ids until it "
                                               u"reaches the last id's time again (JOB-4)"_s.arg(behind);
            }
            return Error::unavailable(u"job id: clock moved backwards by %1 ms; expected a clock at or past "
                                      u"the last job id's time"_s.arg(behind));
        }
        waitUntilPast(m_lastMs - 1);
        now = m_clock.nowMs();
    }
    m_backwards = false;
    if (now == m_lastMs) {
        if (m_seq >= kMaxSeq) {
            // JOB-3: the millisecond is used up; the next one starts at seq 0.
            waitUntilPast(m_lastMs);
            now = m_clock.nowMs();
            m_seq = -1;
        }
    } else {
        m_seq = -1;
    }
    m_lastMs = now;
    ++m_seq;
    return ((now - kEpochMs) << 22) | (qint64(m_nodeId) << 12) | qint64(m_seq);
}

void JobIdGenerator::waitUntilPast(qint64 ms)
{
    while (m_clock.nowMs() <= ms)
        m_wait(ms + 1 - m_clock.nowMs());
}

} // namespace gapless::jobs
