#include "core/sources/replay/replayhttpconnection.h"

#include <QTcpSocket>

namespace gapless::sources {

namespace {

// parseHttpRequest refuses heads over 16 KiB and bodies over 1 MiB; peek no further.
constexpr qint64 kMaxPeek = 16 * 1024 + 4 + 1024 * 1024;

} // namespace

ReplayHttpConnection::ReplayHttpConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    connect(m_socket, &QTcpSocket::readyRead, this, &ReplayHttpConnection::readRequest);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_socket->deleteLater();
        deleteLater();
    });
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ReplayHttpConnection::readRequest, Qt::QueuedConnection);
}

void ReplayHttpConnection::readRequest()
{
    if (m_busy || m_handedOver)
        return;
    const ReplayHttpParse parse = parseHttpRequest(m_socket->peek(std::min(m_socket->bytesAvailable(), kMaxPeek)));
    switch (parse.state) {
    case ReplayHttpParse::Incomplete:
        return;
    case ReplayHttpParse::Invalid:
        m_busy = true;
        m_socket->readAll();
        m_socket->write(httpResponseBytes(ReplayHttpReply::text(parse.status, parse.problem), false));
        m_socket->disconnectFromHost();
        return;
    case ReplayHttpParse::Complete:
        break;
    }
    if (parse.request.isUpgrade()) {
        m_handedOver = true;
        disconnect(m_socket, nullptr, this, nullptr);
        QTcpSocket *socket = m_socket;
        deleteLater();
        emit upgradeRequested(socket, parse.request);
        return;
    }
    m_socket->read(parse.consumed);
    m_busy = true;
    m_keepAlive = parse.request.keepAlive;
    emit requestReceived(this, parse.request);
}

void ReplayHttpConnection::reply(const ReplayHttpReply &reply)
{
    m_socket->write(httpResponseBytes(reply, m_keepAlive));
    m_busy = false;
    if (!m_keepAlive) {
        m_socket->disconnectFromHost();
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ReplayHttpConnection::readRequest, Qt::QueuedConnection);
}

} // namespace gapless::sources
