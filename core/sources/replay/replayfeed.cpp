#include "core/sources/replay/replayfeed.h"

#include "core/domain/timearith.h"
#include "core/sources/replay/replayfaults.h"
#include "core/sources/replay/replaykline.h"

#include <algorithm>

namespace gapless::sources {

namespace {

constexpr qint64 kMinute = 60;

} // namespace

ReplayFeed::ReplayFeed(const ReplayFaults &faults)
    : m_faults(faults)
{
}

void ReplayFeed::addTape(const QString &symbol, const ReplayTape &tape)
{
    m_tapes.insert(symbol, tape);
}

const ReplayTape *ReplayFeed::tape(const QString &symbol) const
{
    const auto it = m_tapes.constFind(symbol);
    return it == m_tapes.cend() ? nullptr : &*it;
}

QStringList ReplayFeed::symbols() const
{
    QStringList names = m_tapes.keys();
    names.sort();
    return names;
}

std::optional<ReplayFeed::Minute> ReplayFeed::minute(const ReplayTape &tape, qint64 ordinal, qint64 virtualMs) const
{
    const qint64 time = tape.time(ordinal);
    if (time * 1000 > virtualMs || m_faults.isHidden(tape, ordinal))
        return std::nullopt;
    const Candle row = tape.bar(ordinal);
    return Minute{ordinal, ReplayTape::isClosed(time, virtualMs) ? row : formingMinute(row, virtualMs)};
}

ReplayBar ReplayFeed::fold(qint64 bucket, qint64 tfSeconds, const QList<Minute> &ascending, qint64 virtualMs)
{
    Q_ASSERT(!ascending.isEmpty());
    ReplayBar bar;
    bar.candle = ascending.constFirst().candle;
    bar.candle.time = bucket;
    for (qsizetype i = 1; i < ascending.size(); ++i)
        foldMinute(&bar.candle, ascending.at(i).candle);
    bar.closed = (bucket + tfSeconds) * 1000 <= virtualMs;
    bar.lastOrdinal = ascending.constLast().ordinal;
    return bar;
}

qint64 ReplayFeed::lastMinute(qint64 tfSeconds, qint64 to, qint64 virtualMs)
{
    const qint64 lastOfBucket = floorTo(to, tfSeconds) + tfSeconds - kMinute;
    return std::min(lastOfBucket, floorTo(floorDiv(virtualMs, 1000), kMinute));
}

std::optional<ReplayBar> ReplayFeed::bar(const ReplayTape &tape, qint64 tfSeconds, qint64 open,
                                         qint64 virtualMs) const
{
    QList<Minute> minutes;
    const qint64 last = lastMinute(tfSeconds, open, virtualMs);
    for (qint64 o = tape.ordinalAtOrAfter(open); tape.time(o) <= last; ++o) {
        if (std::optional<Minute> m = minute(tape, o, virtualMs))
            minutes.append(*m);
    }
    if (minutes.isEmpty())
        return std::nullopt;
    return fold(open, tfSeconds, minutes, virtualMs);
}

QList<ReplayBar> ReplayFeed::forward(const ReplayTape &tape, qint64 tfSeconds, qint64 from, qint64 to,
                                     qsizetype limit, qint64 virtualMs) const
{
    QList<ReplayBar> bars;
    const qint64 first = -floorDiv(-from, tfSeconds) * tfSeconds;
    if (first > to || limit <= 0)
        return bars;
    const qint64 last = lastMinute(tfSeconds, to, virtualMs);
    QList<Minute> minutes;
    qint64 bucket = first;
    for (qint64 o = tape.ordinalAtOrAfter(first); tape.time(o) <= last; ++o) {
        const qint64 time = tape.time(o);
        if (!minutes.isEmpty() && floorTo(time, tfSeconds) != bucket) {
            bars.append(fold(bucket, tfSeconds, minutes, virtualMs));
            minutes.clear();
            if (bars.size() == limit)
                return bars;
        }
        if (std::optional<Minute> m = minute(tape, o, virtualMs)) {
            bucket = floorTo(time, tfSeconds);
            minutes.append(*m);
        }
    }
    if (!minutes.isEmpty())
        bars.append(fold(bucket, tfSeconds, minutes, virtualMs));
    return bars;
}

QList<ReplayBar> ReplayFeed::newest(const ReplayTape &tape, qint64 tfSeconds, qint64 to, qsizetype limit,
                                    qint64 virtualMs) const
{
    QList<ReplayBar> bars;
    std::optional<qint64> o = tape.ordinalAtOrBefore(lastMinute(tfSeconds, to, virtualMs));
    if (!o || limit <= 0)
        return bars;
    QList<Minute> minutes; // newest first while walking back
    qint64 bucket = 0;
    const auto flush = [&] {
        std::reverse(minutes.begin(), minutes.end());
        bars.append(fold(bucket, tfSeconds, minutes, virtualMs));
        minutes.clear();
    };
    for (; *o >= tape.firstOrdinal(); --*o) {
        const qint64 time = tape.time(*o);
        if (!minutes.isEmpty() && floorTo(time, tfSeconds) != bucket) {
            flush();
            if (bars.size() == limit)
                break;
        }
        if (std::optional<Minute> m = minute(tape, *o, virtualMs)) {
            bucket = floorTo(time, tfSeconds);
            minutes.append(*m);
        }
    }
    if (!minutes.isEmpty())
        flush();
    std::reverse(bars.begin(), bars.end());
    return bars;
}

} // namespace gapless::sources
