#include "tests/bench/loopbackclients.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QTimer>
#include <QWebSocket>

#include <chrono>

using namespace Qt::StringLiterals;

namespace gapless::bench {

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct LoopbackClients::Shared
{
    Marker marker;
    std::function<void()> wake;
    QMutex mutex;
    QList<Receipt> receipts;
    int hellos = 0;
    int markers = 0;
    bool waiting = false;
    Counter counter = Counter::Markers;
    int target = 0;

    // On the client thread, for every text frame.
    void received(int client, bool first, const QString &text)
    {
        const qint64 ns = steadyNs();
        const bool isMarker = marker(text);
        QMutexLocker lock(&mutex);
        receipts.append({ns, client, text});
        hellos += first ? 1 : 0;
        markers += isMarker ? 1 : 0;
        if (waiting && (counter == Counter::Hellos ? hellos : markers) >= target) {
            waiting = false;
            wake();
        }
    }
};

LoopbackClients::LoopbackClients(Marker marker) : m_shared(std::make_unique<Shared>()), m_worker(new QObject)
{
    m_shared->marker = std::move(marker);
    m_shared->wake = [this] {
        QMetaObject::invokeMethod(&m_wakeContext, [this] { m_loop.exit(); }, Qt::QueuedConnection);
    };
    m_thread.setObjectName(u"bench-clients"_s);
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

LoopbackClients::~LoopbackClients()
{
    close();
    m_thread.quit();
    m_thread.wait();
}

bool LoopbackClients::open(const QUrl &url, int count, int timeoutMs)
{
    Shared *shared = m_shared.get();
    QMetaObject::invokeMethod(
        m_worker,
        [&] {
            for (int i = 0; i < count; ++i) {
                auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, m_worker);
                const int index = int(m_sockets.size());
                QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                                 [shared, index, first = true](const QString &text) mutable {
                                     shared->received(index, first, text);
                                     first = false;
                                 });
                m_sockets.append(socket);
                socket->open(url);
            }
            m_size = int(m_sockets.size());
        },
        Qt::BlockingQueuedConnection);
    return waitFor(Counter::Hellos, m_size, timeoutMs);
}

qint64 LoopbackClients::sendToAll(const QString &text)
{
    qint64 sent = 0;
    QMetaObject::invokeMethod(
        m_worker,
        [&] {
            sent = steadyNs();
            for (QWebSocket *socket : std::as_const(m_sockets))
                socket->sendTextMessage(text);
        },
        Qt::BlockingQueuedConnection);
    return sent;
}

bool LoopbackClients::waitForMarkers(int count, int timeoutMs)
{
    return waitFor(Counter::Markers, count, timeoutMs);
}

bool LoopbackClients::waitFor(Counter counter, int count, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &m_loop, [this] { m_loop.exit(); });
    timeout.start(timeoutMs);
    for (;;) {
        {
            QMutexLocker lock(&m_shared->mutex);
            const int have = counter == Counter::Hellos ? m_shared->hellos : m_shared->markers;
            if (have >= count || deadline.hasExpired()) {
                m_shared->waiting = false;
                return have >= count;
            }
            m_shared->waiting = true;
            m_shared->counter = counter;
            m_shared->target = count;
        }
        m_loop.exec();
    }
}

QList<Receipt> LoopbackClients::take()
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->markers = 0;
    return std::exchange(m_shared->receipts, {});
}

void LoopbackClients::close()
{
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            for (QWebSocket *socket : std::as_const(m_sockets)) {
                socket->close();
                socket->deleteLater();
            }
            m_sockets.clear();
        },
        Qt::BlockingQueuedConnection);
    m_size = 0;
    QMutexLocker lock(&m_shared->mutex);
    m_shared->receipts.clear();
    m_shared->hellos = 0;
    m_shared->markers = 0;
}

} // namespace gapless::bench
