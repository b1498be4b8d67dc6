#pragma once

#include "core/domain/candle.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

#include <optional>

namespace gapless::sources {

/// The seconds of a Binance native interval (SRC-1): 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d.
[[nodiscard]] std::optional<qint64> klineIntervalSeconds(QStringView interval);

/// A 1m row as it stands at V while it forms (SRC-17): p = (V - time)/60,
/// c' = o + (c-o)p, h' = max(o,c') + (h - max(o,c))p, l' = min(o,c') - (min(o,c) - l)p, v' = vp.
[[nodiscard]] Candle formingMinute(const Candle &row, qint64 virtualMs);

/// Adds the next minute of a bucket: high max, low min, close last, volume sum.
void foldMinute(Candle *bucket, const Candle &minute);

/// A REST kline row (SRC-2): [openMs, "o", "h", "l", "c", "v", closeMs, "quote", trades,
/// "takerBase", "takerQuote", "0"], decimals in shortest round-trip text.
[[nodiscard]] QJsonArray klineRow(const Candle &bar, qint64 tfSeconds);

/// A stream kline event (SRC-8): `{"e":"kline","E":eventMs,"s":SYMBOL,"k":{t,T,s,i,…,x}}`.
[[nodiscard]] QByteArray klineEvent(const QString &symbol, const QString &interval, const Candle &bar,
                                    qint64 tfSeconds, bool closed, qint64 eventMs);

/// `{"e":"serverShutdown","E":eventMs}`, sent before a disconnect with notice.
[[nodiscard]] QByteArray serverShutdownEvent(qint64 eventMs);

} // namespace gapless::sources
