#pragma once

#include "core/domain/anomaly.h"
#include "core/domain/candle.h"
#include "core/domain/timeframe.h"

#include <QSet>

#include <optional>

namespace gapless {

/// Checks the rows of one sequence (a file or a batch) in their given order for the DOM-7
/// anomaly kinds. Each kind is checked on its own, so a row may get several. Rejected rows
/// still count as earlier and preceding rows for the rows after them.
/// Rows must be finite: malformed and not_finite lines are not rows (DOM-6).
class SequenceValidator
{
public:
    explicit SequenceValidator(Timeframe timeframe);

    /// The kinds of the next row of the sequence; remembers its time for the rows after it.
    [[nodiscard]] AnomalySet check(const Candle &candle);

    [[nodiscard]] Timeframe timeframe() const { return m_timeframe; }
    /// Rows checked so far.
    [[nodiscard]] qint64 rowCount() const { return m_rowCount; }
    /// Time of the last row checked, which is the preceding row of the next one; none at the start.
    [[nodiscard]] std::optional<qint64> lastTime() const { return m_lastTime; }
    /// Starts a new sequence.
    void reset();

private:
    Timeframe m_timeframe;
    QSet<qint64> m_seenTimes;
    std::optional<qint64> m_lastTime;
    qint64 m_rowCount = 0;
};

/// The kinds that one row has on its own: every DOM-7 kind except duplicate_time and
/// time_not_increasing, which depend on the rows before it.
[[nodiscard]] AnomalySet checkCandle(const Candle &candle, Timeframe timeframe);

/// A bar is closed at `now` iff time + tf <= now (DOM-5); only closed bars are stored (DOM-6).
[[nodiscard]] bool isClosed(const Candle &candle, Timeframe timeframe, qint64 now);

/// Whether a row with these kinds is rejected: any reject kind, or any kind at all when
/// `ingest.reject_soft_anomalies` is on (DOM-8).
[[nodiscard]] bool rejects(AnomalySet kinds, bool rejectSoftAnomalies);

} // namespace gapless
