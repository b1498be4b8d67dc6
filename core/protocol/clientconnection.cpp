#include "core/protocol/clientconnection.h"

#include "core/runtime/logging.h"

#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QWebSocket>

#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

qint64 reconnectDelayMs(int failures, int baseMs, int capMs, double u)
{
    const double ceiling = std::min(static_cast<double>(capMs),
                                    static_cast<double>(baseMs) * std::ldexp(1.0, std::max(failures, 0)));
    const double factor = 0.5 + 0.5 * std::clamp(u, 0.0, 1.0);
    // Rounding down keeps every delay below the ceiling, as u' in [0.5, 1) requires.
    return static_cast<qint64>(std::floor(ceiling * factor));
}

ClientConnection::ClientConnection(ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (!m_options.random)
        m_options.random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_reconnectTimer.setSingleShot(true);
    m_silenceTimer.setSingleShot(true);
    m_silenceTimer.setInterval(m_options.silenceTimeoutMs);
    m_pingTimer.setInterval(m_options.pingIntervalMs);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ClientConnection::openSocket);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->ping();
    });
    connect(&m_silenceTimer, &QTimer::timeout, this,
            [this] { handleDropped(u"no frame or pong for %1 ms"_s.arg(m_options.silenceTimeoutMs)); });
}

ClientConnection::~ClientConnection()
{
    m_wanted = false;
    detachSocket();
}

void ClientConnection::open()
{
    if (!m_wanted)
        m_failures = 0;
    m_wanted = true;
    if (!m_socket && !m_reconnectTimer.isActive())
        openSocket();
}

void ClientConnection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    handleDropped(u"closed by the client"_s);
}

void ClientConnection::abort(const QString &reason)
{
    handleDropped(reason);
}

void ClientConnection::sendText(const QByteArray &utf8)
{
    if (m_socket && m_connected)
        m_socket->sendTextMessage(QString::fromUtf8(utf8));
}

void ClientConnection::openSocket()
{
    detachSocket();
    // A child, so that a socket still closing goes with the connection at the latest.
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this] {
        m_connected = true;
        m_connectedSince.start();
        m_silenceTimer.start();
        m_pingTimer.start();
        emit connected();
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        handleDropped(m_connected ? u"closed with code %1 %2"_s.arg(socket->closeCode()).arg(socket->closeReason())
                                  : socket->errorString());
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket] { handleDropped(socket->errorString()); });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_silenceTimer.start();
        emit textReceived(text);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this] {
        m_silenceTimer.start();
        qCWarning(lcProtocol) << "client: ignored a binary frame from" << m_options.url.toString();
    });
    connect(socket, &QWebSocket::pong, this, [this] { m_silenceTimer.start(); });

    QNetworkRequest request(m_options.url);
    if (!m_options.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_options.token.toUtf8());
    // The silence timeout also bounds a handshake that never completes.
    m_silenceTimer.start();
    emit connecting();
    socket->open(request);
}

void ClientConnection::handleDropped(const QString &reason)
{
    if (!m_socket)
        return;
    const bool wasStable = m_connected && m_connectedSince.elapsed() >= m_options.stableAfterMs;
    qCInfo(lcProtocol) << "client: connection to" << m_options.url.toString() << "ended:" << reason;
    detachSocket();
    m_connected = false;
    m_pingTimer.stop();
    m_silenceTimer.stop();
    if (!m_wanted) {
        emit dropped(reason, m_failures, -1);
        return;
    }
    if (wasStable)
        m_failures = 0;
    const int failures = m_failures++;
    const qint64 delay =
        reconnectDelayMs(failures, m_options.reconnectBaseMs, m_options.reconnectCapMs, m_options.random());
    // Scheduled before the signal, so that a slot calling close() cancels it.
    m_reconnectTimer.start(static_cast<int>(delay));
    emit dropped(reason, failures, delay);
}

void ClientConnection::detachSocket()
{
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    socket->disconnect(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    if (socket->state() == QAbstractSocket::ConnectedState && !m_wanted) {
        // Let the close handshake finish, but do not wait on the server for ever.
        socket->close(QWebSocketProtocol::CloseCodeNormal);
        QTimer::singleShot(m_options.silenceTimeoutMs, socket, &QWebSocket::abort);
        return;
    }
    socket->abort();
    socket->deleteLater();
}

} // namespace gapless::protocol
