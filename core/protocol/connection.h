#pragma once

#include "core/protocol/clientframe.h"
#include "core/protocol/storereader.h"
#include "core/protocol/subscription.h"
#include "core/protocol/tokenbucket.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

class QWebSocket;

namespace gapless::protocol {

struct CommandAnswer;
struct ServerContext;

/// One client of the market server, on the protocol thread: validates its frames (PROTO-7,
/// SEC-2), keeps its subscriptions (PROTO-9..24) and watches (PROTO-26), answers commands
/// through the readers or the local handler, and watches its send buffer (PROTO-22) and
/// heartbeat (PROTO-28).
class Connection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)
public:
    Connection(quint64 id, QWebSocket *socket, ServerContext &context, QObject *parent = nullptr);
    ~Connection() override;

    [[nodiscard]] quint64 id() const { return m_id; }
    [[nodiscard]] bool isSubscribed(const SeriesId &series) const { return m_subs.contains(series); }
    [[nodiscard]] QList<SeriesId> subscribedSeries() const { return m_subs.keys(); }

    void sendHello(const QString &serverVersion);
    /// ING-13 rows of one series, ascending.
    void publishCommitted(const SeriesId &series, const CandleList &rows);
    /// PROTO-23, throttled per subscription.
    void publishForming(const SeriesId &series, const Candle &candle);
    /// A watch-topic frame; `seriesId` empty when it is about no single series.
    void publishTopic(WatchTopic topic, const QString &seriesId, const QJsonObject &frame);
    /// A frame for every client (a system event).
    void publishFrame(const QJsonObject &frame);
    void applyPage(const PageResult &page);
    void finishQuery(const QString &requestId, const CommandReply &reply);
    void finishOpenErrors(const QList<QJsonObject> &frames);
    /// `system server_shutdown`, then close 1001.
    void shutdown();
    /// Settings changed on the running core (CFG-4).
    void applySettings();

signals:
    /// The server closes this connection (`code` of PROTO-28) and sends it nothing more.
    void closing(quint64 id, int code, const QString &reason);
    /// The socket is gone; the server deletes the connection.
    void closed(quint64 id);

private:
    struct Watch
    {
        WatchTopic topic;
        QString seriesId;
        friend bool operator==(const Watch &, const Watch &) = default;
    };
    struct FormingState
    {
        std::optional<Candle> pending;
        qint64 lastSentMs = -1;
        QTimer *timer = nullptr;
    };

    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void handle(const ClientFrame &frame);
    void subscribe(const ClientFrame &frame);
    void unsubscribe(const SeriesId &series);
    void watch(const ClientFrame &frame);
    void unwatch(const ClientFrame &frame);
    /// The `health` frames of a health watch's first answer, then `watching`.
    void sendHealthSnapshot(const QString &seriesId, const CommandReply &answer);
    void command(const ClientFrame &frame);
    void reject(const FrameRejection &rejection);
    void reply(const QString &requestId, const Result<QJsonValue> &result);
    void answer(const QString &requestId, const CommandAnswer &answer);
    void send(const OutFrame &frame);
    void sendAll(const QList<OutFrame> &frames);
    void pumpReads();
    void startHeal(const std::shared_ptr<Subscription> &sub);
    void startTailCoverage(const std::shared_ptr<Subscription> &sub);
    void checkSendBuffer();
    void flushForming(const SeriesId &series);
    void checkHeartbeat();
    /// Closes with `code`; a peer that never answers the close is cut off after a grace period.
    void closeWith(int code, const QString &reason);
    void touch();
    [[nodiscard]] bool watches(WatchTopic topic, const QString &seriesId) const;

    quint64 m_id;
    QWebSocket *m_socket;
    ServerContext &m_context;
    QHash<SeriesId, std::shared_ptr<Subscription>> m_subs;
    QHash<SeriesId, FormingState> m_forming;
    QList<Watch> m_watches;
    QSet<QString> m_inFlight;       ///< request_ids awaiting their result (PROTO-8)
    QList<Watch> m_pendingWatches;  ///< acknowledged once their current items arrive
    TokenBucket m_bucket;
    QTimer m_heartbeat;
    qint64 m_lastHeardMs = 0;
    bool m_closing = false;
    bool m_throttled = false;       ///< over send_buffer_high_bytes: catch-up paused (PROTO-22)
};

} // namespace gapless::protocol
