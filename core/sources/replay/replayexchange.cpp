#include "core/sources/replay/replayexchange.h"

#include "core/domain/canonicaljson.h"
#include "core/domain/timearith.h"
#include "core/runtime/logging.h"
#include "core/sources/replay/replayhttpconnection.h"
#include "core/sources/replay/replaykline.h"
#include "core/sources/replay/replaystream.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

struct StreamName
{
    QString symbol;
    QString interval;
    qint64 tfSeconds = 0;
};

/// `/ws/<symbol>@kline_<interval>` with a native interval; the symbol upper-cased.
std::optional<StreamName> parseStreamPath(const QString &path)
{
    if (!path.startsWith("/ws/"_L1))
        return std::nullopt;
    const QString name = path.mid(4);
    const qsizetype at = name.indexOf("@kline_"_L1);
    if (at <= 0)
        return std::nullopt;
    StreamName stream{name.left(at).toUpper(), name.mid(at + 7), 0};
    const std::optional<qint64> tf = klineIntervalSeconds(stream.interval);
    if (!tf)
        return std::nullopt;
    stream.tfSeconds = *tf;
    return stream;
}

int tickInterval(const ReplayOptions &options)
{
    if (options.tickIntervalMs != 0)
        return options.tickIntervalMs;
    return std::clamp(int(std::lround(500.0 / options.speed)), 10, 250);
}

} // namespace

ReplayExchange::ReplayExchange(const Clock &wall, const QList<ReplaySymbol> &symbols, ReplayOptions options,
                               QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(wall, m_options.speed)
    , m_faults(m_options.seed)
    , m_feed(m_faults)
    , m_weights(m_clock)
    , m_context{m_clock, m_feed, m_faults, m_weights, m_counters}
    , m_rest(m_context)
    , m_tcp(new QTcpServer(this))
    , m_ws(new QWebSocketServer(u"gapless-replay"_s, QWebSocketServer::NonSecureMode, this))
    , m_ticker(new QTimer(this))
{
    Q_ASSERT(!symbols.isEmpty());
    for (const ReplaySymbol &s : symbols)
        m_feed.addTape(s.symbol, ReplayTape(s.rows, m_options.timeMode, m_clock.tapeStart()));
    for (const ReplayFaultItem &item : std::as_const(m_options.faults))
        addFault(item);
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this, &ReplayExchange::onPendingTcp);
    connect(m_ws, &QWebSocketServer::newConnection, this, &ReplayExchange::onWebSocket);
    connect(m_ticker, &QTimer::timeout, this, &ReplayExchange::tick);
}

ReplayExchange::~ReplayExchange()
{
    // Streams own their sockets; they go before the servers' event handling does.
    qDeleteAll(m_streams);
    m_streams.clear();
}

Result<QUrl> ReplayExchange::listen()
{
    if (!m_tcp->listen(QHostAddress::LocalHost, m_options.port))
        return Error::unavailable(u"--listen 127.0.0.1:%1: %2; expected a free port"_s.arg(m_options.port)
                                      .arg(m_tcp->errorString()));
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(m_tcp->serverPort()));
    const int interval = tickInterval(m_options);
    if (interval > 0) {
        m_ticker->setTimerType(Qt::PreciseTimer);
        m_ticker->start(interval);
    }
    qCDebug(lcSources) << "replay exchange listening on" << m_url.toString() << "speed" << m_clock.speed();
    return m_url;
}

QUrl ReplayExchange::streamUrl(const QString &symbol, const QString &interval) const
{
    return QUrl(u"ws://127.0.0.1:%1/ws/%2@kline_%3"_s.arg(m_url.port()).arg(symbol.toLower(), interval));
}

void ReplayExchange::onPendingTcp()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        auto *connection = new ReplayHttpConnection(socket, this);
        connect(connection, &ReplayHttpConnection::requestReceived, this, &ReplayExchange::onRequest);
        connect(connection, &ReplayHttpConnection::upgradeRequested, this, &ReplayExchange::onUpgrade);
    }
}

void ReplayExchange::onRequest(ReplayHttpConnection *connection, const ReplayHttpRequest &request)
{
    if (request.path.startsWith("/_replay/"_L1)) {
        connection->reply(control(request));
        return;
    }
    m_counters.countRequest();
    const ReplayHttpReply reply = m_rest.answer(request);
    if (reply.delayMs <= 0) {
        m_counters.finishRequest();
        connection->reply(reply);
        return;
    }
    ++m_counters.delayedReplies;
    const QPointer<ReplayHttpConnection> target(connection);
    QTimer::singleShot(reply.delayMs, Qt::PreciseTimer, this, [this, target, reply] {
        m_counters.finishRequest();
        if (target)
            target->reply(reply);
    });
}

ReplayHttpReply ReplayExchange::control(const ReplayHttpRequest &request)
{
    if (request.path == "/_replay/state"_L1 && request.method == "GET")
        return ReplayHttpReply::json(200, canonicalJson(state()));
    if (request.path == "/_replay/faults"_L1 && request.method == "POST") {
        const Result<void> added = addFaults(QString::fromUtf8(request.body), u"POST /_replay/faults"_s);
        if (!added)
            return ReplayHttpReply::json(400, canonicalJson(QJsonObject{{u"error"_s, added.error().message}}));
        return ReplayHttpReply::json(200, canonicalJson(QJsonObject{{u"faults"_s,
                                                                      QJsonArray::fromStringList(m_faults.texts())}}));
    }
    return ReplayHttpReply::text(404, u"%1 %2: unknown; expected GET /_replay/state or POST /_replay/faults"_s.arg(
                                          QString::fromLatin1(request.method), request.path));
}

void ReplayExchange::onUpgrade(QTcpSocket *socket, const ReplayHttpRequest &request)
{
    const std::optional<StreamName> name = parseStreamPath(request.path);
    if (!name || !m_feed.tape(name->symbol)) {
        refuse(socket, ReplayHttpReply::text(404, u"stream '%1': unknown; expected /ws/<symbol>@kline_<interval> "
                                                  u"with one of %2 and a Binance interval"_s.arg(
                                                      request.path, m_feed.symbols().join(u", "_s))));
        return;
    }
    if (m_faults.refusesUpgrades(m_clock.wallMs())) {
        refuse(socket, ReplayHttpReply::text(503, u"stream '%1': disconnect fault; expected a retry later"_s.arg(
                                                      request.path)));
        return;
    }
    m_ws->handleConnection(socket);
}

void ReplayExchange::refuse(QTcpSocket *socket, const ReplayHttpReply &reply)
{
    ++m_counters.upgradesRefused;
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(httpResponseBytes(reply, false));
    socket->disconnectFromHost();
}

void ReplayExchange::onWebSocket()
{
    while (QWebSocket *socket = m_ws->nextPendingConnection()) {
        const std::optional<StreamName> name = parseStreamPath(socket->requestUrl().path());
        const ReplayTape *tape = name ? m_feed.tape(name->symbol) : nullptr;
        if (!tape) {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"unknown stream"_s);
            continue;
        }
        auto *stream = new ReplayStream(socket, *tape, name->symbol, name->interval, name->tfSeconds, m_context, this);
        connect(stream, &ReplayStream::closed, this, &ReplayExchange::removeStream, Qt::QueuedConnection);
        m_streams.append(stream);
        emit streamOpened(name->symbol, name->interval);
        stream->tick();
    }
}

void ReplayExchange::removeStream(ReplayStream *stream)
{
    if (!m_streams.removeOne(stream))
        return;
    emit streamClosed(stream->symbol(), stream->interval());
    stream->deleteLater();
}

void ReplayExchange::tick()
{
    fireTimedFaults();
    for (ReplayStream *stream : QList<ReplayStream *>(m_streams))
        stream->tick();
}

void ReplayExchange::fireTimedFaults()
{
    for (const ReplayFaultItem &item : m_faults.fireDue(m_clock.wallMs())) {
        qCInfo(lcSources) << "replay fault" << item.text << "closes" << m_streams.size() << "streams";
        for (ReplayStream *stream : QList<ReplayStream *>(m_streams)) {
            ++m_counters.disconnects;
            stream->shutdown(item.notice);
        }
    }
}

void ReplayExchange::addFault(const ReplayFaultItem &item)
{
    m_faults.add(item, m_clock.wallMs(), floorTo(floorDiv(m_clock.nowMs(), 1000), 60));
}

Result<void> ReplayExchange::addFaults(QStringView spec, const QString &input)
{
    const Result<QList<ReplayFaultItem>> items = parseReplayFaults(spec, input);
    if (!items)
        return items.error();
    for (const ReplayFaultItem &item : *items)
        addFault(item);
    fireTimedFaults();
    return {};
}

QJsonObject ReplayExchange::state() const
{
    QJsonObject out = m_counters.toJson();
    const qint64 wall = m_clock.wallMs();
    out.insert(u"streams_open"_s, int(m_streams.size()));
    out.insert(u"weight_used_1m"_s, QJsonObject{{u"spot"_s, m_weights.used(ReplayMarket::Spot)},
                                                {u"futures"_s, m_weights.used(ReplayMarket::Futures)}});
    out.insert(u"virtual_time_ms"_s, m_clock.nowMs());
    out.insert(u"wall_time_ms"_s, wall);
    out.insert(u"speed"_s, m_clock.speed());
    out.insert(u"tape_start"_s, m_clock.tapeStart());
    out.insert(u"time_mode"_s, m_options.timeMode == ReplayTimeMode::Shift ? u"shift"_s : u"contiguous"_s);
    out.insert(u"seed"_s, qint64(m_options.seed));
    out.insert(u"symbols"_s, QJsonArray::fromStringList(m_feed.symbols()));
    out.insert(u"faults"_s, QJsonArray::fromStringList(m_faults.texts()));
    out.insert(u"stalled"_s, m_faults.isStalled(wall));
    out.insert(u"refusing_upgrades"_s, m_faults.refusesUpgrades(wall));
    return out;
}

void ReplayExchange::close()
{
    m_ticker->stop();
    m_tcp->close();
    for (ReplayStream *stream : QList<ReplayStream *>(m_streams))
        stream->shutdown(true);
}

} // namespace gapless::sources
