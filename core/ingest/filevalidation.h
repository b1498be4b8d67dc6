#pragma once

#include "core/domain/anomaly.h"
#include "core/domain/candle.h"
#include "core/domain/timeframe.h"
#include "core/sources/parsedfile.h"

#include <QStringList>

#include <optional>

namespace gapless::ingest {

/// A row that will not be stored, with every reason (DOM-6..8, CLI-9).
struct RejectedRow
{
    qint64 line = 0;
    std::optional<qint64> time;
    QStringList reasons;
    QString detail; ///< `<problem>; expected <what>` for the reasons, without file or line
};

/// A keep-kind anomaly on a stored row (DOM-8), or any anomaly in a `gaps --anomalies` listing.
struct AnomalyRow
{
    std::optional<qint64> line; ///< none for rows read from the store
    qint64 time = 0;
    AnomalyKind kind = AnomalyKind::ZeroVolume;
};

struct ValidationRules
{
    Timeframe timeframe;
    qint64 nowSeconds = 0;           ///< rows not closed at this time are rejected (DOM-6)
    bool rejectSoftAnomalies = false; ///< `ingest.reject_soft_anomalies` or `--reject-anomalies`
};

/// The outcome of checking a parsed file row by row in file order.
struct FileValidation
{
    qint64 rows = 0;           ///< data lines: parsed rows plus malformed lines
    CandleList accepted;       ///< rows to store, ascending and unique by time
    QList<RejectedRow> rejected;   ///< by line
    QList<AnomalyRow> anomalies;   ///< kept anomalies, by line then DOM-7 order
};

/// Applies DOM-6..8 to every row of `file`: malformed lines, not-closed bars and reject kinds
/// are refused, keep kinds are reported. Accepted rows are sorted by time, since a row that
/// follows a rejected out-of-order row may be older than an accepted one before it.
[[nodiscard]] FileValidation validateFile(const sources::ParsedFile &file, const ValidationRules &rules);

/// `FILE:LINE: <detail>`, the DOM-13 message of a rejected row.
[[nodiscard]] QString rejectedMessage(const QString &file, const RejectedRow &row);

} // namespace gapless::ingest
