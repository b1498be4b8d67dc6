#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QJsonObject>

#include <optional>

namespace gapless::store {
class CandleStore;
}

namespace gapless::repair {

/// A `review_items` row (REP-9).
struct ReviewItem
{
    qint64 id = 0;
    qint64 jobId = 0;
    QString seriesId;
    qint64 candleTime = 0;
    QJsonObject local;  ///< OHLCV object
    QJsonObject source; ///< OHLCV object
    QString sourceName; ///< the REP-1 source string
    QString state;      ///< open, accepted_source, kept_local
    qint64 createdAtMs = 0;
    std::optional<qint64> resolvedAtMs;
    QString resolvedBy;
    std::optional<qint64> resolveJobId;

    [[nodiscard]] QJsonObject toJson() const;
};

/// A `differ` row the manual_review policy leaves to a person.
struct ReviewFinding
{
    Candle local;
    Candle source;
};

/// `{close, high, low, open, volume}` of a candle, as local_json and source_json hold it.
[[nodiscard]] QJsonObject ohlcvJson(const Candle &candle);
/// The candle at `time` with the values of an OHLCV object; none if a value is missing.
[[nodiscard]] std::optional<Candle> candleFromOhlcv(qint64 time, const QJsonObject &ohlcv);

/// REP-9: opens an item per finding, or updates the open item of the same (series, time), in
/// one transaction of `store` (the writer's). Returns how many items are open for them.
[[nodiscard]] Result<qint64> openReviewItems(store::CandleStore &store, qint64 jobId, const SeriesId &series,
                                             const QString &source, const QList<ReviewFinding> &findings,
                                             qint64 nowMs);

/// REP-10 `review_list`: by id, after `afterId`, at most `limit` (1..1000).
struct ReviewFilter
{
    QString seriesId;           ///< empty: every series
    QString state = QStringLiteral("open"); ///< open, accepted_source, kept_local or all
    qint64 afterId = 0;
    qint64 limit = 100;
};
[[nodiscard]] Result<QList<ReviewItem>> listReviewItems(store::CandleStore &store, const ReviewFilter &filter);

/// REP-10: the items `ids`, each open and with its local row still equal to local_json; an
/// unknown id is not_found, a resolved item or a changed local row conflict. Inside the
/// caller's transaction when it has one.
[[nodiscard]] Result<QList<ReviewItem>> loadResolvable(store::CandleStore &store, const QList<qint64> &ids);

/// Marks the items resolved (`accepted_source` or `kept_local`) in the caller's transaction;
/// an item no longer open is conflict (the caller rolls back).
[[nodiscard]] Result<void> markResolved(store::CandleStore &store, const QList<qint64> &ids, const QString &state,
                                        const QString &resolvedBy, std::optional<qint64> resolveJobId, qint64 nowMs);

} // namespace gapless::repair
