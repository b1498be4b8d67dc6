#pragma once

#include "core/domain/candle.h"
#include "core/sources/replay/replaytape.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gapless::sources {

class ReplayFaults;

/// One kline as served at V: closed values, or forming ones (SRC-17) for the bar holding V.
struct ReplayBar
{
    Candle candle;
    bool closed = false;
    qint64 lastOrdinal = 0; ///< the tape ordinal of its newest minute (drop decides on it)
};

/// The klines of every tape as REST and stream serve them at V (SRC-16): minutes hidden by a
/// hole are gone, minutes after V do not exist yet, and an interval above 1m aggregates the
/// minutes present in its bucket (open first, high max, low min, close last, volume sum, in
/// time order, so every route gives the same bits).
class ReplayFeed
{
public:
    explicit ReplayFeed(const ReplayFaults &faults);

    void addTape(const QString &symbol, const ReplayTape &tape);
    [[nodiscard]] const ReplayTape *tape(const QString &symbol) const;
    [[nodiscard]] QStringList symbols() const;

    /// The bar opening at `open` (aligned to tf) as of V; none if no minute of it is present.
    [[nodiscard]] std::optional<ReplayBar> bar(const ReplayTape &tape, qint64 tfSeconds, qint64 open,
                                               qint64 virtualMs) const;
    /// Up to `limit` bars with open in [from, to], oldest first.
    [[nodiscard]] QList<ReplayBar> forward(const ReplayTape &tape, qint64 tfSeconds, qint64 from, qint64 to,
                                           qsizetype limit, qint64 virtualMs) const;
    /// The newest `limit` bars with open <= to, oldest first; the forming bar last when V is in range.
    [[nodiscard]] QList<ReplayBar> newest(const ReplayTape &tape, qint64 tfSeconds, qint64 to, qsizetype limit,
                                          qint64 virtualMs) const;

private:
    struct Minute
    {
        qint64 ordinal = 0;
        Candle candle;
    };
    [[nodiscard]] std::optional<Minute> minute(const ReplayTape &tape, qint64 ordinal, qint64 virtualMs) const;
    [[nodiscard]] static ReplayBar fold(qint64 bucket, qint64 tfSeconds, const QList<Minute> &ascending,
                                        qint64 virtualMs);
    [[nodiscard]] static qint64 lastMinute(qint64 tfSeconds, qint64 to, qint64 virtualMs);

    const ReplayFaults &m_faults;
    QHash<QString, ReplayTape> m_tapes;
};

} // namespace gapless::sources
