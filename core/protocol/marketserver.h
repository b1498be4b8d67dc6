#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/protocol/servercontext.h"
#include "core/protocol/storereader.h"
#include "core/runtime/eventlog.h"
#include "core/store/storeurl.h"

#include <QHash>
#include <QObject>
#include <QUrl>

#include <memory>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

namespace gapless::ingest {
struct JournalEntry;
}

namespace gapless::protocol {

class Connection;

/// How a MarketServer reaches its store and answers the local commands.
struct MarketServerOptions
{
    store::StoreUrl storeUrl;
    store::StoreOptions storeOptions;
    HealthSettings health;
    int readers = 2;
    int nodeId = 0;
    QString serverVersion;
    LocalCommand localCommand;
    HeartbeatOptions heartbeat;
    HoleHealer *healer = nullptr; ///< outlives the server
    std::function<bool(const SeriesId &)> referenceLive; ///< PROTO-25
    std::function<void(const SeriesId &)> releaseLive;   ///< PROTO-25
    AsyncCommand asyncCommand; ///< job and keyed commands (IDEM-8, JOB-10/11, IDEM-11)
    JobsSnapshot jobsSnapshot; ///< JOB-11
};

/// The market-protocol server (PROTO-1..28): a listener on `server.listen` that checks each
/// upgrade request (token, origin, connection count) before handing it to QWebSocketServer,
/// one Connection per client, and the readers for catch-up and queries. Lives on the protocol
/// thread; the publish* slots take what the pipeline committed, from any thread through a
/// queued connection.
class MarketServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MarketServer)
public:
    MarketServer(const ServerSettings &settings, const Clock &clock, MarketServerOptions options,
                 QObject *parent = nullptr);
    ~MarketServer() override;

    /// Listens on settings.listen; the URL clients connect to (`ws://H:P/ws/market`).
    /// A non-loopback address without a token is refused (SEC-1).
    [[nodiscard]] Result<QUrl> listen();
    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] int connectionCount() const { return int(m_connections.size()); }
    /// The series at least one connection subscribes to.
    [[nodiscard]] QList<SeriesId> subscribedSeries() const;
    /// Sends `server_shutdown`, closes every connection with 1001 and stops listening.
    void shutdown();
    /// CFG-4: runtime settings for the next frame, read and command.
    void setSettings(const ServerSettings &settings);
    /// CFG-4: health windows for the next health answer.
    void setHealthSettings(const HealthSettings &health);

    void publishCommitted(const gapless::SeriesId &series, const gapless::CandleList &candles);
    void publishForming(const gapless::SeriesId &series, const gapless::Candle &candle);
    void publishSystemEvent(const QString &event, const QString &seriesId, const QJsonObject &data);
    void publishIngestError(const gapless::ingest::JournalEntry &entry);
    void publishDebugEvent(const gapless::DebugEvent &event);
    /// A `health` frame (HLT-5) to the watchers of the topic.
    void publishHealth(const gapless::SeriesId &series, const QJsonObject &fields);
    /// A `progress` frame (BF-18) to the watchers of the topic.
    void publishProgress(const gapless::SeriesId &series, const QJsonObject &fields);
    /// A `job` frame (JOB-11) to the watchers of the `jobs` topic.
    void publishJob(const QJsonObject &fields);

signals:
    void connectionCountChanged(int count);
    /// publishForming() was called: a live base's forming bar feeds its derived series (BF-13).
    void formingPublished(const gapless::SeriesId &series, const gapless::Candle &candle);
    /// The server closes a connection: slow consumer (4413), silence (4408), shutdown (1001).
    void connectionClosing(quint64 id, int code, const QString &reason);

private:
    void onPendingTcp();
    void inspectHandshake(QTcpSocket *socket);
    void onWebSocket();
    void removeConnection(quint64 id);
    [[nodiscard]] Connection *connection(quint64 id) const;

    MarketServerOptions m_options;
    ReaderPool m_readers;
    ServerContext m_context;
    QTcpServer *m_tcp;
    QWebSocketServer *m_ws;
    QHash<quint64, Connection *> m_connections;
    int m_handshaking = 0;
    quint64 m_nextId = 1;
    QUrl m_url;
};

} // namespace gapless::protocol
