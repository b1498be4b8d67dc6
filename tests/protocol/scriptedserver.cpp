#include "scriptedserver.h"

#include "core/domain/seriesid.h"
#include "core/protocol/serverframes.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace gapless;

ScriptedServer::ScriptedServer(QObject *parent)
    : QObject(parent)
    , m_server(u"scripted"_s, QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &ScriptedServer::acceptConnections);
}

ScriptedServer::~ScriptedServer()
{
    stop();
}

bool ScriptedServer::listen(quint16 port)
{
    if (!m_server.listen(QHostAddress::LocalHost, port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void ScriptedServer::stop()
{
    m_server.close();
    for (QWebSocket *client : std::as_const(m_clients)) {
        if (client) {
            client->disconnect(this);
            client->abort();
            client->deleteLater();
        }
    }
    m_clients.fill(nullptr);
}

QUrl ScriptedServer::url() const
{
    return QUrl(u"ws://127.0.0.1:%1/ws/market"_s.arg(m_port));
}

QList<QJsonObject> ScriptedServer::frames(int connection, QStringView type) const
{
    QList<QJsonObject> result;
    if (connection < 0 || connection >= m_frames.size())
        return result;
    for (const QJsonObject &frame : m_frames.at(connection)) {
        if (type.isEmpty() || frame.value("type"_L1).toString() == type)
            result.append(frame);
    }
    return result;
}

QList<QJsonObject> ScriptedServer::allFrames(QStringView type) const
{
    QList<QJsonObject> result;
    for (int i = 0; i < m_frames.size(); ++i)
        result.append(frames(i, type));
    return result;
}

void ScriptedServer::send(const QJsonObject &frame)
{
    if (!m_clients.isEmpty() && m_clients.constLast())
        m_clients.constLast()->sendTextMessage(QString::fromUtf8(protocol::serverframe::text(frame)));
}

void ScriptedServer::closeClient(QWebSocketProtocol::CloseCode code)
{
    if (!m_clients.isEmpty() && m_clients.constLast())
        m_clients.constLast()->close(code);
}

void ScriptedServer::acceptConnections()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        const int index = static_cast<int>(m_clients.size());
        m_clients.append(socket);
        m_handshakes.append(socket->request());
        m_frames.append(QList<QJsonObject>());
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, index](const QString &text) { receive(index, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, index] {
            if (QWebSocket *client = std::exchange(m_clients[index], nullptr))
                client->deleteLater();
        });
        protocol::HelloInfo hello;
        hello.serverVersion = u"scripted"_s;
        hello.maxFrameBytes = 1 << 20;
        hello.maxSubscriptions = 100;
        hello.catchupLimit = 5000;
        socket->sendTextMessage(QString::fromUtf8(protocol::serverframe::text(protocol::serverframe::hello(hello))));
    }
}

void ScriptedServer::receive(int connection, const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    m_frames[connection].append(frame);
    if (!m_autoCatchUp || frame.value("type"_L1).toString() != "subscribe"_L1)
        return;
    const auto series = SeriesId::parse(frame.value("series_id"_L1).toString());
    if (!series || connection != m_clients.size() - 1)
        return;
    send(protocol::serverframe::system(u"caught_up"_s, *series, QString(),
                                       QJsonObject{{u"cursor"_s, frame.value("since"_L1)},
                                                   {u"head_time"_s, QJsonValue()},
                                                   {u"sent"_s, 0}}));
}
