#pragma once

#include "core/domain/candle.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace gapless::repair {

inline constexpr qint64 kDaySeconds = 86400;

/// One UTC day of a verify range (REP-2): [from, to) = [k·86400, (k+1)·86400) ∩ range.
struct DaySpan
{
    qint64 from = 0;
    qint64 to = 0;

    /// `YYYY-MM-DD` of the day the span lies in.
    [[nodiscard]] QString name() const;
    friend bool operator==(const DaySpan &, const DaySpan &) = default;
};

/// The day spans of [from, to), in order; empty when from >= to.
[[nodiscard]] QList<DaySpan> daySpans(qint64 from, qint64 to);

/// REP-3: `T,O,H,L,C,V\n`, T an integer, values as formatNumber() writes them (shortest
/// round-trip, -0 as 0).
[[nodiscard]] QByteArray checksumLine(const Candle &candle);

/// REP-3: hex SHA-256 of the rows' checksum lines in the given (time) order; no rows gives
/// the SHA-256 of nothing, `e3b0c442…b855`.
[[nodiscard]] QString bucketChecksum(const CandleList &rows);

/// REP-4: a bucket's rows compared by time, exactly. Times ascending.
struct BucketDiff
{
    QList<qint64> missing; ///< the source has the row, local does not
    QList<qint64> extra;   ///< local has the row, the source does not
    QList<qint64> differ;  ///< both have it and a value differs

    [[nodiscard]] bool isEmpty() const { return missing.isEmpty() && extra.isEmpty() && differ.isEmpty(); }
};

/// Diffs two ascending, time-unique row lists.
[[nodiscard]] BucketDiff diffRows(const CandleList &local, const CandleList &source);

/// The rows of an ascending list with from <= time < to (binary search).
[[nodiscard]] CandleList rowsIn(const CandleList &rows, qint64 from, qint64 to);

} // namespace gapless::repair
