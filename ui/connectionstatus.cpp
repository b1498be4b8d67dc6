#include "ui/connectionstatus.h"

#include "core/protocol/client.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QGuiApplication>
#include <QPainter>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

QPixmap dot(const QColor &color)
{
    const qreal dpr = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap pixmap(qRound(12 * dpr), qRound(12 * dpr));
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(color.darker(130), 1));
    p.setBrush(color);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return pixmap;
}

} // namespace

ConnectionStatus::ConnectionStatus(protocol::Client *client, const QString &coreLabel, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_coreLabel(coreLabel)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text);
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionStatus::tick);
    connect(client, &protocol::Client::helloReceived, this, [this](const QJsonObject &hello) {
        m_countdown.stop();
        show(QColor(0x22, 0xb3, 0x4c), tr("Connected to %1 (server %2, protocol %3)")
                                           .arg(m_coreLabel, hello.value("server_version"_L1).toString())
                                           .arg(hello.value("protocol_version"_L1).toInt()));
    });
    connect(client, &protocol::Client::reconnectScheduled, this, [this](int, qint64 delayMs) {
        m_retryAtMs = QDateTime::currentMSecsSinceEpoch() + delayMs;
        m_countdown.start();
        tick();
    });
    connect(client, &protocol::Client::stateChanged, this, [this](protocol::Client::State state) {
        if (state == protocol::Client::State::Connecting && !m_countdown.isActive())
            show(QColor(0xf0, 0xb4, 0x00), tr("Connecting to %1…").arg(m_coreLabel));
    });
    show(QColor(0xf0, 0xb4, 0x00), tr("Connecting to %1…").arg(m_coreLabel));
}

void ConnectionStatus::setDisconnected(const QString &reason)
{
    m_countdown.stop();
    show(QColor(0xe0, 0x30, 0x30), tr("Disconnected: %1").arg(reason));
}

QString ConnectionStatus::text() const
{
    return m_text->text();
}

void ConnectionStatus::show(const QColor &color, const QString &text)
{
    m_icon->setPixmap(dot(color));
    m_text->setText(text);
    setToolTip(text);
    setAccessibleName(tr("Connection: %1").arg(text));
}

void ConnectionStatus::tick()
{
    const qint64 left = std::max<qint64>(0, m_retryAtMs - QDateTime::currentMSecsSinceEpoch());
    show(QColor(0xf0, 0xb4, 0x00), tr("Reconnecting in %1 s").arg((left + 999) / 1000));
    if (left == 0)
        m_countdown.stop();
}

} // namespace gapless::ui
