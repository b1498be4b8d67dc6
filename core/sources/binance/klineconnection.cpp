#include "core/sources/binance/klineconnection.h"

#include "core/runtime/clock.h"

#include <QRegularExpression>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

// QWebSocket reports a refused handshake only in its error text:
// `QWebSocketPrivate::processHandshake: Unhandled http status code: 503 (Service Unavailable).`
int handshakeStatus(const QString &error)
{
    const QRegularExpression status(u"status code: (\\d{3})"_s);
    const QRegularExpressionMatch match = status.match(error);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

} // namespace

KlineConnection::KlineConnection(const QUrl &url, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_clock(clock)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_openedMs = m_clock.nowMs();
        m_lastFrameMs = m_openedMs;
        m_lastKlineMs = m_openedMs; // the stale clock starts with the connection
        m_lastPingMs = m_openedMs;
        emit opened(this);
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &message) {
        m_lastFrameMs = m_clock.nowMs();
        emit messageReceived(this, message.toUtf8());
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        m_lastFrameMs = m_clock.nowMs();
        emit messageReceived(this, message);
    });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastFrameMs = m_clock.nowMs(); });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        const QString error = m_socket->errorString();
        finish(error, isOpen() ? 0 : handshakeStatus(error));
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        finish(u"closed %1 %2"_s.arg(int(m_socket->closeCode())).arg(m_socket->closeReason()).trimmed(), 0);
    });
}

KlineConnection::~KlineConnection()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
}

void KlineConnection::open()
{
    m_startedMs = m_clock.nowMs();
    m_socket->open(m_url);
}

void KlineConnection::close()
{
    const bool alive = !m_finished && m_socket->state() == QAbstractSocket::ConnectedState;
    m_finished = true;
    disconnect(m_socket, nullptr, this, nullptr);
    if (alive)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
    else
        m_socket->abort();
}

void KlineConnection::ping()
{
    m_lastPingMs = m_clock.nowMs();
    m_socket->ping();
}

void KlineConnection::markKline()
{
    m_lastKlineMs = m_clock.nowMs();
    ++m_klines;
}

void KlineConnection::finish(const QString &reason, int httpStatus)
{
    if (m_finished)
        return;
    m_finished = true;
    emit ended(this, reason, httpStatus);
}

} // namespace gapless::sources
