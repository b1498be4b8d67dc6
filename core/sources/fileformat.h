#pragma once

#include "core/domain/result.h"

#include <QString>

namespace gapless::sources {

/// The candle file formats import and the file source read (CLI-6..8).
enum class FileFormat {
    Csv,
    Freqtrade,
};

/// `csv` or `freqtrade`, the spelling of `--format`.
[[nodiscard]] QString fileFormatName(FileFormat format);

/// The format of `path` (CLI-6): an explicit `csv` or `freqtrade` (any case) wins; else
/// `.csv`/`.csv.gz` is csv and `.json`/`.json.gz` is freqtrade (any case). An unknown explicit
/// format, or an unknown extension without one, is bad_request naming it.
[[nodiscard]] Result<FileFormat> detectFormat(const QString &path, const QString &explicitFormat);

} // namespace gapless::sources
