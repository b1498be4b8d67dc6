#include "tests/support/streamprobe.h"

#include <QJsonDocument>
#include <QNetworkProxy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace gapless::test {

StreamProbe::StreamProbe()
{
    m_socket.setProxy(QNetworkProxy::NoProxy);
    QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                     [this](const QString &message) { m_messages << message.toUtf8(); });
    QObject::connect(&m_socket, &QWebSocket::disconnected, &m_socket, [this] { m_closed = true; });
    QObject::connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &m_socket,
                     [this] { m_failed = true; });
}

bool StreamProbe::open(const QUrl &url)
{
    m_failed = false;
    m_closed = false;
    m_socket.open(url);
    const bool settled = QTest::qWaitFor(
        [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_failed || m_closed; }, 5000);
    return settled && m_socket.state() == QAbstractSocket::ConnectedState;
}

QList<QJsonObject> StreamProbe::klines() const
{
    QList<QJsonObject> out;
    for (const QByteArray &message : m_messages) {
        const QJsonObject event = QJsonDocument::fromJson(message).object();
        if (event.value("e"_L1) == "kline"_L1)
            out << event;
    }
    return out;
}

QList<QJsonObject> StreamProbe::bars(bool closed) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : klines()) {
        const QJsonObject k = event.value("k"_L1).toObject();
        if (k.value("x"_L1).toBool() == closed)
            out << k;
    }
    return out;
}

} // namespace gapless::test
