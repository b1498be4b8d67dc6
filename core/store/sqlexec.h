#pragma once

#include "core/domain/result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

namespace gapless::store {

/// Maps a driver error to an Error naming `context` (the store URL and what was being done).
[[nodiscard]] Error sqlError(const QString &context, const QSqlError &error);

/// Runs a fixed statement that binds no value (transaction control, DDL). Such statements
/// cannot be prepared on PostgreSQL; every value-carrying statement is prepared and bound.
[[nodiscard]] Result<void> execFixed(QSqlDatabase &db, const QString &statement, const QString &context);

/// Prepares `sql` on `db`, for statements that bind values.
[[nodiscard]] Result<QSqlQuery> prepareQuery(QSqlDatabase &db, const QString &sql, const QString &context);

/// Executes a prepared query.
[[nodiscard]] Result<void> execQuery(QSqlQuery &query, const QString &context);
/// Prepares `sql`, binds `binds` in order and runs it (SEC-3: values are always bound).
[[nodiscard]] Result<QSqlQuery> runBound(QSqlDatabase &db, const QString &sql, const QVariantList &binds,
                                         const QString &context);

} // namespace gapless::store
