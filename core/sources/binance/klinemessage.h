#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"

#include <QByteArrayView>
#include <QString>

namespace gapless::sources {

/// One message of a Binance kline stream (SRC-8): a `kline` event, whose `k` carries a bar
/// and whether it is closed (`x`), or a `serverShutdown` notice (SRC-11).
struct KlineMessage
{
    enum class Kind { Kline, ServerShutdown };

    Kind kind = Kind::Kline;
    Candle candle;       ///< Kline: the bar, open time in seconds
    bool closed = false; ///< Kline: `x`
    qint64 eventMs = 0;  ///< `E`, when present and integral; else 0
};

/// Parses and checks one stream message of the interval `interval` (`1m`, `tfSeconds` 60):
/// a JSON object whose `e` is `kline` or `serverShutdown`; for a kline, `k.t` an open time in
/// ms aligned to tf within [0, 10^11) s, `k.T` = t + tf·1000 − 1, `k.i` the interval,
/// `k.o h l c v` decimal strings of finite numbers, `k.x` a boolean. The first bad field
/// fails it: `k.T: got 1700000119998; expected 1700000119999 (t + 60000 − 1)` (DOM-13).
[[nodiscard]] Result<KlineMessage> parseKlineMessage(QByteArrayView text, const QString &interval, qint64 tfSeconds);

} // namespace gapless::sources
