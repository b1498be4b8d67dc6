#pragma once

#include "core/domain/candle.h"

#include <QString>

namespace gapless::test {

/// Reads a well-formed `time,open,high,low,close,volume` file with plain splitting, independent
/// of the production readers, so tests can compare against it.
[[nodiscard]] CandleList readPlainCsv(const QString &path);

} // namespace gapless::test
