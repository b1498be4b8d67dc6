#include "core/store/sqlitecandlestore.h"

#include "core/store/sqlexec.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace gapless::store {

namespace {

// SQLite inserts at most 32766 bound values per statement; 256 rows x 7 stays well under.
constexpr int kRowsPerInsert = 256;

bool hasWriteBit(const QString &path)
{
    return QFile::permissions(path).testFlag(QFileDevice::WriteOwner);
}

} // namespace

SqliteCandleStore::SqliteCandleStore(const StoreUrl &url)
    : SqlCandleStore(url, SqlDialect::Sqlite, kRowsPerInsert)
{
}

SqliteCandleStore::~SqliteCandleStore()
{
    beforeDisconnect();
}

void SqliteCandleStore::beforeDisconnect()
{
    // The checkpoint thread and the statements go before the connection closes.
    m_checkpointer.detach();
    m_fast.detach();
}

Result<CandleList> SqliteCandleStore::readStored(const SeriesId &series, qint64 from, qint64 to)
{
    if (!m_hasFastPath)
        return SqlCandleStore::readStored(series, from, to);
    return m_fast.range(series.toString().toUtf8(), from, to, context());
}

Result<void> SqliteCandleStore::insertRows(const SeriesId &series, const CandleList &rows)
{
    if (!m_hasFastPath)
        return SqlCandleStore::insertRows(series, rows);
    return m_fast.insert(series.toString().toUtf8(), rows, context());
}

Result<std::unique_ptr<CandleStore>> SqliteCandleStore::open(const StoreUrl &url, const StoreOptions &options)
{
    std::unique_ptr<SqliteCandleStore> store(new SqliteCandleStore(url));
    if (auto ok = store->checkWritable(options); !ok)
        return ok.error();
    if (!options.readOnly) {
        if (auto ok = store->acquireLock(); !ok)
            return ok.error();
    }
    if (auto ok = store->openConnection(options); !ok)
        return ok.error();
    if (auto ok = store->prepareSchema(options.readOnly); !ok)
        return ok.error();
    if (!options.readOnly)
        store->restrictPermissions();
    return std::unique_ptr<CandleStore>(std::move(store));
}

Result<void> SqliteCandleStore::checkWritable(const StoreOptions &options) const
{
    const QFileInfo file(url().path);
    const QString dir = file.absolutePath();
    if (options.readOnly) {
        if (!file.exists())
            return Error::notFound(u"%1: no such database file; expected an existing gapless database"_s.arg(context()));
        return {};
    }
    if (file.isDir())
        return Error::badRequest(u"%1: is a directory; expected a database file"_s.arg(context()));
    if (!QFileInfo::exists(dir)) {
        if (!options.createDirectory)
            return Error::unavailable(
                u"%1: directory %2 does not exist; expected an existing directory"_s.arg(context(), dir));
        if (!QDir().mkpath(dir))
            return Error::unavailable(u"%1: cannot create directory %2; expected a writable location"_s.arg(context(), dir));
        QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    // Permission bits, not access(2): root may write anywhere, but a file marked read-only
    // by its owner is meant to stay untouched.
    if (file.exists() && (!file.isWritable() || !hasWriteBit(file.absoluteFilePath())))
        return Error::unavailable(u"%1: the file is read-only; expected a writable database file"_s.arg(context()));
    if (!QFileInfo(dir).isWritable() || !hasWriteBit(dir))
        return Error::unavailable(u"%1: directory %2 is read-only; expected a writable directory for the database "
                                  u"and its -wal and -shm files"_s.arg(context(), dir));
    return {};
}

Result<void> SqliteCandleStore::acquireLock()
{
    m_lock = std::make_unique<QLockFile>(url().path + u".lock"_s);
    // Never treat a live writer's lock as stale by age; a dead writer's lock is still reclaimed.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0))
        return {};
    if (m_lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock->getLockInfo(&pid, &host, &app);
        return Error::conflict(u"%1: in use by pid %2 on %3; expected no other gapless writer on this file"_s.arg(
            context(), QString::number(pid), host.isEmpty() ? u"this host"_s : host));
    }
    return Error::unavailable(u"%1: cannot create the lock file %2.lock; expected a writable directory"_s.arg(
        context(), url().path));
}

Result<void> SqliteCandleStore::openConnection(const StoreOptions &options)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName());
    if (!db.isValid())
        return Error::unavailable(u"%1: the Qt SQLite driver (QSQLITE) is not installed; expected package "
                                  u"libqt6sql6-sqlite"_s.arg(context()));
    db.setDatabaseName(url().path);
    QString connectOptions = u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(options.busyTimeoutMs);
    if (options.readOnly)
        connectOptions += u";QSQLITE_OPEN_READONLY"_s;
    db.setConnectOptions(connectOptions);
    setDatabase(db);
    if (!db.open())
        return sqlError(context(), db.lastError());
    m_readOnly = options.readOnly;
    return afterConnect();
}

Result<void> SqliteCandleStore::afterConnect()
{
    QSqlDatabase db = database();
    // The first read tells a database from any other file.
    if (auto ok = execFixed(db, u"SELECT COUNT(*) FROM sqlite_master"_s, context()); !ok)
        return ok;
    m_hasFastPath = m_fast.attach(db);
    if (m_readOnly)
        return {};
    // WAL: readers go on reading while the writer commits; NORMAL loses no committed
    // transaction on a process crash (STORE-4).
    if (auto ok = execFixed(db, u"PRAGMA journal_mode=WAL"_s, context()); !ok)
        return ok;
    if (auto ok = execFixed(db, u"PRAGMA synchronous=NORMAL"_s, context()); !ok)
        return ok;
    // D-STO-6: checkpoints (and their fsync) run beside the writer, not inside its commits.
    if (m_hasFastPath)
        (void)m_checkpointer.attach(m_fast.handle(), url().path);
    return {};
}

void SqliteCandleStore::restrictPermissions() const
{
    // SEC-5: the database and its WAL files are the owner's alone.
    const auto mode = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s}) {
        const QString path = url().path + suffix;
        if (QFileInfo::exists(path))
            QFile::setPermissions(path, mode);
    }
}

} // namespace gapless::store
