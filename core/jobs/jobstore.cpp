#include "core/jobs/jobstore.h"

#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

constexpr QStringView kColumns =
    u"job_id, kind, series_id, args_json, idempotency_key, node_id, state, progress_done, progress_total, "
    u"progress_unit, progress_note, heartbeat_at_ms, attempts, next_attempt_at_ms, cancel_requested, "
    u"created_at_ms, started_at_ms, finished_at_ms, error_code, error_message, result_json";

const QString kContext = u"jobs"_s;

QVariant nullable(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::LongLong));
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

QVariant nullableBytes(const QByteArray &json)
{
    return json.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(QString::fromUtf8(json));
}

std::optional<qint64> optionalInt(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

JobRow rowFrom(const QSqlQuery &q)
{
    JobRow r;
    r.jobId = q.value(0).toLongLong();
    r.kind = q.value(1).toString();
    r.seriesId = q.value(2).toString();
    r.argsJson = q.value(3).toString().toUtf8();
    r.idempotencyKey = q.value(4).toString();
    r.nodeId = q.value(5).toInt();
    r.state = q.value(6).toString();
    r.progressDone = q.value(7).toLongLong();
    r.progressTotal = optionalInt(q.value(8));
    r.progressUnit = q.value(9).toString();
    r.progressNote = q.value(10).toString();
    r.heartbeatAtMs = optionalInt(q.value(11));
    r.attempts = q.value(12).toLongLong();
    r.nextAttemptAtMs = optionalInt(q.value(13));
    r.cancelRequested = q.value(14).toBool(); // SQLite: 0/1, PostgreSQL: boolean
    r.createdAtMs = q.value(15).toLongLong();
    r.startedAtMs = optionalInt(q.value(16));
    r.finishedAtMs = optionalInt(q.value(17));
    r.errorCode = q.value(18).toString();
    r.errorMessage = q.value(19).toString();
    r.resultJson = q.value(20).toString().toUtf8();
    return r;
}

} // namespace

JobStore::JobStore(store::CandleStore &store)
    : m_store(store)
{
}

namespace {

Result<QSqlQuery> run(store::CandleStore &s, const QString &sql, const QVariantList &binds)
{
    QSqlDatabase db = s.database();
    return store::runBound(db, sql, binds, kContext);
}

Result<QList<JobRow>> rows(store::CandleStore &s, const QString &where, const QVariantList &binds)
{
    auto q = run(s, u"SELECT %1 FROM jobs %2"_s.arg(kColumns, where), binds);
    if (!q)
        return q.error();
    QList<JobRow> out;
    while (q->next())
        out.append(rowFrom(*q));
    return out;
}

Result<int> affected(store::CandleStore &s, const QString &sql, const QVariantList &binds)
{
    auto q = run(s, sql, binds);
    if (!q)
        return q.error();
    return q->numRowsAffected();
}

} // namespace

Result<void> JobStore::insert(const JobRow &r)
{
    auto q = run(m_store,
                 u"INSERT INTO jobs(%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s.arg(
                     kColumns),
                 {r.jobId, r.kind, nullableText(r.seriesId), QString::fromUtf8(r.argsJson),
                  nullableText(r.idempotencyKey), r.nodeId, r.state, r.progressDone, nullable(r.progressTotal),
                  r.progressUnit, nullableText(r.progressNote), nullable(r.heartbeatAtMs), r.attempts,
                  nullable(r.nextAttemptAtMs), r.cancelRequested, r.createdAtMs, nullable(r.startedAtMs),
                  nullable(r.finishedAtMs), nullableText(r.errorCode), nullableText(r.errorMessage),
                  nullableBytes(r.resultJson)});
    if (!q)
        return q.error();
    return {};
}

Result<std::optional<JobRow>> JobStore::get(qint64 jobId)
{
    auto found = rows(m_store, u"WHERE job_id = ?"_s, {jobId});
    if (!found)
        return found.error();
    return found->isEmpty() ? std::nullopt : std::optional<JobRow>(found->first());
}

Result<qint64> JobStore::maxJobId(int nodeId)
{
    auto q = run(m_store, u"SELECT MAX(job_id) FROM jobs WHERE node_id = ?"_s, {nodeId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

Result<QList<JobRow>> JobStore::queued(int nodeId)
{
    return rows(m_store, u"WHERE state = 'queued' AND node_id = ? ORDER BY job_id"_s, {nodeId});
}

Result<QList<JobRow>> JobStore::running(std::optional<int> nodeId, std::optional<qint64> staleBeforeMs)
{
    if (nodeId)
        return rows(m_store, u"WHERE state = 'running' AND node_id = ? ORDER BY job_id"_s, {*nodeId});
    return rows(m_store, u"WHERE state = 'running' AND heartbeat_at_ms < ? ORDER BY job_id"_s,
                {staleBeforeMs.value_or(0)});
}

Result<bool> JobStore::claim(qint64 jobId, qint64 nowMs)
{
    auto n = affected(m_store,
                      u"UPDATE jobs SET state = 'running', attempts = attempts + 1, heartbeat_at_ms = ?, "
                      u"started_at_ms = ?, next_attempt_at_ms = NULL WHERE job_id = ? AND state = 'queued'"_s,
                      {nowMs, nowMs, jobId});
    if (!n)
        return n.error();
    return *n == 1;
}

Result<int> JobStore::heartbeat(const JobRow &p, qint64 nowMs)
{
    return affected(m_store,
                    u"UPDATE jobs SET heartbeat_at_ms = ?, progress_done = ?, progress_total = ?, progress_unit = ?, "
                    u"progress_note = ? WHERE job_id = ? AND state = 'running' AND attempts = ?"_s,
                    {nowMs, p.progressDone, nullable(p.progressTotal), p.progressUnit, nullableText(p.progressNote),
                     p.jobId, p.attempts});
}

Result<int> JobStore::finishRunning(const JobRow &f, qint64 nowMs)
{
    return affected(m_store,
                    u"UPDATE jobs SET state = ?, finished_at_ms = ?, heartbeat_at_ms = ?, progress_done = ?, "
                    u"progress_total = ?, progress_unit = ?, progress_note = ?, error_code = ?, error_message = ?, "
                    u"result_json = ? WHERE job_id = ? AND state = 'running' AND attempts = ?"_s,
                    {f.state, nowMs, nowMs, f.progressDone, nullable(f.progressTotal), f.progressUnit,
                     nullableText(f.progressNote), nullableText(f.errorCode), nullableText(f.errorMessage),
                     nullableBytes(f.resultJson), f.jobId, f.attempts});
}

Result<int> JobStore::requeue(const JobRow &job, qint64 nextAttemptAtMs, const Error &error)
{
    return affected(m_store,
                    u"UPDATE jobs SET state = 'queued', next_attempt_at_ms = ?, error_code = ?, error_message = ? "
                    u"WHERE job_id = ? AND state = 'running' AND attempts = ?"_s,
                    {nextAttemptAtMs, error.codeName(), error.message, job.jobId, job.attempts});
}

Result<int> JobStore::cancelQueued(qint64 jobId, qint64 nowMs)
{
    return affected(m_store,
                    u"UPDATE jobs SET state = 'cancelled', cancel_requested = ?, finished_at_ms = ?, "
                    u"error_code = 'conflict', error_message = 'cancelled' WHERE job_id = ? AND state = 'queued'"_s,
                    {true, nowMs, jobId});
}

Result<bool> JobStore::cancelRequested(qint64 jobId)
{
    auto q = run(m_store, u"SELECT cancel_requested FROM jobs WHERE job_id = ?"_s, {jobId});
    if (!q)
        return q.error();
    return q->next() && q->value(0).toBool();
}

Result<int> JobStore::requestCancel(qint64 jobId)
{
    return affected(m_store, u"UPDATE jobs SET cancel_requested = ? WHERE job_id = ? AND state = 'running'"_s,
                    {true, jobId});
}

Result<int> JobStore::failZombie(qint64 jobId, const QString &message, qint64 nowMs)
{
    return affected(m_store,
                    u"UPDATE jobs SET state = 'failed', finished_at_ms = ?, error_code = 'internal', "
                    u"error_message = ? WHERE job_id = ? AND state = 'running'"_s,
                    {nowMs, message, jobId});
}

Result<QList<JobRow>> JobStore::list(const JobFilter &f)
{
    QStringList where;
    QVariantList binds;
    if (!f.state.isEmpty()) {
        where.append(u"state = ?"_s);
        binds.append(f.state);
    }
    if (!f.kind.isEmpty()) {
        where.append(u"kind = ?"_s);
        binds.append(f.kind);
    }
    if (!f.seriesId.isEmpty()) {
        where.append(u"series_id = ?"_s);
        binds.append(f.seriesId);
    }
    if (f.activeOnly)
        where.append(u"state IN ('queued', 'running')"_s);
    if (f.beforeId) {
        where.append(u"job_id < ?"_s);
        binds.append(*f.beforeId);
    }
    binds.append(qint64(f.limit) + 1);
    const QString clause = where.isEmpty() ? QString() : u"WHERE "_s + where.join(u" AND "_s);
    return rows(m_store, u"%1 ORDER BY job_id DESC LIMIT ?"_s.arg(clause), binds);
}

Result<QList<JobRow>> JobStore::snapshot(qint64 finishedSinceMs)
{
    return rows(m_store,
                u"WHERE state IN ('queued', 'running') OR finished_at_ms >= ? ORDER BY job_id DESC LIMIT 200"_s,
                {finishedSinceMs});
}

} // namespace gapless::jobs
