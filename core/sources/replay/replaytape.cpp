#include "core/sources/replay/replaytape.h"

#include "core/domain/candlevalidator.h"
#include "core/domain/timearith.h"
#include "core/sources/candlefile.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kMinute = 60;

/// The first row that DOM-7 rejects, as `FILE:LINE: detail`, with its line.
std::optional<std::pair<qint64, QString>> firstRejectedRow(const ParsedFile &file)
{
    const Timeframe minute = *Timeframe::fromSeconds(kMinute);
    SequenceValidator validator(minute);
    for (const ParsedRow &row : file.rows) {
        const std::optional<qint64> previous = validator.lastTime();
        const AnomalySet kinds = validator.check(row.candle);
        for (const AnomalyKind kind : kinds) {
            if (isRejectKind(kind))
                return std::pair{row.line, u"%1:%2: %3"_s.arg(file.file).arg(row.line).arg(
                                               anomalyDetail(kind, row.candle, minute, previous))};
        }
    }
    return std::nullopt;
}

qint64 lowerIndex(const CandleList &rows, qint64 time)
{
    const auto it = std::lower_bound(rows.cbegin(), rows.cend(), time,
                                     [](const Candle &c, qint64 t) { return c.time < t; });
    return qint64(it - rows.cbegin());
}

qint64 upperIndex(const CandleList &rows, qint64 time)
{
    const auto it = std::upper_bound(rows.cbegin(), rows.cend(), time,
                                     [](qint64 t, const Candle &c) { return t < c.time; });
    return qint64(it - rows.cbegin());
}

} // namespace

Result<ReplayTimeMode> parseReplayTimeMode(QStringView text)
{
    if (text == u"contiguous")
        return ReplayTimeMode::Contiguous;
    if (text == u"shift")
        return ReplayTimeMode::Shift;
    return Error::badRequest(u"--time-mode '%1': unknown; expected contiguous or shift"_s.arg(text));
}

Result<CandleList> ReplayTape::readCsv(const QString &path)
{
    Result<ParsedFile> parsed = readCandleFile(path, FileFormat::Csv);
    if (!parsed)
        return parsed.error();
    const std::optional<std::pair<qint64, QString>> rejected = firstRejectedRow(*parsed);
    if (!parsed->errors.isEmpty()) {
        const LineError &error = parsed->errors.constFirst();
        if (!rejected || error.line < rejected->first)
            return Error::badRequest(u"%1:%2: %3"_s.arg(path).arg(error.line).arg(error.detail));
    }
    if (rejected)
        return Error::badRequest(rejected->second);
    if (parsed->rows.isEmpty())
        return Error::badRequest(u"%1: no rows; expected at least one 1m row after the header"_s.arg(path));
    CandleList rows;
    rows.reserve(parsed->rows.size());
    for (const ParsedRow &row : std::as_const(parsed->rows))
        rows.append(row.candle);
    return rows;
}

ReplayTape::ReplayTape(CandleList rows, ReplayTimeMode mode, qint64 tapeStart)
    : m_rows(std::move(rows))
    , m_mode(mode)
    , m_tapeStart(tapeStart)
{
    Q_ASSERT(!m_rows.isEmpty());
    Q_ASSERT(tapeStart % kMinute == 0);
    m_shift = tapeStart - kMinute - m_rows.constLast().time;
    m_period = m_rows.constLast().time - m_rows.constFirst().time + kMinute;
}

ReplayTape::Position ReplayTape::position(qint64 ordinal) const
{
    Q_ASSERT(ordinal >= firstOrdinal());
    const qint64 j = ordinal - firstOrdinal();
    return {j / m_rows.size(), qsizetype(j % m_rows.size())};
}

qint64 ReplayTape::ordinal(Position p) const
{
    return p.cycle * m_rows.size() + p.index + firstOrdinal();
}

qint64 ReplayTape::time(qint64 ordinal) const
{
    if (m_mode == ReplayTimeMode::Contiguous)
        return m_tapeStart + kMinute * (ordinal - 1);
    const Position p = position(ordinal);
    return m_rows.at(p.index).time + m_shift + p.cycle * m_period;
}

Candle ReplayTape::bar(qint64 ordinal) const
{
    Candle c = m_rows.at(position(ordinal).index);
    c.time = time(ordinal);
    return c;
}

std::optional<qint64> ReplayTape::ordinalAt(qint64 t) const
{
    const std::optional<qint64> before = ordinalAtOrBefore(t);
    if (before && time(*before) == t)
        return before;
    return std::nullopt;
}

qint64 ReplayTape::ordinalAtOrAfter(qint64 t) const
{
    if (m_mode == ReplayTimeMode::Contiguous) {
        const qint64 j = -floorDiv(-(t - time(firstOrdinal())), kMinute);
        return firstOrdinal() + std::max<qint64>(j, 0);
    }
    const qint64 relative = t - (m_rows.constFirst().time + m_shift);
    if (relative < 0)
        return firstOrdinal();
    Position p{relative / m_period, 0};
    p.index = qsizetype(lowerIndex(m_rows, t - m_shift - p.cycle * m_period));
    if (p.index == m_rows.size())
        p = {p.cycle + 1, 0};
    return ordinal(p);
}

std::optional<qint64> ReplayTape::ordinalAtOrBefore(qint64 t) const
{
    if (m_mode == ReplayTimeMode::Contiguous) {
        const qint64 j = floorDiv(t - time(firstOrdinal()), kMinute);
        if (j < 0)
            return std::nullopt;
        return firstOrdinal() + j;
    }
    const qint64 relative = t - (m_rows.constFirst().time + m_shift);
    if (relative < 0)
        return std::nullopt;
    Position p{relative / m_period, 0};
    // The offset lies in [t_first, t_first + P), so at least the first row is at or before it.
    p.index = qsizetype(upperIndex(m_rows, t - m_shift - p.cycle * m_period) - 1);
    return ordinal(p);
}

bool ReplayTape::isClosed(qint64 time, qint64 virtualMs)
{
    return (time + kMinute) * 1000 <= virtualMs;
}

} // namespace gapless::sources
