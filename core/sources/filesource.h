#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QStringList>

#include <optional>

namespace gapless::sources {

/// The file level of backfill (SRC-13, BF-2 level 1): a series' candles from the first file
/// that names it in `source.file_dirs`. Reads only; the pipeline validates what it returns.
class FileSource
{
public:
    explicit FileSource(QStringList dirs);

    /// The freqtrade-style file name stem: PAIR-tf (futures: PAIR-tf-futures), PAIR = the
    /// symbol with `/ space . @ $ + :` replaced by `_`.
    [[nodiscard]] static QString fileStem(const SeriesId &series);
    /// The first existing file: per directory, `DIR/<exchange>/[futures/]` then `DIR/[futures/]`,
    /// extensions csv, csv.gz, json, json.gz in that order.
    [[nodiscard]] std::optional<QString> locate(const SeriesId &series) const;
    /// The parsed rows of the series' file with from <= time <= to, ascending by file order;
    /// none when no file names the series. An unreadable file is an error naming it.
    [[nodiscard]] Result<CandleList> read(const SeriesId &series, qint64 from, qint64 to) const;

private:
    QStringList m_dirs;
};

} // namespace gapless::sources
