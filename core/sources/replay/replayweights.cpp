#include "core/sources/replay/replayweights.h"

#include "core/domain/timearith.h"
#include "core/sources/binance/klinerows.h"
#include "core/sources/replay/replayclock.h"

#include <algorithm>

namespace gapless::sources {

namespace {

constexpr qint64 kMinuteMs = 60000;
constexpr int kBanSeconds = 120;

} // namespace

ReplayWeights::ReplayWeights(const ReplayClock &clock)
    : m_clock(clock)
{
}

void ReplayWeights::roll(Host *host) const
{
    const qint64 minute = floorDiv(m_clock.nowMs(), kMinuteMs);
    if (minute != host->minute) {
        host->minute = minute;
        host->used = 0;
        host->refused = 0;
    }
}

ReplayWeights::Charge ReplayWeights::charge(ReplayMarket market, int weight,
                                            const std::optional<ReplayFaultItem> &rule)
{
    Host &host = m_hosts.at(size_t(market));
    roll(&host);
    host.used += weight;
    Charge charge{host.used, 0, 0};
    const qint64 wall = m_clock.wallMs();
    if (wall < host.bannedUntilMs) {
        charge.status = 418;
        charge.retryAfterS = int((host.bannedUntilMs - wall + 999) / 1000);
        return charge;
    }
    if (!rule || host.used <= limit(market, *rule))
        return charge;
    if (++host.refused > rule->banAfter) {
        host.bannedUntilMs = wall + kBanSeconds * 1000;
        charge.status = 418;
        charge.retryAfterS = kBanSeconds;
        return charge;
    }
    const qint64 toNextMinute = (host.minute + 1) * kMinuteMs - m_clock.nowMs();
    charge.status = 429;
    charge.retryAfterS = int(std::max<qint64>(1, (m_clock.wallSpan(toNextMinute) + 999) / 1000));
    return charge;
}

qint64 ReplayWeights::used(ReplayMarket market) const
{
    const Host &host = m_hosts.at(size_t(market));
    return floorDiv(m_clock.nowMs(), kMinuteMs) == host.minute ? host.used : 0;
}

int ReplayWeights::klinesWeight(ReplayMarket market, qint64 limit)
{
    // The exchange charges what the client budgets for (SRC-5): one rule for both.
    return sources::klinesWeight(market == ReplayMarket::Futures, int(std::min<qint64>(limit, 1'000'000)));
}

qint64 ReplayWeights::limit(ReplayMarket market, const ReplayFaultItem &rule)
{
    if (rule.limit)
        return *rule.limit;
    return market == ReplayMarket::Spot ? 6000 : 2400;
}

} // namespace gapless::sources
