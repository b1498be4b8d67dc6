#include "core/store/sqlitecheckpointer.h"

#include <QLoggingCategory>
#include <QThread>

#include <sqlite3.h>

namespace gapless::store {

namespace {
Q_LOGGING_CATEGORY(lcCheckpoint, "gapless.store.checkpoint")
}

SqliteCheckpointer::~SqliteCheckpointer()
{
    detach();
}

bool SqliteCheckpointer::attach(sqlite3 *writer, const QString &path)
{
    if (!writer || m_writer)
        return false;
    // A connection of its own: SQLite connections are used by one thread at a time, and a
    // checkpoint on this one never waits for the writer's lock (PASSIVE).
    const QByteArray file = path.toUtf8();
    if (sqlite3_open_v2(file.constData(), &m_own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        qCWarning(lcCheckpoint).noquote() << path << "checkpoint connection failed:" << sqlite3_errmsg(m_own)
                                          << "- the writer checkpoints itself";
        sqlite3_close(m_own);
        m_own = nullptr;
        return false;
    }
    // A first read makes the connection see the WAL; before it, a checkpoint does nothing.
    if (sqlite3_exec(m_own, "SELECT COUNT(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
        qCWarning(lcCheckpoint).noquote() << path << "checkpoint connection failed:" << sqlite3_errmsg(m_own)
                                          << "- the writer checkpoints itself";
        sqlite3_close(m_own);
        m_own = nullptr;
        return false;
    }
    m_writer = writer;
    m_stopping = false;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("gapless-checkpoint"));
    m_thread->start(QThread::LowPriority);
    // Replaces SQLite's own auto-checkpoint hook on this connection.
    sqlite3_wal_hook(m_writer, &SqliteCheckpointer::onCommit, this);
    return true;
}

void SqliteCheckpointer::detach()
{
    if (!m_writer)
        return;
    sqlite3_wal_autocheckpoint(m_writer, kCheckpointPages); // back to SQLite's own hook
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
    m_thread.reset();
    sqlite3_close(m_own);
    m_own = nullptr;
    m_writer = nullptr;
}

int SqliteCheckpointer::onCommit(void *self, sqlite3 *db, const char *name, int pages)
{
    auto *c = static_cast<SqliteCheckpointer *>(self);
    if (pages >= kInlinePages) {
        // The thread is behind (a long checkpoint, or readers pinning the WAL): bound the WAL here.
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        c->m_inline.fetch_add(1);
        return SQLITE_OK;
    }
    if (pages >= kCheckpointPages) {
        QMutexLocker lock(&c->m_mutex);
        if (!c->m_requested) {
            c->m_requested = true;
            c->m_wake.wakeOne();
        }
    }
    return SQLITE_OK;
}

void SqliteCheckpointer::run()
{
    QMutexLocker lock(&m_mutex);
    while (true) {
        while (!m_requested && !m_stopping)
            m_wake.wait(&m_mutex);
        if (m_stopping)
            return;
        m_requested = false;
        lock.unlock();
        int logFrames = 0;
        int done = 0;
        const int rc = sqlite3_wal_checkpoint_v2(m_own, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &done);
        if (rc == SQLITE_OK) {
            m_background.fetch_add(1);
            m_frames.fetch_add(done);
        }
        else if (rc != SQLITE_BUSY)
            qCWarning(lcCheckpoint).noquote() << "checkpoint failed:" << sqlite3_errmsg(m_own);
        lock.relock();
    }
}

} // namespace gapless::store
