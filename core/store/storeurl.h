#pragma once

#include "core/domain/result.h"

#include <QString>

namespace gapless::store {

/// Where a store lives (STORE-2): a SQLite file or a PostgreSQL database.
struct StoreUrl
{
    enum class Kind { Sqlite, Postgresql };

    Kind kind = Kind::Sqlite;
    QString path;       ///< SQLite: the database file
    QString user;       ///< PostgreSQL fields
    QString password;   ///< empty: PGPASSWORD or ~/.pgpass
    QString host;
    int port = 5432;
    QString database;

    /// `PATH`, `sqlite:///ABS/PATH`, `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB` or `postgres://…`.
    [[nodiscard]] static Result<StoreUrl> parse(const QString &text);
    /// The URL as it may be shown: the password as `***` (SEC-4).
    [[nodiscard]] QString redacted() const;
    [[nodiscard]] bool isSqlite() const { return kind == Kind::Sqlite; }
};

} // namespace gapless::store
