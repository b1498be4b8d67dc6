#pragma once

#include "core/domain/result.h"
#include "core/sources/parsedfile.h"

#include <QString>

namespace gapless::sources {

/// Reads the candle file at `path` in `format` (CLI-6..8): readFileBytes (gunzipping when the
/// bytes are gzip), then parseCsv or parseFreqtrade. Messages name `path` as given.
[[nodiscard]] Result<ParsedFile> readCandleFile(const QString &path, FileFormat format);

} // namespace gapless::sources
