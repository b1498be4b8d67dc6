#pragma once

#include "core/sources/replay/replayhttp.h"
#include "core/sources/replay/replayweights.h"

namespace gapless::sources {

struct ReplayContext;

/// The Binance REST routes of the replay exchange (SRC-16): `/api/v3/klines`,
/// `/fapi/v1/klines`, `/api/v3/time`, `/fapi/v1/time`, each with X-MBX-USED-WEIGHT-1m, and the
/// REST faults of SRC-18 (weights, http429, http5xx, malformed, latency) applied in that order.
class ReplayRest
{
public:
    explicit ReplayRest(ReplayContext &context);

    /// Answers one market request and counts its reply; a latency fault sets `delayMs`, which
    /// the caller waits before writing.
    [[nodiscard]] ReplayHttpReply answer(const ReplayHttpRequest &request);

private:
    [[nodiscard]] ReplayHttpReply route(const ReplayHttpRequest &request, ReplayMarket market) const;
    [[nodiscard]] ReplayHttpReply klines(const ReplayHttpRequest &request, ReplayMarket market) const;
    [[nodiscard]] ReplayHttpReply serverTime() const;
    [[nodiscard]] static int weight(const ReplayHttpRequest &request, ReplayMarket market);

    ReplayContext &m_context;
};

/// `{"code":code,"msg":msg}`, Binance's error body.
[[nodiscard]] ReplayHttpReply binanceError(int status, int code, const QString &msg);

} // namespace gapless::sources
