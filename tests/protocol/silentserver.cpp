#include "silentserver.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace {

constexpr char kHandshakeGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3
constexpr int kPingOpcode = 0x9;

QByteArray acceptKey(const QByteArray &request)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-key") {
            const QByteArray key = line.mid(colon + 1).trimmed();
            return QCryptographicHash::hash(QByteArray(key + kHandshakeGuid), QCryptographicHash::Sha1).toBase64();
        }
    }
    return {};
}

} // namespace

SilentServer::SilentServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &SilentServer::accept);
}

bool SilentServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void SilentServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        const int index = static_cast<int>(m_pings.size());
        m_buffers.append(QByteArray());
        m_upgraded.append(false);
        m_pings.append(0);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, index] { read(socket, index); });
    }
}

void SilentServer::read(QTcpSocket *socket, int connection)
{
    QByteArray &buffer = m_buffers[connection];
    buffer += socket->readAll();
    if (!m_upgraded.at(connection)) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: " + acceptKey(buffer.left(end)) + "\r\n\r\n");
        m_upgraded[connection] = true;
        buffer.remove(0, end + 4);
    }
    // Client frames are masked: opcode, length (7 bits, or 16/64 more), 4 mask bytes, payload.
    while (buffer.size() >= 2) {
        const int opcode = buffer.at(0) & 0x0F;
        qint64 length = buffer.at(1) & 0x7F;
        qsizetype header = 2;
        if (length == 126 || length == 127) {
            const qsizetype extra = length == 126 ? 2 : 8;
            if (buffer.size() < header + extra)
                return;
            length = 0;
            for (qsizetype i = 0; i < extra; ++i)
                length = (length << 8) | static_cast<quint8>(buffer.at(header + i));
            header += extra;
        }
        header += 4;
        if (buffer.size() < header + length)
            return;
        if (opcode == kPingOpcode)
            ++m_pings[connection];
        buffer.remove(0, header + length);
    }
}
