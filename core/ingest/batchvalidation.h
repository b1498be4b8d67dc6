#pragma once

#include "core/domain/candle.h"
#include "core/domain/timeframe.h"

#include <QJsonArray>

namespace gapless::ingest {

/// The validate step's outcome for one batch (ING-4).
struct BatchValidation
{
    CandleList accepted;        ///< ascending, unique
    CandleList rejected;        ///< in batch order
    QJsonArray rejectedJson;    ///< `[{index, time?, reasons}]` for the journal row
    qint64 anomalies = 0;       ///< keep-kind anomalies on accepted rows
};

/// DOM-6..8 over a batch in its given order: rejected rows are dropped (and listed), kept
/// anomalies counted, the rest sorted by time. `index` counts from 0 in the batch.
[[nodiscard]] BatchValidation validateBatch(const CandleList &batch, Timeframe timeframe, qint64 nowSeconds,
                                            bool rejectSoftAnomalies);

} // namespace gapless::ingest
