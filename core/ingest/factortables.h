#pragma once

#include "core/domain/seriesid.h"
#include "core/ingest/factorevent.h"
#include "core/store/candlestore.h"

#include <QHash>
#include <QSqlQuery>

#include <optional>

namespace gapless::ingest {

/// A row of `factor_series_state` (STORE-7).
struct FactorState
{
    std::optional<qint64> headTime;
    QString fingerprint;
    std::optional<qint64> dirtyFrom;
};

/// A stored factor event, as the rebuild compares it (FAC-6).
struct StoredEvent
{
    QString factorName;
    QString kind;
    qint64 candleTime = 0;
    QByteArray payloadJson;
};

/// The factor tables (`factor_series_state`, `factor_events`, `factor_head_snapshots`) of one
/// store, read and written on the writer thread inside the run's transaction.
class FactorTables
{
public:
    explicit FactorTables(store::CandleStore &store);

    [[nodiscard]] Result<std::optional<FactorState>> state(const SeriesId &series);
    [[nodiscard]] Result<void> saveState(const SeriesId &series, const FactorState &state, qint64 atMs);

    /// Every stored major pivot in (pivot_time, resistance first) order: what restores the pens.
    [[nodiscard]] Result<QList<PivotEvent>> majors(const SeriesId &series);
    /// Every stored event by key, for the rebuild's diff.
    [[nodiscard]] Result<QHash<QString, StoredEvent>> events(const SeriesId &series);
    /// Inserts events, ignoring keys already stored; returns how many rows were new.
    [[nodiscard]] Result<qint64> insertPivots(const SeriesId &series, const QList<PivotEvent> &events);
    [[nodiscard]] Result<qint64> insertPens(const SeriesId &series, const QList<PenEvent> &events);
    [[nodiscard]] Result<void> deleteEvent(const SeriesId &series, const QString &factorName, const QString &key);

    /// The head_json of the greatest seq for `factorName`, with that seq (0, "" if none).
    [[nodiscard]] Result<std::pair<qint64, QByteArray>> latestHead(const SeriesId &series, const QString &factorName);
    [[nodiscard]] Result<void> insertHead(const SeriesId &series, const QString &factorName, qint64 candleTime,
                                          qint64 seq, const QByteArray &headJson);

private:
    [[nodiscard]] Result<qint64> insertEvent(const SeriesId &series, const QString &factorName, const QString &key,
                                             const QString &kind, qint64 candleTime, const QByteArray &payload);

    store::CandleStore &m_store;
    std::optional<QSqlQuery> m_insertEvent;
};

} // namespace gapless::ingest
