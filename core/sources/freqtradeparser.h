#pragma once

#include "core/domain/result.h"
#include "core/sources/parsedfile.h"

#include <QByteArrayView>
#include <QString>

namespace gapless::sources {

/// Reads a freqtrade JSON candle file (CLI-8): a top-level array of `[ms, open, high, low,
/// close, volume]` elements, ms a multiple of 1000. Invalid JSON (named by byte offset),
/// a top level that is not an array, an empty file, a NUL byte or invalid UTF-8 reject the
/// file (bad_request); a bad element becomes a LineError whose line is its index from 1:
/// `not_finite` for null (pandas writes NaN as null) or overflow, `malformed` otherwise,
/// including numbers written as strings. Rows are not checked for anomalies (DOM-7).
[[nodiscard]] Result<ParsedFile> parseFreqtrade(const QString &displayName, QByteArrayView bytes);

} // namespace gapless::sources
