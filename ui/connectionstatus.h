#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

/// The status bar's connection part (UI-1): an icon and "Connected …", "Reconnecting in
/// N s" (counting down) or "Disconnected: REASON".
class ConnectionStatus final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionStatus)
public:
    ConnectionStatus(protocol::Client *client, const QString &coreLabel, QWidget *parent = nullptr);

    /// Shows "Disconnected: reason" until the next connection.
    void setDisconnected(const QString &reason);
    [[nodiscard]] QString text() const;

private:
    void show(const QColor &color, const QString &text);
    void tick();

    protocol::Client *m_client;
    QString m_coreLabel;
    QLabel *m_icon;
    QLabel *m_text;
    QTimer m_countdown;
    qint64 m_retryAtMs = 0;
};

} // namespace gapless::ui
