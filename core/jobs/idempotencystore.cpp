#include "core/jobs/idempotencystore.h"

#include "core/domain/canonicaljson.h"
#include "core/jobs/jobstore.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

const QString kContext = u"idempotency_keys"_s;
constexpr QStringView kColumns = u"\"key\", command, fingerprint, state, job_id, node_id, result_json, error_code, "
                                 u"error_message, created_at_ms, updated_at_ms, expires_at_ms";

Result<QSqlQuery> run(store::CandleStore &s, const QString &sql, const QVariantList &binds)
{
    QSqlDatabase db = s.database();
    return store::runBound(db, sql, binds, kContext);
}

// The statements of every keyed request run prepared once per connection (PERF-18): the
// query comes back executed; the caller reads it, and the guard finishes it.
struct Prepared
{
    QSqlQuery *query = nullptr;
    ~Prepared()
    {
        if (query)
            query->finish();
    }
};

Result<void> runPrepared(store::CandleStore &s, Prepared &into, const QString &sql, const QVariantList &binds)
{
    auto q = s.prepared(sql);
    if (!q)
        return q.error();
    into.query = *q;
    for (int i = 0; i < binds.size(); ++i)
        into.query->bindValue(i, binds.at(i));
    return store::execQuery(*into.query, kContext);
}

KeyRow rowFrom(const QSqlQuery &q)
{
    KeyRow r;
    r.key = q.value(0).toString();
    r.command = q.value(1).toString();
    r.fingerprint = q.value(2).toString();
    r.state = q.value(3).toString();
    if (!q.value(4).isNull())
        r.jobId = q.value(4).toLongLong();
    r.nodeId = q.value(5).toInt();
    r.resultJson = q.value(6).toString().toUtf8();
    r.errorCode = q.value(7).toString();
    r.errorMessage = q.value(8).toString();
    r.createdAtMs = q.value(9).toLongLong();
    r.updatedAtMs = q.value(10).toLongLong();
    if (!q.value(11).isNull())
        r.expiresAtMs = q.value(11).toLongLong();
    return r;
}

QVariant nullInt()
{
    return QVariant(QMetaType(QMetaType::LongLong));
}

} // namespace

IdempotencyStore::IdempotencyStore(store::CandleStore &store, const Clock &clock, int nodeId, int ttlS)
    : m_store(store)
    , m_clock(clock)
    , m_nodeId(nodeId)
    , m_ttlS(ttlS)
{
}

Error IdempotencyStore::unavailable(const Error &cause)
{
    return Error::unavailable(u"idempotency store unavailable: %1"_s.arg(cause.message));
}

Result<KeyDecision> IdempotencyStore::record(const KeyRequest &request, const std::optional<JobRow> &job)
{
    // IDEM-5: the key row commits before any work; a job command's queued jobs row commits
    // with it, a synchronous command's key is one statement in its own implicit transaction.
    if (job) {
        if (auto ok = m_store.begin(); !ok)
            return unavailable(ok.error());
    }
    auto inserted = insertRow(request, job);
    if (job) {
        auto committed = inserted ? m_store.commit() : Result<void>(inserted.error());
        if (!committed) {
            (void)m_store.rollback();
            return unavailable(committed.error());
        }
    } else if (!inserted) {
        return unavailable(inserted.error());
    }
    if (*inserted) {
        KeyDecision d;
        d.execute = true;
        return d;
    }
    auto existing = get(request.key);
    if (!existing)
        return existing.error();
    if (!*existing) // deleted between the insert and the read: answer as a live duplicate would
        return unavailable(Error::unavailable(u"key '%1' changed during the lookup; expected a retry"_s
                                                  .arg(request.key)));
    return decide(**existing, request);
}

Result<bool> IdempotencyStore::insertRow(const KeyRequest &request, const std::optional<JobRow> &job)
{
    const qint64 now = m_clock.nowMs();
    // IDEM-11: an expired row counts as absent, so the insert takes its place.
    Prepared insert;
    auto ok = runPrepared(
        m_store, insert,
        u"INSERT INTO idempotency_keys(%1) VALUES (?, ?, ?, 'in_progress', ?, ?, NULL, NULL, NULL, ?, ?, NULL) "
        u"ON CONFLICT(\"key\") DO UPDATE SET command = excluded.command, fingerprint = excluded.fingerprint, "
        u"state = 'in_progress', job_id = excluded.job_id, node_id = excluded.node_id, result_json = NULL, "
        u"error_code = NULL, error_message = NULL, created_at_ms = excluded.created_at_ms, "
        u"updated_at_ms = excluded.updated_at_ms, expires_at_ms = NULL "
        u"WHERE idempotency_keys.state <> 'in_progress' AND idempotency_keys.expires_at_ms <= ?"_s.arg(kColumns),
        {request.key, request.command, request.fingerprint(), job ? QVariant(job->jobId) : nullInt(), m_nodeId, now,
         now, now});
    if (!ok)
        return ok.error();
    const bool inserted = insert.query->numRowsAffected() == 1;
    if (inserted && job) {
        if (auto added = JobStore(m_store).insert(*job); !added)
            return added.error();
    }
    return inserted;
}

Result<KeyDecision> IdempotencyStore::decide(const KeyRow &row, const KeyRequest &request)
{
    KeyDecision d;
    if (row.fingerprint != request.fingerprint()) {
        d.answer = Error{ErrorCode::IdempotencyMismatch,
                         u"idempotency_key '%1': already used for %2 with other arguments; expected a new key for "
                         u"a new action (IDEM-6)"_s.arg(row.key, row.command)};
        d.errorData = {{u"command"_s, row.command}};
        return d;
    }
    if (row.state == "in_progress"_L1) {
        d.answer = Error{ErrorCode::InProgress, u"idempotency_key '%1': %2 is still running; expected its result "
                                                u"later under the same key"_s.arg(row.key, row.command)};
        d.errorData = {{u"job_id"_s, row.jobId ? QJsonValue(QString::number(*row.jobId)) : QJsonValue()}};
        return d;
    }
    d.replayed = true;
    if (row.state == "succeeded"_L1) {
        const QJsonDocument doc = QJsonDocument::fromJson(row.resultJson);
        d.answer = doc.isObject() ? QJsonValue(doc.object()) : doc.isArray() ? QJsonValue(doc.array()) : QJsonValue();
        return d;
    }
    ErrorCode code = ErrorCode::Internal;
    if (!errorCodeFromName(row.errorCode, &code))
        code = ErrorCode::Internal;
    d.answer = Error{code, row.errorMessage};
    return d;
}

Result<std::optional<KeyRow>> IdempotencyStore::get(const QString &key)
{
    Prepared q;
    if (auto ok = runPrepared(m_store, q, u"SELECT %1 FROM idempotency_keys WHERE \"key\" = ?"_s.arg(kColumns), {key});
        !ok)
        return unavailable(ok.error());
    if (!q.query->next())
        return std::optional<KeyRow>();
    KeyRow row = rowFrom(*q.query);
    if (row.expiresAtMs && *row.expiresAtMs <= m_clock.nowMs())
        return std::optional<KeyRow>();
    return std::optional<KeyRow>(row);
}

Result<void> IdempotencyStore::succeedInTxn(const QString &key, const QJsonValue &result)
{
    const qint64 now = m_clock.nowMs();
    Prepared q;
    auto ok = runPrepared(m_store, q,
                 u"UPDATE idempotency_keys SET state = 'succeeded', result_json = ?, updated_at_ms = ?, "
                 u"expires_at_ms = ? WHERE \"key\" = ? AND state = 'in_progress'"_s,
                 {QString::fromUtf8(canonicalJson(result)), now, now + qint64(m_ttlS) * 1000, key});
    if (!ok)
        return unavailable(ok.error());
    return {};
}

Result<void> IdempotencyStore::failInTxn(const QString &key, const Error &error)
{
    const qint64 now = m_clock.nowMs();
    Prepared q;
    auto ok = runPrepared(m_store, q,
                 u"UPDATE idempotency_keys SET state = 'failed', error_code = ?, error_message = ?, updated_at_ms = ?, "
                 u"expires_at_ms = ? WHERE \"key\" = ? AND state = 'in_progress'"_s,
                 {error.codeName(), error.message, now, now + qint64(m_ttlS) * 1000, key});
    if (!ok)
        return unavailable(ok.error());
    return {};
}

Result<void> IdempotencyStore::releaseInTxn(const QString &key)
{
    Prepared q;
    if (auto ok = runPrepared(m_store, q, u"DELETE FROM idempotency_keys WHERE \"key\" = ? AND state = 'in_progress'"_s,
                              {key});
        !ok)
        return unavailable(ok.error());
    return {};
}

Result<void> IdempotencyStore::completeInTxn(const QString &key, const Result<QJsonValue> &outcome)
{
    if (outcome)
        return succeedInTxn(key, *outcome);
    if (isBusinessError(outcome.error().code))
        return failInTxn(key, outcome.error());
    return releaseInTxn(key);
}

Result<void> IdempotencyStore::complete(const QString &key, const Result<QJsonValue> &outcome)
{
    if (auto ok = m_store.begin(); !ok)
        return unavailable(ok.error());
    auto ok = completeInTxn(key, outcome);
    if (ok)
        ok = m_store.commit();
    if (!ok) {
        (void)m_store.rollback();
        return ok.error().message.startsWith("idempotency store"_L1) ? ok.error() : unavailable(ok.error());
    }
    return {};
}

Result<int> IdempotencyStore::purgeExpired()
{
    auto q = run(m_store,
                 u"DELETE FROM idempotency_keys WHERE state IN ('succeeded', 'failed') AND expires_at_ms <= ?"_s,
                 {m_clock.nowMs()});
    if (!q)
        return unavailable(q.error());
    return q->numRowsAffected();
}

Result<QList<KeyRow>> IdempotencyStore::list(const QString &state, int limit)
{
    QString where = u"WHERE (expires_at_ms IS NULL OR expires_at_ms > ?)"_s;
    QVariantList binds{m_clock.nowMs()};
    if (!state.isEmpty()) {
        where += u" AND state = ?"_s;
        binds.append(state);
    }
    binds.append(qint64(limit) + 1);
    auto q = run(m_store, u"SELECT %1 FROM idempotency_keys %2 ORDER BY created_at_ms DESC, \"key\" LIMIT ?"_s.arg(
                              kColumns, where),
                 binds);
    if (!q)
        return unavailable(q.error());
    QList<KeyRow> out;
    while (q->next())
        out.append(rowFrom(*q));
    return out;
}

Result<void> IdempotencyStore::remove(const QString &key)
{
    auto row = get(key);
    if (!row)
        return row.error();
    if (!*row)
        return Error::notFound(u"idempotency_key '%1': no such key; expected a key of idempotency_list"_s.arg(key));
    if ((*row)->state == "in_progress"_L1 && (*row)->jobId) {
        auto job = JobStore(m_store).get(*(*row)->jobId);
        if (!job)
            return unavailable(job.error());
        if (*job && !(*job)->isTerminal())
            return Error::conflict(u"idempotency_key '%1': job %2 is %3; cancel job %2 first"_s.arg(
                key, QString::number((*row)->jobId.value()), (*job)->state));
    }
    auto q = run(m_store, u"DELETE FROM idempotency_keys WHERE \"key\" = ?"_s, {key});
    if (!q)
        return unavailable(q.error());
    return {};
}

Result<QList<KeyRow>> IdempotencyStore::orphans(std::optional<int> nodeId, qint64 olderThanMs)
{
    QString sql = u"SELECT %1 FROM idempotency_keys k WHERE state = 'in_progress' AND NOT EXISTS (SELECT 1 FROM "
                  u"jobs j WHERE j.job_id = k.job_id AND j.state IN ('queued', 'running')) AND "_s.arg(kColumns);
    QVariantList binds;
    if (nodeId) {
        sql += u"node_id = ?"_s;
        binds.append(*nodeId);
    } else {
        sql += u"created_at_ms < ?"_s;
        binds.append(olderThanMs);
    }
    auto q = run(m_store, sql, binds);
    if (!q)
        return unavailable(q.error());
    QList<KeyRow> out;
    while (q->next())
        out.append(rowFrom(*q));
    return out;
}

} // namespace gapless::jobs
