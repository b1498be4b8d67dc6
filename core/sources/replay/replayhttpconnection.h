#pragma once

#include "core/sources/replay/replayhttp.h"

#include <QObject>

class QTcpSocket;

namespace gapless::sources {

/// One HTTP/1.1 connection to the replay exchange: reads requests one at a time (keep-alive,
/// no pipelining: the next request is read once the reply is written) and hands a WebSocket
/// upgrade request over unread, so that QWebSocketServer reads the same bytes again.
class ReplayHttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayHttpConnection)
public:
    /// Watches `socket`; both are deleted once the peer disconnects.
    explicit ReplayHttpConnection(QTcpSocket *socket, QObject *parent = nullptr);

    /// Writes the reply to the request last received, then reads the next one.
    void reply(const ReplayHttpReply &reply);

signals:
    /// A complete request (not an upgrade), read from the socket; answer it with reply().
    void requestReceived(gapless::sources::ReplayHttpConnection *connection,
                         const gapless::sources::ReplayHttpRequest &request);
    /// An upgrade request, still unread in `socket`, which is no longer watched: the receiver
    /// owns it from now on. The connection deletes itself.
    void upgradeRequested(QTcpSocket *socket, const gapless::sources::ReplayHttpRequest &request);

private:
    void readRequest();

    QTcpSocket *m_socket;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_handedOver = false;
};

} // namespace gapless::sources
