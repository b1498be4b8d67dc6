#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gapless::sources {

/// SRC-1: the exchange's symbol for a series: upper-cased, `/` and the `:SETTLE` suffix
/// removed (`BTC/USDT:USDT` → `BTCUSDT`).
[[nodiscard]] QString binanceSymbol(const SeriesId &series);

/// SRC-1: the native kline interval of a timeframe (1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d);
/// none for the others, which come from 1m and a roll-up.
[[nodiscard]] std::optional<QString> binanceInterval(Timeframe timeframe);

/// SRC-5: the request weight of one klines call.
[[nodiscard]] int klinesWeight(bool futures, int limit);

/// SRC-2: the rows of a klines reply for the window of open times [from, to] (seconds) at
/// `tf`: 12 elements each, an aligned open time in ms, prices and volume as decimal strings
/// of finite numbers, close time = open + tf·1000 − 1, ascending, inside the window. The first
/// bad row fails the whole reply: `row N: got X; expected Y` (N from 1).
[[nodiscard]] Result<CandleList> parseKlineRows(const QByteArray &body, qint64 tfSeconds, qint64 from, qint64 to);

/// SRC-3: keeps only rows closed by both clocks: open + tf <= min(nowS, xnowS − 2).
[[nodiscard]] CandleList closedRows(const CandleList &rows, qint64 tfSeconds, qint64 nowS, qint64 xnowS);

} // namespace gapless::sources
