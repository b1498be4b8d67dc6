#include "core/store/migrations.h"

#include "core/store/sqlexec.h"

#include <QCryptographicHash>
#include <QHash>

using namespace Qt::StringLiterals;

namespace gapless::store {

namespace {

// Migration 1: the whole schema of STORE-7, with the part 3 tables (IDEM-4, JOB-5, REP-9).
const QString kSchemaV1 = uR"sql(
CREATE TABLE series(series_id {T} PRIMARY KEY, tf_s {I64} NOT NULL, created_at_ms {I64} NOT NULL);
CREATE TABLE candles(series_id {T} NOT NULL, candle_time {I64} NOT NULL,
  open {F64} NOT NULL, high {F64} NOT NULL, low {F64} NOT NULL, close {F64} NOT NULL, volume {F64} NOT NULL,
  PRIMARY KEY(series_id, candle_time)){WITHOUT_ROWID};
CREATE TABLE candle_revisions(id {ID}, series_id {T} NOT NULL, candle_time {I64} NOT NULL,
  old_open {F64} NOT NULL, old_high {F64} NOT NULL, old_low {F64} NOT NULL, old_close {F64} NOT NULL,
  old_volume {F64} NOT NULL,
  new_open {F64} NOT NULL, new_high {F64} NOT NULL, new_low {F64} NOT NULL, new_close {F64} NOT NULL,
  new_volume {F64} NOT NULL,
  cause {T} NOT NULL, run_id {I64} NOT NULL, job_id {I64}, request_id {T}, at_ms {I64} NOT NULL);
CREATE INDEX candle_revisions_series_time ON candle_revisions(series_id, candle_time);
CREATE TABLE factor_series_state(series_id {T} PRIMARY KEY, head_time {I64}, fingerprint {T} NOT NULL,
  dirty_from {I64}, updated_at_ms {I64} NOT NULL);
CREATE TABLE factor_events(id {ID}, series_id {T} NOT NULL, factor_name {T} NOT NULL, event_key {T} NOT NULL,
  kind {T} NOT NULL, candle_time {I64} NOT NULL, payload_json {T} NOT NULL,
  UNIQUE(series_id, factor_name, event_key));
CREATE INDEX factor_events_series_time ON factor_events(series_id, candle_time);
CREATE TABLE factor_head_snapshots(id {ID}, series_id {T} NOT NULL, factor_name {T} NOT NULL,
  candle_time {I64} NOT NULL, seq {I64} NOT NULL, head_json {T} NOT NULL,
  UNIQUE(series_id, factor_name, seq));
CREATE TABLE overlay_instruction_versions(version_id {ID}, series_id {T} NOT NULL, instruction_id {T} NOT NULL,
  kind {T} NOT NULL, visible_time {I64} NOT NULL, def_json {T} NOT NULL);
CREATE INDEX overlay_versions_series ON overlay_instruction_versions(series_id, version_id);
CREATE INDEX overlay_versions_instruction ON overlay_instruction_versions(series_id, instruction_id, version_id);
CREATE TABLE overlay_series_state(series_id {T} PRIMARY KEY, head_time {I64}, last_version_id {I64} NOT NULL,
  updated_at_ms {I64} NOT NULL);
CREATE TABLE ingest_errors(id {ID}, at_ms {I64} NOT NULL, run_id {I64} NOT NULL, source {T} NOT NULL,
  step {T} NOT NULL, series_id {T} NOT NULL, request_id {T}, job_id {I64}, first_time {I64}, last_time {I64},
  candle_count {I64} NOT NULL, message {T} NOT NULL, compensated {BOOL} NOT NULL,
  overlay_compensated {BOOL} NOT NULL, candle_compensated_rows {I64} NOT NULL, compensation_error {T},
  batch_json {T} NOT NULL, rejected_json {T}, status {T} NOT NULL, retry_of {I64}, resolved_by_run {I64},
  resolved_at_ms {I64});
CREATE INDEX ingest_errors_status ON ingest_errors(status, id);
CREATE INDEX ingest_errors_series ON ingest_errors(series_id, id);
CREATE TABLE idempotency_keys("key" {T} PRIMARY KEY, command {T} NOT NULL, fingerprint {T} NOT NULL,
  state {T} NOT NULL, job_id {I64}, node_id {I64} NOT NULL, result_json {T}, error_code {T}, error_message {T},
  created_at_ms {I64} NOT NULL, updated_at_ms {I64} NOT NULL, expires_at_ms {I64});
CREATE INDEX idempotency_keys_state ON idempotency_keys(state, expires_at_ms);
CREATE TABLE jobs(job_id {I64} PRIMARY KEY, kind {T} NOT NULL, series_id {T}, args_json {T} NOT NULL,
  idempotency_key {T}, node_id {I64} NOT NULL, state {T} NOT NULL, progress_done {I64} NOT NULL,
  progress_total {I64}, progress_unit {T} NOT NULL, progress_note {T}, heartbeat_at_ms {I64},
  attempts {I64} NOT NULL, next_attempt_at_ms {I64}, cancel_requested {BOOL} NOT NULL,
  created_at_ms {I64} NOT NULL, started_at_ms {I64}, finished_at_ms {I64}, error_code {T}, error_message {T},
  result_json {T});
CREATE INDEX jobs_state ON jobs(state, job_id);
CREATE TABLE review_items(id {ID}, job_id {I64} NOT NULL, series_id {T} NOT NULL, candle_time {I64} NOT NULL,
  local_json {T}, source_json {T}, source {T} NOT NULL, state {T} NOT NULL, created_at_ms {I64} NOT NULL,
  resolved_at_ms {I64}, resolved_by {T}, resolve_job_id {I64});
CREATE UNIQUE INDEX review_items_open ON review_items(series_id, candle_time) WHERE state = 'open'
)sql"_s;

const QString kBootstrap = u"CREATE TABLE IF NOT EXISTS schema_migrations(version {I64} PRIMARY KEY, "
                           u"name {T} NOT NULL, checksum {T} NOT NULL, applied_at_ms {I64} NOT NULL)"_s;

// Two-int4 advisory lock key for migrations (STORE-6): 'gapl', 1.
constexpr int kLockClass = 0x6761706c;
constexpr int kLockMigrations = 1;

QString render(const QString &sql, SqlDialect dialect)
{
    const bool lite = dialect == SqlDialect::Sqlite;
    QString out = sql;
    out.replace(u"{I64}"_s, lite ? u"INTEGER"_s : u"BIGINT"_s);
    out.replace(u"{F64}"_s, lite ? u"REAL"_s : u"DOUBLE PRECISION"_s);
    out.replace(u"{BOOL}"_s, lite ? u"INTEGER"_s : u"BOOLEAN"_s);
    out.replace(u"{ID}"_s, lite ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_s
                                : u"BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"_s);
    out.replace(u"{T}"_s, u"TEXT"_s);
    out.replace(u"{WITHOUT_ROWID}"_s, lite ? u" WITHOUT ROWID"_s : QString());
    return out;
}

Result<QHash<int, QString>> appliedChecksums(QSqlDatabase &db, const QString &context)
{
    auto query = prepareQuery(db, u"SELECT version, checksum FROM schema_migrations"_s, context);
    if (!query)
        return query.error();
    if (auto ok = execQuery(*query, context); !ok)
        return ok.error();
    QHash<int, QString> applied;
    while (query->next())
        applied.insert(query->value(0).toInt(), query->value(1).toString());
    return applied;
}

Result<void> applyOne(QSqlDatabase &db, SqlDialect dialect, const Migration &migration, const QString &context,
                      qint64 nowMs)
{
    for (const QString &statement : migration.statements(dialect)) {
        if (auto ok = execFixed(db, statement, context); !ok)
            return ok;
    }
    auto insert = prepareQuery(db,
                               u"INSERT INTO schema_migrations(version, name, checksum, applied_at_ms) "
                               u"VALUES (?, ?, ?, ?)"_s,
                               context);
    if (!insert)
        return insert.error();
    insert->addBindValue(migration.version);
    insert->addBindValue(migration.name);
    insert->addBindValue(migration.checksum());
    insert->addBindValue(nowMs);
    return execQuery(*insert, context);
}

struct Step
{
    int version = 0;   ///< the schema version after this step
    bool applied = false;
};

// Checks the stored history and applies the first missing migration, if any.
Result<Step> migrateStep(QSqlDatabase &db, SqlDialect dialect, const QString &context, qint64 nowMs)
{
    if (auto ok = execFixed(db, render(kBootstrap, dialect), context); !ok)
        return ok.error();
    auto applied = appliedChecksums(db, context);
    if (!applied)
        return applied.error();
    const int known = migrations().isEmpty() ? 0 : migrations().constLast().version;
    int current = 0;
    for (auto it = applied->cbegin(); it != applied->cend(); ++it)
        current = std::max(current, it.key());
    if (current > known)
        return Error::conflict(u"%1: schema version %2 is newer than this build's %3; expected a database "
                               u"written by this or an older version of gapless"_s.arg(context).arg(current).arg(known));
    for (const Migration &migration : migrations()) {
        const auto stored = applied->constFind(migration.version);
        if (stored == applied->cend()) {
            if (auto ok = applyOne(db, dialect, migration, context, nowMs); !ok)
                return ok.error();
            return Step{migration.version, true};
        }
        if (*stored != migration.checksum())
            return Error::conflict(u"%1: migration %2 (%3) has checksum %4; expected %5"_s.arg(
                context, QString::number(migration.version), migration.name, *stored, migration.checksum()));
    }
    return Step{current, false};
}

} // namespace

QString Migration::checksum() const
{
    return QString::fromLatin1(QCryptographicHash::hash(sqlTemplate.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QStringList Migration::statements(SqlDialect dialect) const
{
    QStringList result;
    for (const QString &part : render(sqlTemplate, dialect).split(u';')) {
        const QString statement = part.trimmed();
        if (!statement.isEmpty())
            result << statement;
    }
    return result;
}

const QList<Migration> &migrations()
{
    static const QList<Migration> list{
        {1, u"initial schema"_s, kSchemaV1},
    };
    return list;
}

Result<int> migrate(QSqlDatabase &db, SqlDialect dialect, const QString &context, qint64 nowMs)
{
    // Each migration commits in its own transaction with its schema_migrations row.
    const bool lite = dialect == SqlDialect::Sqlite;
    for (;;) {
        if (auto ok = execFixed(db, lite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s, context); !ok)
            return ok.error();
        Result<Step> step = Step{};
        if (!lite) {
            const QString lock = u"SELECT pg_advisory_xact_lock(%1, %2)"_s.arg(kLockClass).arg(kLockMigrations);
            if (auto ok = execFixed(db, lock, context); !ok)
                step = ok.error();
        }
        if (step)
            step = migrateStep(db, dialect, context, nowMs);
        if (!step) {
            (void)execFixed(db, u"ROLLBACK"_s, context);
            return step.error();
        }
        if (auto ok = execFixed(db, u"COMMIT"_s, context); !ok)
            return ok.error();
        if (!step->applied)
            return step->version;
    }
}

} // namespace gapless::store
