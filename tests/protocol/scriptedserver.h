#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <QWebSocketProtocol>
#include <QWebSocketServer>

class QWebSocket;

/// A market-protocol server for client tests, on 127.0.0.1: sends `hello` on connect, answers
/// `subscribe` with `caught_up` unless told not to, records every handshake and frame it
/// receives per connection, and sends whatever frames the test pushes.
class ScriptedServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedServer)
public:
    explicit ScriptedServer(QObject *parent = nullptr);
    ~ScriptedServer() override;

    /// Listens on 127.0.0.1:`port`; 0 picks a free port.
    [[nodiscard]] bool listen(quint16 port = 0);
    /// Stops listening and aborts every connection, as a server that went away.
    void stop();
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QUrl url() const;

    /// Whether `subscribe` is answered at once with `caught_up`; on by default.
    void setAutoCatchUp(bool on) { m_autoCatchUp = on; }

    /// Connections accepted so far; indexes below count from 0 in that order.
    [[nodiscard]] int connectionCount() const { return static_cast<int>(m_handshakes.size()); }
    [[nodiscard]] QNetworkRequest handshake(int connection) const { return m_handshakes.at(connection); }
    /// The frames received on `connection`, in order, only those of `type` if given.
    [[nodiscard]] QList<QJsonObject> frames(int connection, QStringView type = {}) const;
    /// The frames of `type` received on any connection, in order.
    [[nodiscard]] QList<QJsonObject> allFrames(QStringView type) const;

    /// Sends `frame` on the newest connection.
    void send(const QJsonObject &frame);
    /// Closes the newest connection from the server side.
    void closeClient(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeGoingAway);

private:
    void acceptConnections();
    void receive(int connection, const QString &text);

    QWebSocketServer m_server;
    quint16 m_port = 0;
    bool m_autoCatchUp = true;
    QList<QWebSocket *> m_clients;
    QList<QNetworkRequest> m_handshakes;
    QList<QList<QJsonObject>> m_frames;
};
