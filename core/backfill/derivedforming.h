#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::backfill {

/// BF-13: the forming candle of a derived timeframe is the roll-up of its bucket's stored
/// minutes `stored` (ascending, before `forming`) plus the base's forming bar, whether or not
/// every minute is there; its time is the bucket's.
[[nodiscard]] Candle derivedForming(const CandleList &stored, const Candle &forming, Timeframe target);

/// Follows the forming bars of live 1m bases and publishes the forming candle of every
/// subscribed series derived from them (BF-13; the server's PROTO-23 throttle applies to what
/// it is given). The bucket's minutes are read through the writer, so a read sees every bar
/// submitted before the forming one; while a read runs, only the newest forming bar of its base
/// waits. While the minute before the forming one is not stored yet (SRC-3 holds a closed bar
/// up to 2 s), nothing goes out; its commit derives again from the newest forming bar (D-BF-8).
/// Lives on the protocol thread.
class DerivedForming final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DerivedForming)
public:
    /// `subscribed` lists the series clients subscribe to; `publish` sends a forming candle.
    DerivedForming(ingest::IngestWriter *writer, std::function<QList<SeriesId>()> subscribed,
                   std::function<void(const SeriesId &, const Candle &)> publish, QObject *parent = nullptr);

    /// A forming bar of `series`; anything but a 1m base is ignored.
    void formingUpdated(const SeriesId &series, const Candle &forming);
    /// Closed bars of `series` were committed.
    void candlesCommitted(const SeriesId &series, const CandleList &candles);

private:
    void derive(const SeriesId &base, const Candle &forming);

    ingest::IngestWriter *m_writer;
    std::function<QList<SeriesId>()> m_subscribed;
    std::function<void(const SeriesId &, const Candle &)> m_publish;
    QSet<SeriesId> m_reading;
    QHash<SeriesId, Candle> m_waiting;
    QHash<SeriesId, Candle> m_latest; ///< the newest forming bar of each base
};

} // namespace gapless::backfill
