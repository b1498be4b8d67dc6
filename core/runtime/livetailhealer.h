#pragma once

#include "core/protocol/holehealer.h"

namespace gapless {

class LiveJobs;

/// The hole healer the server gets when live jobs run: holes go to the gap backfill as they
/// are, but a tail subscription whose base has a job still catching up waits for that
/// catch-up before BF-7 looks at the tail, so the first subscription fetches its tail once
/// (by the job) instead of twice (PROTO-13, PROTO-25, SRC-10).
class LiveTailHealer final : public protocol::HoleHealer
{
public:
    /// Both outlive the healer.
    LiveTailHealer(protocol::HoleHealer &inner, LiveJobs &live) : m_inner(inner), m_live(live) {}

    [[nodiscard]] bool canHeal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime) const override;
    void heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int waitMs, QObject *context,
              std::function<void()> done) override;
    void coverTail(const SeriesId &series, int count, int waitMs, QObject *context,
                   std::function<void()> done) override;

private:
    protocol::HoleHealer &m_inner;
    LiveJobs &m_live;
};

} // namespace gapless
