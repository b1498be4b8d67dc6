#pragma once

#include <QEventLoop>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>
#include <memory>

class QWebSocket;

namespace gapless::bench {

/// Nanoseconds of the steady clock, comparable across threads of the process.
[[nodiscard]] qint64 steadyNs();

/// A text frame as a client received it: when it arrived (steadyNs) and on which connection.
struct Receipt
{
    qint64 ns = 0;
    int client = 0;
    QString text;
};

/// Raw WebSocket clients on a thread of their own, as remote clients would be: the server's
/// protocol thread (the caller's) does no client work, and each frame is stamped the moment
/// QWebSocket hands it over, before anything looks at it. The caller's event loop runs while
/// it waits, so a server on the caller's thread keeps serving.
class LoopbackClients final
{
public:
    /// Which frames waitForMarkers() counts; runs on the client thread after the stamp.
    using Marker = std::function<bool(QStringView text)>;

    explicit LoopbackClients(Marker marker);
    ~LoopbackClients();
    Q_DISABLE_COPY_MOVE(LoopbackClients)

    /// Opens `count` new connections and waits for the first frame (hello) on each.
    [[nodiscard]] bool open(const QUrl &url, int count, int timeoutMs = 30000);
    /// Sends `text` on every connection, in order; returns steadyNs() just before the first send.
    qint64 sendToAll(const QString &text);
    /// Waits until `count` marker frames have arrived since the last take().
    [[nodiscard]] bool waitForMarkers(int count, int timeoutMs = 30000);
    /// Every frame since the last take(), in arrival order, and forgets them and the markers.
    [[nodiscard]] QList<Receipt> take();
    /// Closes and deletes every connection.
    void close();
    [[nodiscard]] int size() const { return m_size; }

private:
    struct Shared;
    enum class Counter { Hellos, Markers };

    [[nodiscard]] bool waitFor(Counter counter, int count, int timeoutMs);

    std::unique_ptr<Shared> m_shared;
    QThread m_thread;
    QObject *m_worker;
    QList<QWebSocket *> m_sockets; ///< owned by m_worker, touched only on the client thread
    QObject m_wakeContext;         ///< on the caller's thread
    QEventLoop m_loop;
    int m_size = 0;
};

} // namespace gapless::bench
