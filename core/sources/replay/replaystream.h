#pragma once

#include <QObject>
#include <QString>

class QWebSocket;

namespace gapless::sources {

class ReplayTape;
struct ReplayContext;

/// One kline stream, `/ws/<symbol>@kline_<interval>` (SRC-16): on every tick it sends the
/// `x:true` of each bar closed since the last tick, exactly as the tape holds it (SRC-17),
/// then, once per 2 s of V, the forming bar at V; it pings every 20 s of wall time. The
/// stream faults of SRC-18 act here: drop, stall (silent, no pings), malformed messages,
/// cutoff and, through shutdown(), disconnect.
class ReplayStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayStream)
public:
    /// Takes `socket` (open); `tape` and `context` outlive the stream.
    ReplayStream(QWebSocket *socket, const ReplayTape &tape, const QString &symbol, const QString &interval,
                 qint64 tfSeconds, ReplayContext &context, QObject *parent = nullptr);
    ~ReplayStream() override;

    [[nodiscard]] QString symbol() const { return m_symbol; }
    [[nodiscard]] QString interval() const { return m_interval; }

    /// Sends what is due at the clock's current V and wall time.
    void tick();
    /// The disconnect fault: with `notice`, a `serverShutdown` message then a close (1001);
    /// without, the connection is cut with no close frame.
    void shutdown(bool notice);

signals:
    /// The connection ended, whoever closed it; the owner deletes the stream.
    void closed(gapless::sources::ReplayStream *stream);

private:
    void sendClosedBars(qint64 virtualMs, bool silent);
    void sendForming(qint64 virtualMs);
    void send(const QByteArray &message, bool malformable);

    QWebSocket *m_socket;
    const ReplayTape &m_tape;
    QString m_symbol;
    QString m_interval;
    qint64 m_tf;
    ReplayContext &m_context;
    qint64 m_openedWallMs = 0;
    qint64 m_lastPingWallMs = 0;
    qint64 m_nextClose = 0;   ///< open time of the next bar whose x:true is due
    qint64 m_formingSlot = 0; ///< the 2 s slot of V of the last forming message
    bool m_ended = false;
};

} // namespace gapless::sources
