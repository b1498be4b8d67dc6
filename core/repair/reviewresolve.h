#pragma once

#include "core/repair/repaircontrol.h"
#include "core/runtime/clock.h"

#include "core/domain/result.h"

#include <QJsonObject>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::repair {

/// REP-10 actions.
enum class ReviewAction {
    AcceptSource,
    KeepLocal,
};

/// `accept_source` or `keep_local`; anything else is bad_request.
[[nodiscard]] Result<ReviewAction> parseReviewAction(const QString &text);

/// REP-10 `review_resolve`: all ids or none. keep_local checks and marks in one transaction and
/// writes no candle; accept_source checks the items, writes their source rows through the
/// pipeline (source `review`, tagged with control.jobId()) and marks them, again checking that
/// each is still open. A resolved item or a local row that no longer equals local_json is
/// conflict; an unknown id not_found. Blocks the calling thread.
[[nodiscard]] Result<QJsonObject> resolveReview(ingest::IngestWriter *writer, RepairControl &control,
                                                const Clock &clock, const QList<qint64> &ids, ReviewAction action,
                                                const QString &resolvedBy);

} // namespace gapless::repair
