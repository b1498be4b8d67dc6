#include "ui/models/commandsender.h"

#include "core/protocol/client.h"

#include <QUuid>

namespace gapless::ui {

CommandSender::CommandSender(protocol::Client *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    connect(m_client, &protocol::Client::resultReceived, this,
            [this](const QString &requestId, bool ok, const QJsonValue &data, const Error &error, bool) {
                const auto it = m_replies.find(requestId);
                if (it == m_replies.end())
                    return;
                const Reply reply = *it;
                m_replies.erase(it);
                reply(ok, data, error);
            });
}

QString CommandSender::send(const QString &name, const QJsonObject &args, Reply reply,
                            const std::optional<QString> &idempotencyKey)
{
    const QString id = m_client->sendCommand(name, args, idempotencyKey);
    m_replies.insert(id, std::move(reply));
    return id;
}

bool CommandSender::isConnected() const
{
    return m_client->state() == protocol::Client::State::Live
           || m_client->state() == protocol::Client::State::Resyncing;
}

QString CommandSender::newIdempotencyKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace gapless::ui
