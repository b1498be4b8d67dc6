#pragma once

#include "core/domain/candle.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace gapless::protocol::candletext {

/// Appends `value` exactly as the JSON codec writes it: a whole number below 2^53 in magnitude
/// as an integer, any other finite value as its shortest round-trip text, a non-finite one as
/// `null` (PROTO-17; the candle values are finite by DOM-6).
void appendNumber(QByteArray &out, double value);

/// Appends the JSON array of `count` candles from `first`, byte for byte what
/// `serverframe::text()` writes for `serverframe::candlesJson()`: keys in sorted order, no spaces.
void appendCandles(QByteArray &out, const Candle *first, qsizetype count);

/// A `candles_batch` frame read in one pass.
struct Batch
{
    QString seriesId;
    CandleList candles;
};

/// Reads the text of a `candles_batch` frame without building JSON values. Gives nullopt for
/// any other frame and for anything the pass does not take on (an escape or non-ASCII byte in
/// a string, a key other than type/v/series_id/candles or a candle's six, a repeated or missing
/// key, a number out of range, a non-integral or negative time, malformed JSON): the caller then
/// decodes the frame with the codec, which accepts or rejects it as before.
[[nodiscard]] std::optional<Batch> readCandlesBatch(QByteArrayView utf8);

} // namespace gapless::protocol::candletext
