#pragma once

#include "core/domain/error.h"
#include "core/runtime/clock.h"
#include "core/runtime/settings.h"
#include "core/store/candlestore.h"

#include <QObject>
#include <QThread>
#include <QUrl>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless {

class Core;

/// A Core on a thread of its own (D-UI-31): the desktop app's embedded core, so that the
/// server, its sockets and the core's services never run on the owner's (GUI) thread. The
/// Core is created, started, stopped and destroyed on that thread; this object lives on the
/// owner's thread, and its signals reach it queued.
class CoreThread final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CoreThread)
public:
    /// `clock` outlives this object and is read from the core's thread.
    CoreThread(Settings settings, const Clock &clock, store::StoreUrl url, store::StoreOptions storeOptions,
               QObject *parent = nullptr);
    /// Stops the core if it still runs and joins the thread.
    ~CoreThread() override;

    /// Starts the thread and the core on it; started() or startFailed() follows. Once only.
    void start();
    /// Stops and destroys the core on its thread, then ends the thread; stopped() follows.
    /// Returns at once; a second call does nothing.
    void stop();

    /// The URL the core listens on; empty before started().
    [[nodiscard]] QUrl url() const { return m_listening; }
    /// The core's store writer (its methods are callable from any thread); null before
    /// started() and after stop().
    [[nodiscard]] ingest::IngestWriter *writer() const { return m_writer; }
    [[nodiscard]] bool isStopping() const { return m_stopping; }

signals:
    /// The core listens on `url`; on the owner's thread.
    void started(const QUrl &url);
    /// The core did not start (the store or the listen address failed); on the owner's thread.
    /// The thread keeps running until stop().
    void startFailed(const gapless::Error &error);
    /// The core is destroyed and its thread has ended; on the owner's thread.
    void stopped();

private:
    void createCore();

    Settings m_settings;
    const Clock &m_clock;
    store::StoreUrl m_storeUrl;
    store::StoreOptions m_storeOptions;
    QThread m_thread;
    QObject *m_host = nullptr; ///< lives on m_thread; owns the Core
    QUrl m_listening;
    ingest::IngestWriter *m_writer = nullptr;
    bool m_stopping = false;
};

} // namespace gapless
