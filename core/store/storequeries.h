#pragma once

#include "core/store/candlestore.h"

namespace gapless::store {

/// STORE-10: every consecutive stored pair of [from, to] further apart than one bar,
/// computed by the database with a window function, and the range's extent.
[[nodiscard]] Result<GapReport> queryGaps(QSqlDatabase &db, const QString &context, const SeriesId &series, qint64 from,
                                          qint64 to);

/// Every series with a `series` row, with its candle count and extent, by id.
[[nodiscard]] Result<QList<SeriesInfo>> querySeriesList(QSqlDatabase &db, const QString &context);
/// The ids of the `series` rows, sorted; no candle is read.
[[nodiscard]] Result<QList<SeriesId>> querySeriesIds(QSqlDatabase &db, const QString &context);

} // namespace gapless::store
