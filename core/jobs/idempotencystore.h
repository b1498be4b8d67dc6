#pragma once

#include "core/domain/result.h"
#include "core/jobs/idempotencykey.h"
#include "core/jobs/jobrow.h"
#include "core/runtime/clock.h"

#include <QList>

namespace gapless::store {
class CandleStore;
}

namespace gapless::jobs {

/// The `idempotency_keys` table (IDEM-4..12) on the writer's connection: record first, the
/// IDEM-6 lookup, the IDEM-7 transitions, expiry and the operator list/delete. Every failure
/// of the table itself is `unavailable` "idempotency store unavailable: REASON" (IDEM-10).
/// Used on the writer thread only.
class IdempotencyStore final
{
public:
    IdempotencyStore(store::CandleStore &store, const Clock &clock, int nodeId, int ttlS);

    void setTtlS(int ttlS) { m_ttlS = ttlS; }
    [[nodiscard]] int nodeId() const { return m_nodeId; }

    /// IDEM-5/6 in its own transaction: inserts the in_progress row (and `job`, queued, for a
    /// job command) unless the key exists; an expired row counts as absent and is replaced.
    [[nodiscard]] Result<KeyDecision> record(const KeyRequest &request, const std::optional<JobRow> &job);
    [[nodiscard]] Result<std::optional<KeyRow>> get(const QString &key);

    // IDEM-7 transitions inside the caller's transaction (the job's final one, or a
    // synchronous command's work); each touches only an in_progress row.
    [[nodiscard]] Result<void> succeedInTxn(const QString &key, const QJsonValue &result);
    [[nodiscard]] Result<void> failInTxn(const QString &key, const Error &error);
    [[nodiscard]] Result<void> releaseInTxn(const QString &key);
    /// The outcome's transition (IDEM-9): ok → succeeded, business error → failed, system
    /// error → deleted.
    [[nodiscard]] Result<void> completeInTxn(const QString &key, const Result<QJsonValue> &outcome);
    /// completeInTxn() in its own transaction, for a synchronous command.
    [[nodiscard]] Result<void> complete(const QString &key, const Result<QJsonValue> &outcome);

    /// IDEM-11: deletes terminal rows past their expiry; how many.
    [[nodiscard]] Result<int> purgeExpired();
    /// IDEM-11 `idempotency_list`: newest first, `limit + 1` rows so the caller can tell has_more.
    [[nodiscard]] Result<QList<KeyRow>> list(const QString &state, int limit);
    /// IDEM-11 `idempotency_delete`: not_found, or `conflict` "cancel job ID first" while its job is live.
    [[nodiscard]] Result<void> remove(const QString &key);
    /// IDEM-12: in_progress keys of `nodeId` (none: any node's created before `olderThanMs`)
    /// with no queued or running job; the caller deletes and journals them.
    [[nodiscard]] Result<QList<KeyRow>> orphans(std::optional<int> nodeId, qint64 olderThanMs);

    /// IDEM-10's error form.
    [[nodiscard]] static Error unavailable(const Error &cause);

private:
    [[nodiscard]] Result<KeyDecision> decide(const KeyRow &row, const KeyRequest &request);
    /// True when this request's row was written (absent or expired before).
    [[nodiscard]] Result<bool> insertRow(const KeyRequest &request, const std::optional<JobRow> &job);

    store::CandleStore &m_store;
    const Clock &m_clock;
    int m_nodeId;
    int m_ttlS;
};

} // namespace gapless::jobs
