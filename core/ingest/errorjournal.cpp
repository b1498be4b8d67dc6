#include "core/ingest/errorjournal.h"

#include "core/runtime/failpoints.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

const QString kColumns = u"id, at_ms, run_id, source, step, series_id, request_id, job_id, first_time, last_time, "
                         u"candle_count, message, compensated, overlay_compensated, candle_compensated_rows, "
                         u"compensation_error, batch_json, rejected_json, status, retry_of, resolved_by_run, "
                         u"resolved_at_ms"_s;

const QString kResolved = u"resolved"_s;

QVariant nullable(std::optional<qint64> value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

std::optional<qint64> optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

// Column order as kColumns.
JournalEntry entryFromRow(const QSqlQuery &q)
{
    JournalEntry e;
    e.id = q.value(0).toLongLong();
    e.atMs = q.value(1).toLongLong();
    e.runId = q.value(2).toLongLong();
    e.source = q.value(3).toString();
    e.step = q.value(4).toString();
    e.seriesId = q.value(5).toString();
    e.requestId = q.value(6).toString();
    e.jobId = optionalInt(q.value(7));
    e.firstTime = optionalInt(q.value(8));
    e.lastTime = optionalInt(q.value(9));
    e.candleCount = q.value(10).toLongLong();
    e.message = q.value(11).toString();
    e.compensated = q.value(12).toBool(); // SQLite: 0/1, PostgreSQL: boolean
    e.overlayCompensated = q.value(13).toBool();
    e.candleCompensatedRows = q.value(14).toLongLong();
    e.compensationError = q.value(15).toString();
    e.batchJson = q.value(16).toString().toUtf8();
    e.rejectedJson = q.value(17).toString().toUtf8();
    e.status = q.value(18).toString();
    e.retryOf = optionalInt(q.value(19));
    e.resolvedByRun = optionalInt(q.value(20));
    e.resolvedAtMs = optionalInt(q.value(21));
    return e;
}

} // namespace

Result<void> checkJournalFilter(const JournalFilter &filter)
{
    if (filter.status != u"all"_s && !journalStatuses().contains(filter.status))
        return Error::badRequest(u"status '%1': unknown; expected open, retried, resolved or all"_s.arg(filter.status));
    if (filter.limit < 1 || filter.limit > JournalFilter::kMaxListLimit)
        return Error::badRequest(u"limit %1: out of range; expected an integer in [1, %2]"_s.arg(filter.limit).arg(
            JournalFilter::kMaxListLimit));
    return {};
}

ErrorJournal::ErrorJournal(store::CandleStore &store)
    : m_store(store)
{
}

ErrorJournal::ErrorJournal(store::CandleStore &store, Failpoints &failpoints)
    : m_store(store)
    , m_failpoints(&failpoints)
{
}

QString ErrorJournal::context() const
{
    return m_store.url().redacted() + u" ingest_errors"_s;
}

Result<qint64> ErrorJournal::append(const JournalEntry &entry)
{
    if (auto ok = validateJournalEntry(entry); !ok)
        return ok.error();
    if (m_failpoints) {
        if (auto ok = m_failpoints->hit(u"journal.write"); !ok)
            return ok.error();
    }
    QSqlDatabase db = m_store.database();
    // RETURNING works on both backends (SQLite ≥ 3.35); QPSQL has no lastInsertId() for identities.
    auto query = store::prepareQuery(
        db,
        u"INSERT INTO ingest_errors(at_ms, run_id, source, step, series_id, request_id, job_id, first_time, "
        u"last_time, candle_count, message, compensated, overlay_compensated, candle_compensated_rows, "
        u"compensation_error, batch_json, rejected_json, status, retry_of, resolved_by_run, resolved_at_ms) "
        u"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"_s,
        context());
    if (!query)
        return query.error();
    const QByteArray batch = entry.batchJson.isEmpty() ? QByteArrayLiteral("[]") : entry.batchJson;
    const QVariantList values{
        entry.atMs,
        entry.runId,
        entry.source,
        entry.step,
        entry.seriesId,
        nullable(entry.requestId),
        nullable(entry.jobId),
        nullable(entry.firstTime),
        nullable(entry.lastTime),
        entry.candleCount,
        entry.message,
        entry.compensated,
        entry.overlayCompensated,
        entry.candleCompensatedRows,
        nullable(entry.compensationError),
        QString::fromUtf8(batch),
        nullable(QString::fromUtf8(entry.rejectedJson)),
        entry.status,
        nullable(entry.retryOf),
        nullable(entry.resolvedByRun),
        nullable(entry.resolvedAtMs),
    };
    for (int k = 0; k < values.size(); ++k)
        query->bindValue(k, values.at(k));
    if (auto ok = store::execQuery(*query, context()); !ok)
        return ok.error();
    if (!query->next())
        return Error::internal(u"%1: INSERT returned no id; expected the new row's id"_s.arg(context()));
    const qint64 id = query->value(0).toLongLong();
    query->finish();
    return id;
}

Result<JournalEntry> ErrorJournal::get(qint64 id)
{
    QSqlDatabase db = m_store.database();
    auto query = store::prepareQuery(db, u"SELECT "_s + kColumns + u" FROM ingest_errors WHERE id = ?"_s, context());
    if (!query)
        return query.error();
    query->bindValue(0, id);
    if (auto ok = store::execQuery(*query, context()); !ok)
        return ok.error();
    if (!query->next())
        return Error::notFound(
            u"ingest error %1: not found; expected the id of an ingest_errors row"_s.arg(id));
    return entryFromRow(*query);
}

Result<QList<JournalEntry>> ErrorJournal::list(const JournalFilter &filter)
{
    if (auto ok = checkJournalFilter(filter); !ok)
        return ok.error();
    // Only fixed fragments are joined; every value is bound.
    QStringList where;
    QVariantList values;
    if (filter.seriesId) {
        where << u"series_id = ?"_s;
        values << *filter.seriesId;
    }
    if (filter.status != u"all"_s) {
        where << u"status = ?"_s;
        values << filter.status;
    }
    if (filter.beforeId) {
        where << u"id < ?"_s;
        values << *filter.beforeId;
    }
    QString sql = u"SELECT "_s + kColumns + u" FROM ingest_errors"_s;
    if (!where.isEmpty())
        sql += u" WHERE "_s + where.join(u" AND "_s);
    sql += u" ORDER BY id DESC LIMIT ?"_s;
    values << qint64(filter.limit);

    QSqlDatabase db = m_store.database();
    auto query = store::prepareQuery(db, sql, context());
    if (!query)
        return query.error();
    for (int k = 0; k < values.size(); ++k)
        query->bindValue(k, values.at(k));
    if (auto ok = store::execQuery(*query, context()); !ok)
        return ok.error();
    QList<JournalEntry> entries;
    while (query->next())
        entries.append(entryFromRow(*query));
    return entries;
}

Result<void> ErrorJournal::setStatus(qint64 id, const QString &status, std::optional<qint64> runId,
                                     std::optional<qint64> atMs)
{
    QSqlDatabase db = m_store.database();
    // A resolved row stays resolved (ING-11: retrying it is a conflict).
    const QString sql = runId ? u"UPDATE ingest_errors SET status = ?, resolved_by_run = ?, resolved_at_ms = ? "
                                u"WHERE id = ? AND status <> ?"_s
                              : u"UPDATE ingest_errors SET status = ? WHERE id = ? AND status <> ?"_s;
    auto query = store::prepareQuery(db, sql, context());
    if (!query)
        return query.error();
    int k = 0;
    query->bindValue(k++, status);
    if (runId) {
        query->bindValue(k++, *runId);
        query->bindValue(k++, nullable(atMs));
    }
    query->bindValue(k++, id);
    query->bindValue(k++, kResolved);
    if (auto ok = store::execQuery(*query, context()); !ok)
        return ok;
    if (query->numRowsAffected() > 0)
        return {};
    // Nothing changed: either there is no such row or it is resolved.
    if (auto existing = get(id); !existing)
        return existing.error();
    return Error::conflict(u"ingest error %1: already resolved; expected an open or retried row"_s.arg(id));
}

Result<void> ErrorJournal::markResolved(qint64 id, qint64 runId, qint64 atMs)
{
    return setStatus(id, kResolved, runId, atMs);
}

Result<void> ErrorJournal::markRetried(qint64 id)
{
    return setStatus(id, u"retried"_s, std::nullopt, std::nullopt);
}

Result<qint64> ErrorJournal::openCount()
{
    QSqlDatabase db = m_store.database();
    auto query = store::prepareQuery(db, u"SELECT COUNT(*) FROM ingest_errors WHERE status = ?"_s, context());
    if (!query)
        return query.error();
    query->bindValue(0, u"open"_s);
    if (auto ok = store::execQuery(*query, context()); !ok)
        return ok.error();
    if (!query->next())
        return Error::internal(u"%1: COUNT returned no row; expected one"_s.arg(context()));
    return query->value(0).toLongLong();
}

} // namespace gapless::ingest
