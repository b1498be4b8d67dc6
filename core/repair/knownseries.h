#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QObject>
#include <QReadWriteLock>
#include <QSet>

namespace gapless::ingest {
class IngestWriter;
}
namespace gapless::store {
class CandleStore;
}

namespace gapless::repair {

/// REP-12: the stored ∪ configured series in memory, so an unknown series answers not_found
/// without a query. Loaded by one query; the writer adds a series on its first candle.
/// Thread-safe: lookups from any thread, updates from the writer thread.
class KnownSeries final
{
public:
    KnownSeries() = default;
    ~KnownSeries();
    Q_DISABLE_COPY_MOVE(KnownSeries)

    /// Replaces the set with the store's series (one query) plus `configured`.
    [[nodiscard]] Result<void> load(store::CandleStore &store, const QList<SeriesId> &configured = {});
    /// Follows the writer: every committed series is known from then on.
    void follow(ingest::IngestWriter *writer);
    void add(const SeriesId &series);
    [[nodiscard]] bool contains(const SeriesId &series) const;
    [[nodiscard]] qsizetype size() const;
    /// Queries run so far (one per load).
    [[nodiscard]] qint64 queryCount() const;

private:
    mutable QReadWriteLock m_lock;
    QSet<QString> m_ids;
    qint64 m_queries = 0;
    QMetaObject::Connection m_follow;
};

} // namespace gapless::repair
