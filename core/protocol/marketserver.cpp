#include "core/protocol/marketserver.h"

#include "core/ingest/journalentry.h"
#include "core/protocol/connection.h"
#include "core/protocol/handshakegate.h"
#include "core/protocol/serverframes.h"
#include "core/runtime/logging.h"

#include <QHostAddress>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

constexpr qsizetype kMaxRequestHead = 16 * 1024;
constexpr int kHandshakeTimeoutMs = 10000;
constexpr auto kCloseNotFound = QWebSocketProtocol::CloseCode(4404);

} // namespace

MarketServer::MarketServer(const ServerSettings &settings, const Clock &clock, MarketServerOptions options,
                           QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_readers(m_options.readers, m_options.storeUrl, m_options.storeOptions, clock, m_options.health)
    , m_context{settings,       clock, m_readers, m_options.localCommand, m_options.heartbeat, m_options.nodeId,
                m_options.healer, m_options.referenceLive, m_options.releaseLive, m_options.asyncCommand,
                m_options.jobsSnapshot}
    , m_tcp(new QTcpServer(this))
    , m_ws(new QWebSocketServer(u"gapless"_s, QWebSocketServer::NonSecureMode, this))
{
    qRegisterMetaType<gapless::SeriesId>();
    qRegisterMetaType<gapless::CandleList>();
    qRegisterMetaType<gapless::Candle>();
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this, &MarketServer::onPendingTcp);
    connect(m_ws, &QWebSocketServer::newConnection, this, &MarketServer::onWebSocket);
    for (StoreReader *reader : m_readers.readers()) {
        connect(reader, &StoreReader::pageRead, this, [this](quint64 id, const PageResult &page) {
            if (Connection *c = connection(id))
                c->applyPage(page);
        });
        connect(reader, &StoreReader::queryFinished, this,
                [this](quint64 id, const QString &requestId, const CommandReply &reply) {
                    if (Connection *c = connection(id))
                        c->finishQuery(requestId, reply);
                });
        connect(reader, &StoreReader::openErrorsRead, this, [this](quint64 id, const QList<QJsonObject> &frames) {
            if (Connection *c = connection(id))
                c->finishOpenErrors(frames);
        });
    }
}

MarketServer::~MarketServer()
{
    // Connections go first: their sockets must not outlive the server's event handling.
    qDeleteAll(m_connections);
    m_connections.clear();
}

Result<QUrl> MarketServer::listen()
{
    if (auto access = m_context.settings.checkAccess(); !access)
        return access.error();
    const HostPort &hp = m_context.settings.listen;
    QHostAddress address;
    if (hp.host == "localhost"_L1)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(hp.host))
        return Error::badRequest(u"--listen %1:%2: host is not an IP address; expected e.g. 127.0.0.1"_s.arg(hp.host)
                                     .arg(hp.port));
    if (!m_tcp->listen(address, quint16(hp.port)))
        return Error::unavailable(u"--listen %1:%2: %3; expected a free port"_s.arg(hp.host)
                                      .arg(hp.port)
                                      .arg(m_tcp->errorString()));
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(address.toString())
                                                                             : address.toString();
    m_url = QUrl(u"ws://%1:%2%3"_s.arg(host).arg(m_tcp->serverPort()).arg(kMarketPath));
    qCDebug(lcProtocol) << "listening on" << m_url.toString();
    return m_url;
}

void MarketServer::onPendingTcp()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        ++m_handshaking;
        // Frames go out as soon as they are written: with Nagle's algorithm a small frame behind
        // a large one (caught_up after a batch) waits for the client's delayed ACK, ~40 ms.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *timeout = new QTimer(socket);
        timeout->setSingleShot(true);
        connect(timeout, &QTimer::timeout, socket, &QTcpSocket::abort);
        timeout->start(kHandshakeTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspectHandshake(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (socket->property("gapless_handshaking").toBool()) {
                socket->setProperty("gapless_handshaking", false);
                --m_handshaking;
            }
            socket->deleteLater();
        });
        socket->setProperty("gapless_handshaking", true);
        if (socket->bytesAvailable() > 0)
            inspectHandshake(socket);
    }
}

void MarketServer::inspectHandshake(QTcpSocket *socket)
{
    if (!socket->property("gapless_handshaking").toBool())
        return;
    // Peek, so that QWebSocketServer reads the same request again.
    const QByteArray head = socket->peek(kMaxRequestHead + 1);
    if (!isCompleteRequestHead(head)) {
        if (head.size() > kMaxRequestHead) {
            socket->write(httpRefusal({400, u"request head over 16 KiB"_s}));
            socket->disconnectFromHost();
        }
        return;
    }
    socket->setProperty("gapless_handshaking", false);
    --m_handshaking;
    disconnect(socket, nullptr, this, nullptr);
    const HandshakeVerdict verdict = checkHandshake(head, m_context.settings.accessToken,
                                                    m_context.settings.allowedOrigins,
                                                    int(m_connections.size()) + m_handshaking,
                                                    m_context.settings.maxConnections);
    if (verdict.status != 0) {
        qCInfo(lcProtocol) << "refused" << socket->peerAddress().toString() << verdict.status << verdict.reason;
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->write(httpRefusal(verdict));
        socket->disconnectFromHost();
        return;
    }
    for (QTimer *timer : socket->findChildren<QTimer *>())
        delete timer;
    m_ws->handleConnection(socket);
}

void MarketServer::onWebSocket()
{
    while (QWebSocket *socket = m_ws->nextPendingConnection()) {
        if (socket->requestUrl().path() != kMarketPath) {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(kCloseNotFound, u"unknown path; expected /ws/market"_s);
            continue;
        }
        const quint64 id = m_nextId++;
        auto *c = new Connection(id, socket, m_context, this);
        connect(c, &Connection::closed, this, &MarketServer::removeConnection, Qt::QueuedConnection);
        connect(c, &Connection::closing, this, &MarketServer::connectionClosing);
        m_connections.insert(id, c);
        c->sendHello(m_options.serverVersion);
        emit connectionCountChanged(connectionCount());
    }
}

void MarketServer::removeConnection(quint64 id)
{
    if (Connection *c = m_connections.take(id)) {
        c->deleteLater();
        emit connectionCountChanged(connectionCount());
    }
}

Connection *MarketServer::connection(quint64 id) const
{
    return m_connections.value(id);
}

void MarketServer::shutdown()
{
    m_tcp->close();
    for (Connection *c : std::as_const(m_connections))
        c->shutdown();
}

void MarketServer::setSettings(const ServerSettings &settings)
{
    const HostPort listen = m_context.settings.listen;
    m_context.settings = settings;
    m_context.settings.listen = listen; // needs a restart (CFG-4)
    for (Connection *c : std::as_const(m_connections))
        c->applySettings();
}

void MarketServer::setHealthSettings(const HealthSettings &health)
{
    for (StoreReader *reader : m_readers.readers())
        reader->setHealthSettings(health);
}

void MarketServer::publishCommitted(const SeriesId &series, const CandleList &candles)
{
    for (Connection *c : std::as_const(m_connections))
        c->publishCommitted(series, candles);
}

void MarketServer::publishForming(const SeriesId &series, const Candle &candle)
{
    for (Connection *c : std::as_const(m_connections))
        c->publishForming(series, candle);
    emit formingPublished(series, candle);
}

QList<SeriesId> MarketServer::subscribedSeries() const
{
    QSet<SeriesId> out;
    for (const Connection *c : std::as_const(m_connections)) {
        for (const SeriesId &s : c->subscribedSeries())
            out.insert(s);
    }
    return out.values();
}

void MarketServer::publishSystemEvent(const QString &event, const QString &seriesId, const QJsonObject &data)
{
    const auto series = SeriesId::parse(seriesId);
    const QJsonObject frame = serverframe::system(event, series ? *series : SeriesId(), event, data);
    for (Connection *c : std::as_const(m_connections)) {
        if (!series)
            c->publishFrame(frame);
        else if (c->isSubscribed(*series))
            c->publishFrame(frame);
    }
}

void MarketServer::publishIngestError(const ingest::JournalEntry &entry)
{
    const QJsonObject frame = serverframe::flat(MessageType::IngestError, entry.toJson(false));
    for (Connection *c : std::as_const(m_connections))
        c->publishTopic(WatchTopic::IngestErrors, entry.seriesId, frame);
}

void MarketServer::publishHealth(const SeriesId &series, const QJsonObject &fields)
{
    const QJsonObject frame = serverframe::flat(MessageType::Health, fields);
    for (Connection *c : std::as_const(m_connections))
        c->publishTopic(WatchTopic::Health, series.toString(), frame);
}

void MarketServer::publishProgress(const SeriesId &series, const QJsonObject &fields)
{
    const QJsonObject frame = serverframe::flat(MessageType::Progress, fields);
    for (Connection *c : std::as_const(m_connections))
        c->publishTopic(WatchTopic::Progress, series.toString(), frame);
}

void MarketServer::publishJob(const QJsonObject &fields)
{
    const QJsonObject frame = serverframe::flat(MessageType::Job, fields);
    const QString seriesId = fields.value("series_id"_L1).toString();
    for (Connection *c : std::as_const(m_connections))
        c->publishTopic(WatchTopic::Jobs, seriesId, frame);
}

void MarketServer::publishDebugEvent(const DebugEvent &event)
{
    const QJsonObject frame = serverframe::flat(MessageType::DebugEvent, event.toJson());
    for (Connection *c : std::as_const(m_connections))
        c->publishTopic(WatchTopic::Debug, event.seriesId, frame);
}

} // namespace gapless::protocol
