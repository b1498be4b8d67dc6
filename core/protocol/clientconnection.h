#pragma once

#include "core/protocol/client.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QWebSocket;

namespace gapless::protocol {

/// The socket under a Client (PROTO-29): opens it with the bearer token, pings, treats
/// silence as a drop and reopens after each drop with backoff until close(). Knows nothing
/// of frames. Lives on one thread; every signal fires on it.
class ClientConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClientConnection)
public:
    explicit ClientConnection(ClientOptions options, QObject *parent = nullptr);
    ~ClientConnection() override;

    /// Connects, and reconnects after every drop until close().
    void open();
    /// Closes with 1000 and stops reconnecting.
    void close();
    /// Drops the connection as a network failure would.
    void abort(const QString &reason);

    [[nodiscard]] bool isConnected() const { return m_connected; }
    /// Sends a text frame; dropped when not connected.
    void sendText(const QByteArray &utf8);

signals:
    /// An attempt to connect has started.
    void connecting();
    /// The handshake succeeded.
    void connected();
    /// The connection or the attempt ended. When the connection is still wanted, the next
    /// attempt is already scheduled in `delayMs`, the `failures`th since the last stable
    /// connection; otherwise `delayMs` is -1.
    void dropped(const QString &reason, int failures, qint64 delayMs);
    void textReceived(const QString &text);

private:
    void openSocket();
    void handleDropped(const QString &reason);
    void detachSocket();

    ClientOptions m_options;
    QWebSocket *m_socket = nullptr;
    bool m_connected = false;
    bool m_wanted = false;
    int m_failures = 0;
    QTimer m_reconnectTimer;
    QTimer m_pingTimer;
    QTimer m_silenceTimer;
    QElapsedTimer m_connectedSince;
};

} // namespace gapless::protocol
