#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>

class QTcpSocket;

/// A WebSocket server on 127.0.0.1 that completes the handshake and then never sends a byte,
/// not even a pong: the silence a client must treat as a dead connection (PROTO-29). Counts
/// the client's pings per connection.
class SilentServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SilentServer)
public:
    explicit SilentServer(QObject *parent = nullptr);

    [[nodiscard]] bool listen();
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] int connectionCount() const { return static_cast<int>(m_pings.size()); }
    [[nodiscard]] int pings(int connection) const { return m_pings.at(connection); }

private:
    void accept();
    void read(QTcpSocket *socket, int connection);

    QTcpServer m_server;
    QList<QByteArray> m_buffers;
    QList<bool> m_upgraded;
    QList<int> m_pings;
};
