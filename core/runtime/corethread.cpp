#include "core/runtime/corethread.h"

#include "core/runtime/core.h"

using namespace Qt::StringLiterals;

namespace gapless {

CoreThread::CoreThread(Settings settings, const Clock &clock, store::StoreUrl url, store::StoreOptions storeOptions,
                       QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_clock(clock)
    , m_storeUrl(std::move(url))
    , m_storeOptions(storeOptions)
{
    qRegisterMetaType<Error>();
    m_thread.setObjectName(u"gapless-core"_s);
    // Emitted on the core's thread as it ends; the owner hears of it through its own queue.
    connect(&m_thread, &QThread::finished, this, &CoreThread::stopped, Qt::QueuedConnection);
}

CoreThread::~CoreThread()
{
    stop();
    m_thread.wait();
}

void CoreThread::start()
{
    if (m_host || m_stopping)
        return;
    m_host = new QObject;
    m_host->moveToThread(&m_thread);
    // Should the thread end without stop() (it does not), the host and its core still go on it.
    connect(&m_thread, &QThread::finished, m_host, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_host, [this] { createCore(); }, Qt::QueuedConnection);
}

void CoreThread::createCore()
{
    // On the core's thread: the Core and everything it makes (server, sockets, services) live here.
    auto *core = new Core(m_settings, m_clock, m_storeUrl, m_storeOptions, m_host);
    connect(core, &Core::started, core, [this, core](const QUrl &url) {
        ingest::IngestWriter *writer = core->writer();
        QMetaObject::invokeMethod(
            this,
            [this, url, writer] {
                if (m_stopping)
                    return;
                m_listening = url;
                m_writer = writer;
                emit started(url);
            },
            Qt::QueuedConnection);
    });
    connect(core, &Core::startFailed, this, [this](const Error &error) {
        if (!m_stopping)
            emit startFailed(error);
    });
    core->start();
}

void CoreThread::stop()
{
    if (m_stopping || !m_host)
        return;
    m_stopping = true;
    m_writer = nullptr;
    m_listening.clear();
    // The core's destructor stops it (server_shutdown to the clients, threads joined) on its
    // own thread; the thread ends right after.
    QMetaObject::invokeMethod(
        m_host,
        [host = m_host] {
            delete host;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_host = nullptr;
}

} // namespace gapless
