#pragma once

#include "core/domain/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace gapless::store {

enum class SqlDialect { Sqlite, Postgresql };

/// One forward migration. Its SQL is written once with the column types of STORE-7
/// (`{I64}`, `{F64}`, `{BOOL}`, `{ID}`, `{T}`) and rendered per dialect.
struct Migration
{
    int version = 0;
    QString name;
    QString sqlTemplate;

    /// Hex SHA-256 of the template: the same on both backends, changed by any edit (STORE-6).
    [[nodiscard]] QString checksum() const;
    [[nodiscard]] QStringList statements(SqlDialect dialect) const;
};

/// Every migration, in version order.
[[nodiscard]] const QList<Migration> &migrations();

/// Applies the missing migrations, each in one transaction with its `schema_migrations` row
/// (PostgreSQL: under an advisory lock). A newer stored version or a changed checksum is a
/// conflict. Returns the schema version now in force.
[[nodiscard]] Result<int> migrate(QSqlDatabase &db, SqlDialect dialect, const QString &context, qint64 nowMs);

} // namespace gapless::store
