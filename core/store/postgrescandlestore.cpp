#include "core/store/postgrescandlestore.h"

#include "core/store/sqlexec.h"

using namespace Qt::StringLiterals;

namespace gapless::store {

namespace {

constexpr int kRowsPerInsert = 1000; // STORE-5
constexpr int kConnectTimeoutS = 5;  // STORE-3

} // namespace

PostgresCandleStore::PostgresCandleStore(const StoreUrl &url)
    : SqlCandleStore(url, SqlDialect::Postgresql, kRowsPerInsert)
{
}

Result<std::unique_ptr<CandleStore>> PostgresCandleStore::open(const StoreUrl &url, const StoreOptions &options)
{
    std::unique_ptr<PostgresCandleStore> store(new PostgresCandleStore(url));
    if (options.holdNodeLock && !options.readOnly)
        store->m_nodeLock = options.nodeId;
    if (auto ok = store->openConnection(options); !ok)
        return ok.error();
    if (auto ok = store->prepareSchema(options.readOnly); !ok)
        return ok.error();
    return std::unique_ptr<CandleStore>(std::move(store));
}

Result<void> PostgresCandleStore::openConnection(const StoreOptions &options)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName());
    if (!db.isValid())
        return Error::unavailable(u"%1: the Qt PostgreSQL driver (QPSQL) is not installed; expected package "
                                  u"libqt6sql6-psql"_s.arg(context()));
    db.setHostName(url().host);
    db.setPort(url().port);
    db.setDatabaseName(url().database);
    db.setUserName(url().user);
    if (!url().password.isEmpty())
        db.setPassword(url().password);
    // Server notices (e.g. "already exists, skipping") would reach stderr through libpq;
    // warnings and errors still come back as query errors.
    db.setConnectOptions(u"connect_timeout=%1;application_name=gapless:%2;options='-c client_min_messages=warning'"_s
                             .arg(kConnectTimeoutS)
                             .arg(options.nodeId));
    setDatabase(db);
    if (!db.open())
        return sqlError(context(), db.lastError());
    return afterConnect();
}

Result<void> PostgresCandleStore::afterConnect()
{
    if (!m_nodeLock)
        return {};
    // A session lock: held until this connection ends, i.e. for the life of the writer.
    QSqlDatabase db = database();
    auto q = runBound(db, u"SELECT pg_try_advisory_lock(?, ?)"_s, {kNodeLockClass, *m_nodeLock}, context());
    if (!q)
        return q.error();
    if (!q->next() || !q->value(0).toBool())
        return Error::conflict(u"%1: node_id %2 is in use by another live core on this database (advisory lock "
                               u"%3, %2); expected a runtime.node_id no other running core uses (JOB-2)"_s
                                   .arg(context())
                                   .arg(*m_nodeLock)
                                   .arg(kNodeLockClass));
    return {};
}

} // namespace gapless::store
