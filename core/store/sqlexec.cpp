#include "core/store/sqlexec.h"

using namespace Qt::StringLiterals;

namespace gapless::store {

Error sqlError(const QString &context, const QSqlError &error)
{
    const QString text = error.text().simplified(); // one line: drivers join their parts with newlines
    const QString lower = text.toLower();
    ErrorCode code = ErrorCode::Unavailable;
    QString expected = u"a writable, reachable database"_s;
    if (lower.contains(u"not a database"_s)) {
        code = ErrorCode::BadRequest;
        expected = u"a SQLite database file"_s;
    } else if (lower.contains(u"password authentication failed"_s) || lower.contains(u"no password supplied"_s)) {
        code = ErrorCode::Unauthorized;
        expected = u"valid credentials"_s;
    } else if (lower.contains(u"does not exist"_s) && lower.contains(u"database"_s)) {
        code = ErrorCode::NotFound;
        expected = u"an existing database"_s;
    }
    return Error{code, u"%1: %2; expected %3"_s.arg(context, text.isEmpty() ? u"unknown error"_s : text, expected)};
}

Result<void> execFixed(QSqlDatabase &db, const QString &statement, const QString &context)
{
    if (!db.isOpen())
        return Error::unavailable(u"%1: connection lost; expected an open connection to the database"_s.arg(context));
    QSqlQuery query(db);
    if (!query.exec(statement))
        return sqlError(context, query.lastError());
    return {};
}

Result<QSqlQuery> prepareQuery(QSqlDatabase &db, const QString &sql, const QString &context)
{
    if (!db.isOpen())
        return Error::unavailable(u"%1: connection lost; expected an open connection to the database"_s.arg(context));
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlError(context, query.lastError());
    return query;
}

Result<void> execQuery(QSqlQuery &query, const QString &context)
{
    if (!query.exec())
        return sqlError(context, query.lastError());
    return {};
}

Result<QSqlQuery> runBound(QSqlDatabase &db, const QString &sql, const QVariantList &binds, const QString &context)
{
    auto q = prepareQuery(db, sql, context);
    if (!q)
        return q.error();
    for (const QVariant &v : binds)
        q->addBindValue(v);
    if (auto ok = execQuery(*q, context); !ok)
        return ok.error();
    return q;
}

} // namespace gapless::store
