#pragma once

#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <memory>

struct sqlite3;

namespace gapless::store {

/// Moves the WAL of a writable SQLite store into the database file on a thread of its own
/// (D-STO-6), so that no commit of the writer waits for a checkpoint's fsync. The writer's
/// connection reports each commit's WAL size through sqlite3_wal_hook; from
/// `kCheckpointPages` pages on, the checkpoint thread runs a PASSIVE checkpoint on its own
/// connection. If that thread falls behind by `kInlinePages`, the writer checkpoints itself,
/// as SQLite's auto-checkpoint would, so the WAL never grows without bound.
class SqliteCheckpointer final
{
public:
    static constexpr int kCheckpointPages = 1000; ///< SQLite's default auto-checkpoint
    static constexpr int kInlinePages = 16 * kCheckpointPages;

    SqliteCheckpointer() = default;
    ~SqliteCheckpointer();
    Q_DISABLE_COPY_MOVE(SqliteCheckpointer)

    /// Takes over checkpointing for `writer` (a WAL-mode connection of `path`) and starts the
    /// thread. False, with the writer left to SQLite's auto-checkpoint, if the thread's
    /// connection cannot be opened.
    [[nodiscard]] bool attach(sqlite3 *writer, const QString &path);
    /// Stops the thread and hands checkpointing back to the writer; call before it closes.
    void detach();

    /// Checkpoints done on the thread, and by the writer itself (the fallback).
    [[nodiscard]] int backgroundCheckpoints() const { return m_background.load(); }
    [[nodiscard]] int inlineCheckpoints() const { return m_inline.load(); }
    /// WAL frames the thread's checkpoints copied into the database file.
    [[nodiscard]] qint64 backgroundFrames() const { return m_frames.load(); }

private:
    static int onCommit(void *self, sqlite3 *db, const char *name, int pages);
    void run();

    sqlite3 *m_writer = nullptr;
    sqlite3 *m_own = nullptr;
    std::unique_ptr<QThread> m_thread;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    std::atomic<int> m_background{0};
    std::atomic<int> m_inline{0};
    std::atomic<qint64> m_frames{0};
};

} // namespace gapless::store
