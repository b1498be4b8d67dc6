#pragma once

#include "core/domain/result.h"

#include <QJsonObject>

namespace gapless::store {
class CandleStore;
}

namespace gapless::jobs {

/// REP-10 `ids`: a non-empty array of positive whole numbers; bad_request naming it otherwise.
[[nodiscard]] Result<QList<qint64>> parseReviewIds(const QJsonValue &value);
/// REP-10 `actor`, else `ws:client` (a caller that does not say who sent the command).
[[nodiscard]] Result<QString> reviewActor(const QJsonObject &args);
/// REP-10: `args` with `actor` = `origin` (`ws:PEER`) when they name none; a bad actor stays
/// for reviewActor() to refuse.
[[nodiscard]] QJsonObject withActor(const QJsonObject &args, const QString &origin);
/// Whether a review_resolve runs as keep_local (in the key's transaction) rather than as a job.
[[nodiscard]] bool isKeepLocal(const QJsonObject &args);

/// REP-10 `review_resolve {ids, action: keep_local, actor?}` inside the caller's transaction:
/// every item open with its local row unchanged, then all marked kept_local; no candle written.
[[nodiscard]] Result<QJsonValue> keepLocal(store::CandleStore &store, const QJsonObject &args, qint64 nowMs);
/// REP-10 `review_list {series_id?, state?=open, after_id?, limit≤1000}` → {items, has_more}.
[[nodiscard]] Result<QJsonValue> reviewList(store::CandleStore &store, const QJsonObject &args);

} // namespace gapless::jobs
