#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/runtime/sectionsettings.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace gapless::store {
class CandleStore;
}

namespace gapless::protocol {

/// The HLT-1 figures of one series at `nowS`.
struct LagFigures
{
    std::optional<qint64> expectedLatestClosed; ///< E(now); none before the first closed bar
    std::optional<qint64> lagCandles;           ///< none without a head
    std::optional<qint64> lagSeconds;           ///< lagCandles · tf
};

/// HLT-1: E(now), and with a head `max(0, (E(now - closeGraceS) - head) / tf)` candles (0 when
/// that E is none) and the same in seconds.
[[nodiscard]] LagFigures lagFigures(qint64 nowS, Timeframe timeframe, std::optional<qint64> head, qint64 closeGraceS);

/// The HLT-5 object of a series that has no live source: lamp gray, reason not_live (HLT-3
/// row 2), source_state none, backfill idle, owner_node null; the HLT-1 fields computed.
[[nodiscard]] QJsonObject notLiveHealth(const SeriesId &series, qint64 nowS, std::optional<qint64> head,
                                        const HealthSettings &health, qint64 openErrors);

/// The number of `open` ingest_errors rows per series id, for `series` only when given.
[[nodiscard]] Result<QHash<QString, qint64>> openErrorCounts(store::CandleStore &store,
                                                             const std::optional<SeriesId> &series);

} // namespace gapless::protocol
