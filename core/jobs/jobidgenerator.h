#pragma once

#include "core/domain/result.h"
#include "core/runtime/clock.h"

#include <functional>

namespace gapless::jobs {

/// Job ids (JOB-1..4): `((ms − 2024-01-01Z) << 22) | (node_id << 12) | seq`, strictly
/// increasing for one node. Not thread-safe: one owner thread calls next().
class JobIdGenerator final
{
public:
    static constexpr qint64 kEpochMs = 1704067200000;
    static constexpr int kMaxSeq = 4095;

    /// Waits out `ms` milliseconds; tests advance their clock instead of sleeping.
    using Wait = std::function<void(qint64 ms)>;

    /// `nodeId` 0–1023 (JOB-2, checked by the settings); the default `wait` sleeps.
    JobIdGenerator(const Clock &clock, int nodeId, int toleranceMs, Wait wait = {});

    /// JOB-4: last_ms from this node's largest stored job id (0 or none: nothing stored).
    void seed(qint64 largestJobId);
    /// The next id; `unavailable` "clock moved backwards by d ms" while the clock is behind
    /// by more than the tolerance (one warning per episode).
    [[nodiscard]] Result<qint64> next();

    /// Whether the last call found the clock behind beyond the tolerance (health reason
    /// `clock_backwards`, HLT-4); cleared by the first id issued after it.
    [[nodiscard]] bool clockBackwards() const { return m_backwards; }
    /// JOB-4 without asking for an id: the clock is behind the last id's time by more than
    /// the tolerance now (the episode lasts until it is not).
    [[nodiscard]] bool behind() const { return m_lastMs - m_clock.nowMs() > m_toleranceMs; }
    /// Backwards episodes seen so far (each logged once).
    [[nodiscard]] int episodes() const { return m_episodes; }
    [[nodiscard]] int nodeId() const { return m_nodeId; }

    [[nodiscard]] static qint64 msOf(qint64 jobId) { return (jobId >> 22) + kEpochMs; }
    [[nodiscard]] static int nodeOf(qint64 jobId) { return int((jobId >> 12) & 0x3ff); }
    [[nodiscard]] static int seqOf(qint64 jobId) { return int(jobId & 0xfff); }

private:
    void waitUntilPast(qint64 ms);

    const Clock &m_clock;
    int m_nodeId;
    int m_toleranceMs;
    Wait m_wait;
    qint64 m_lastMs = 0;
    int m_seq = -1;
    bool m_backwards = false;
    int m_episodes = 0;
};

} // namespace gapless::jobs
