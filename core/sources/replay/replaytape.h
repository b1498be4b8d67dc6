#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"

#include <QString>

#include <optional>

namespace gapless::sources {

/// How a tape's rows are laid on virtual time (SRC-15).
enum class ReplayTimeMode {
    Contiguous, ///< slot k at T0 + 60k carries row k mod N: the rows back to back, holes closed
    Shift,      ///< the file's own spacing, shifted to end at T0 - 60 and repeated every period
};

/// Parses `contiguous` or `shift`; the error names the text.
[[nodiscard]] Result<ReplayTimeMode> parseReplayTimeMode(QStringView text);

/// The 1m rows of one symbol laid on virtual time (SRC-15). Bars are numbered by ordinal:
/// 1 is the first live bar (at T0), 2 the next, and so on without end (the tape loops); the N
/// rows before it (ordinals 1-N … 0) are the history that ends at T0 - 60.
class ReplayTape
{
public:
    /// Reads a CSV per CLI-7, strictly: the first bad line, a row that DOM-7 rejects (times
    /// aligned to 60 s, strictly ascending) or a file without rows is an error `FILE:LINE: …`.
    [[nodiscard]] static Result<CandleList> readCsv(const QString &path);

    /// `rows` ascending, aligned to 60 s and not empty; `tapeStart` = T0 (seconds, aligned).
    ReplayTape(CandleList rows, ReplayTimeMode mode, qint64 tapeStart);

    [[nodiscard]] ReplayTimeMode mode() const { return m_mode; }
    [[nodiscard]] qsizetype rowCount() const { return m_rows.size(); }
    [[nodiscard]] qint64 tapeStart() const { return m_tapeStart; }
    /// The oldest ordinal: 1 - N.
    [[nodiscard]] qint64 firstOrdinal() const { return 1 - m_rows.size(); }

    /// The row of `ordinal` (>= firstOrdinal()) with its time moved to its slot.
    [[nodiscard]] Candle bar(qint64 ordinal) const;
    /// The slot time of `ordinal`.
    [[nodiscard]] qint64 time(qint64 ordinal) const;
    /// The ordinal whose slot is exactly `time`, if any.
    [[nodiscard]] std::optional<qint64> ordinalAt(qint64 time) const;
    /// The first ordinal with a slot at or after `time` (the tape never ends).
    [[nodiscard]] qint64 ordinalAtOrAfter(qint64 time) const;
    /// The last ordinal with a slot at or before `time`; none before the history.
    [[nodiscard]] std::optional<qint64> ordinalAtOrBefore(qint64 time) const;

    /// A 1m bar at `time` is closed at V iff time + 60 <= V (SRC-15); V in ms.
    [[nodiscard]] static bool isClosed(qint64 time, qint64 virtualMs);

private:
    struct Position
    {
        qint64 cycle = 0;
        qsizetype index = 0;
    };
    [[nodiscard]] Position position(qint64 ordinal) const;
    [[nodiscard]] qint64 ordinal(Position position) const;

    CandleList m_rows;
    ReplayTimeMode m_mode;
    qint64 m_tapeStart;
    qint64 m_shift = 0;  ///< shift mode: D = T0 - 60 - t_last
    qint64 m_period = 0; ///< shift mode: P = t_last - t_first + 60
};

} // namespace gapless::sources
