#pragma once

#include "core/domain/candle.h"

#include <QByteArray>
#include <QByteArrayView>

namespace gapless::protocol::candletext {

/// Appends `value` exactly as the JSON codec writes it: a whole number below 2^53 in magnitude
/// as an integer, any other finite value as its shortest round-trip text, a non-finite one as
/// `null` (PROTO-17; the candle values are finite by DOM-6).
void appendNumber(QByteArray &out, double value);

/// Appends the JSON array of `count` candles from `first`, byte for byte what
/// `serverframe::text()` writes for `serverframe::candlesJson()`: keys in sorted order, no spaces.
void appendCandles(QByteArray &out, const Candle *first, qsizetype count);

} // namespace gapless::protocol::candletext
