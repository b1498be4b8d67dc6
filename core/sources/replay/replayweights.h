#pragma once

#include "core/sources/replay/replayfaultspec.h"

#include <array>
#include <optional>

namespace gapless::sources {

class ReplayClock;

/// The two Binance hosts the replay exchange stands in for, each with its own weight budget.
enum class ReplayMarket { Spot, Futures };

/// Request weight per minute of V and host (SRC-5, SRC-18 `weights`): every REST request adds
/// its weight; X-MBX-USED-WEIGHT-1m reports the sum. Under a `weights` rule, a request that
/// takes the sum over the limit gets 429 (Retry-After: to the next minute of V), and after
/// `ban_after` such replies in one minute the host answers 418 (Retry-After 120) for 120 s of
/// wall time.
class ReplayWeights
{
public:
    explicit ReplayWeights(const ReplayClock &clock);

    struct Charge
    {
        qint64 used = 0;       ///< weight used in this minute of V, this request included
        int status = 0;        ///< 0, 429 or 418
        int retryAfterS = 0;
    };
    [[nodiscard]] Charge charge(ReplayMarket market, int weight, const std::optional<ReplayFaultItem> &rule);
    /// Weight used in the current minute of V.
    [[nodiscard]] qint64 used(ReplayMarket market) const;

    /// SRC-5: spot klines 2; futures by limit [1,100) 1, [100,500) 2, [500,1000] 5, above 10.
    [[nodiscard]] static int klinesWeight(ReplayMarket market, qint64 limit);
    /// 6000 spot, 2400 futures unless the rule names a limit.
    [[nodiscard]] static qint64 limit(ReplayMarket market, const ReplayFaultItem &rule);

private:
    struct Host
    {
        qint64 minute = 0;
        qint64 used = 0;
        int refused = 0;
        qint64 bannedUntilMs = 0;
    };
    void roll(Host *host) const;

    const ReplayClock &m_clock;
    std::array<Host, 2> m_hosts;
};

} // namespace gapless::sources
