#include "core/store/sqlitefastpath.h"

#include "core/store/sqlexec.h"

#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

#include <cstring>

using namespace Qt::StringLiterals;

namespace gapless::store {

SqliteFastPath::~SqliteFastPath()
{
    detach();
}

bool SqliteFastPath::attach(const QSqlDatabase &db)
{
    detach();
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || std::strcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    m_db = *static_cast<sqlite3 *const *>(handle.constData());
    return m_db != nullptr;
}

void SqliteFastPath::detach()
{
    sqlite3_finalize(m_select);
    sqlite3_finalize(m_insert);
    m_select = m_insert = nullptr;
    m_db = nullptr;
}

Error SqliteFastPath::error(const QString &context) const
{
    // The same mapping as every other statement of the store.
    return sqlError(context, QSqlError(QString(), QString::fromUtf8(sqlite3_errmsg(m_db)), QSqlError::StatementError,
                                       QString::number(sqlite3_extended_errcode(m_db))));
}

Result<sqlite3_stmt *> SqliteFastPath::prepare(sqlite3_stmt **slot, const char *sql, const QString &context)
{
    if (!*slot && sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, nullptr) != SQLITE_OK)
        return error(context);
    return *slot;
}

Result<CandleList> SqliteFastPath::range(const QByteArray &series, qint64 from, qint64 to, const QString &context)
{
    auto stmt = prepare(&m_select, "SELECT candle_time, open, high, low, close, volume FROM candles WHERE series_id = ? "
                                   "AND candle_time >= ? AND candle_time <= ? ORDER BY candle_time", context);
    if (!stmt)
        return stmt.error();
    sqlite3_stmt *s = *stmt;
    sqlite3_bind_text(s, 1, series.constData(), int(series.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    CandleList out;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        out.append(Candle{sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1), sqlite3_column_double(s, 2),
                          sqlite3_column_double(s, 3), sqlite3_column_double(s, 4), sqlite3_column_double(s, 5)});
    }
    const Result<CandleList> result = rc == SQLITE_DONE ? Result<CandleList>(std::move(out)) : Result<CandleList>(error(context));
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return result;
}

Result<void> SqliteFastPath::insert(const QByteArray &series, const CandleList &rows, const QString &context)
{
    auto stmt = prepare(&m_insert, "INSERT INTO candles(series_id, candle_time, open, high, low, close, volume) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)", context);
    if (!stmt)
        return stmt.error();
    sqlite3_stmt *s = *stmt;
    sqlite3_bind_text(s, 1, series.constData(), int(series.size()), SQLITE_STATIC);
    for (const Candle &c : rows) {
        sqlite3_bind_int64(s, 2, c.time);
        sqlite3_bind_double(s, 3, c.open);
        sqlite3_bind_double(s, 4, c.high);
        sqlite3_bind_double(s, 5, c.low);
        sqlite3_bind_double(s, 6, c.close);
        sqlite3_bind_double(s, 7, c.volume);
        if (sqlite3_step(s) != SQLITE_DONE) {
            const Error e = error(context);
            sqlite3_reset(s);
            return e;
        }
        sqlite3_reset(s);
    }
    sqlite3_clear_bindings(s);
    return {};
}

} // namespace gapless::store
