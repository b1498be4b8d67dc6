#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QJsonObject>

#include <optional>

namespace gapless::protocol {

/// The largest integer a JSON number carries exactly (2^53); time and cursor arguments stop here.
inline constexpr qint64 kMaxJsonInteger = qint64(1) << 53;

/// An integer argument: a JSON number that is integral and in [min, max]. Absent or null is
/// none; `true`, `"1"` and `1.5` are bad_request naming the argument (`limit: got 0; expected an
/// integer in 1..5000`). `100.0` counts as 100.
[[nodiscard]] Result<std::optional<qint64>> optionalIntegerArg(const QJsonObject &args, QLatin1StringView name,
                                                               qint64 min, qint64 max);

/// The same with `fallback` for an absent or null argument.
[[nodiscard]] Result<qint64> integerArg(const QJsonObject &args, QLatin1StringView name, qint64 min, qint64 max,
                                        qint64 fallback);

/// A `series_id` argument: a string holding a DOM-1 id (the SeriesId::parse message otherwise),
/// `binance` only with spot or futures (DOM-3). Absent or null is none. A string far longer
/// than any id is refused without echoing it whole.
[[nodiscard]] Result<std::optional<SeriesId>> optionalSeriesArg(const QJsonObject &args);

/// The same when the argument is required: absent or null is bad_request.
[[nodiscard]] Result<SeriesId> seriesArg(const QJsonObject &args);

} // namespace gapless::protocol
