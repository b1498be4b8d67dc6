#pragma once

#include "core/domain/error.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

/// Sends commands through the protocol client and hands each `result` to the callback
/// given with its request (PROTO-6). A failed result carries its Error; `unavailable` also
/// comes when the connection drops with the command in flight (PROTO-30).
class CommandSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandSender)
public:
    using Reply = std::function<void(bool ok, const QJsonValue &data, const gapless::Error &error)>;

    explicit CommandSender(protocol::Client *client, QObject *parent = nullptr);

    /// Returns the request_id.
    QString send(const QString &name, const QJsonObject &args, Reply reply,
                 const std::optional<QString> &idempotencyKey = std::nullopt);
    [[nodiscard]] protocol::Client *client() const { return m_client; }
    [[nodiscard]] bool isConnected() const;

    /// A fresh UUIDv4 for one user action (IDEM-2).
    [[nodiscard]] static QString newIdempotencyKey();

private:
    protocol::Client *m_client;
    QHash<QString, Reply> m_replies;
};

} // namespace gapless::ui
