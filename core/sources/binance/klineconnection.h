#pragma once

#include "core/sources/binance/klinemessage.h"

#include <QList>
#include <QObject>
#include <QUrl>

class QWebSocket;

namespace gapless {
class Clock;
}

namespace gapless::sources {

/// One WebSocket of a kline stream (SRC-8, SRC-11) and what the stream job tracks about it:
/// when it was opened, when a frame, a kline message or a ping was last seen or sent, and the
/// kline messages it buffers while the job catches up. Pings from the server are answered by
/// QWebSocket itself. ended() is emitted once, for a failed handshake or a lost connection,
/// never after close().
class KlineConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KlineConnection)
public:
    KlineConnection(const QUrl &url, const Clock &clock, QObject *parent = nullptr);
    ~KlineConnection() override;

    /// Starts the handshake; opened() or ended() follows.
    void open();
    /// Closes normally; no signal follows.
    void close();
    void ping();

    [[nodiscard]] bool isOpen() const { return m_openedMs >= 0; }
    [[nodiscard]] qint64 startedMs() const { return m_startedMs; }
    /// When the handshake completed; -1 before.
    [[nodiscard]] qint64 openedMs() const { return m_openedMs; }
    [[nodiscard]] qint64 lastFrameMs() const { return m_lastFrameMs; }
    [[nodiscard]] qint64 lastKlineMs() const { return m_lastKlineMs; }
    [[nodiscard]] qint64 lastPingMs() const { return m_lastPingMs; }
    [[nodiscard]] bool hasKline() const { return m_klines > 0; }
    /// Records a valid kline message, received now.
    void markKline();

    /// Kline messages held until the job can take them (SRC-10).
    [[nodiscard]] QList<KlineMessage> &buffer() { return m_buffer; }

signals:
    void opened(gapless::sources::KlineConnection *connection);
    void messageReceived(gapless::sources::KlineConnection *connection, const QByteArray &message);
    /// The connection is gone: `httpStatus` is the refused handshake's status, else 0.
    void ended(gapless::sources::KlineConnection *connection, const QString &reason, int httpStatus);

private:
    void finish(const QString &reason, int httpStatus);

    QUrl m_url;
    const Clock &m_clock;
    QWebSocket *m_socket;
    qint64 m_startedMs = -1;
    qint64 m_openedMs = -1;
    qint64 m_lastFrameMs = -1;
    qint64 m_lastKlineMs = -1;
    qint64 m_lastPingMs = -1;
    qint64 m_klines = 0;
    bool m_finished = false;
    QList<KlineMessage> m_buffer;
};

} // namespace gapless::sources
