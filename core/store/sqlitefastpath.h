#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"

#include <QSqlDatabase>

struct sqlite3;
struct sqlite3_stmt;

namespace gapless::store {

/// The candle hot path of the SQLite backend on the Qt connection's own sqlite3 handle
/// (QSqlDriver::handle()): the upsert's range read and its bulk insert, with binds straight
/// from doubles and UTF-8, no QVariant per value. Same connection, same transaction.
class SqliteFastPath
{
public:
    SqliteFastPath() = default;
    ~SqliteFastPath();
    Q_DISABLE_COPY_MOVE(SqliteFastPath)

    /// Takes the handle of an open QSQLITE connection; false if the driver gives none.
    [[nodiscard]] bool attach(const QSqlDatabase &db);
    /// Finalizes the statements; call before the connection closes.
    void detach();
    /// The connection's handle, or null before attach().
    [[nodiscard]] sqlite3 *handle() const { return m_db; }

    [[nodiscard]] Result<CandleList> range(const QByteArray &series, qint64 from, qint64 to, const QString &context);
    [[nodiscard]] Result<void> insert(const QByteArray &series, const CandleList &rows, const QString &context);

private:
    [[nodiscard]] Result<sqlite3_stmt *> prepare(sqlite3_stmt **slot, const char *sql, const QString &context);
    [[nodiscard]] Error error(const QString &context) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_select = nullptr;
    sqlite3_stmt *m_insert = nullptr;
};

} // namespace gapless::store
