#include "core/protocol/connection.h"

#include "core/protocol/holehealer.h"
#include "core/protocol/serverframes.h"
#include "core/protocol/servercontext.h"
#include "core/runtime/logging.h"

#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

// Close codes of PROTO-28.
constexpr auto kCloseSilent = QWebSocketProtocol::CloseCode(4408);
constexpr auto kCloseSlowConsumer = QWebSocketProtocol::CloseCode(4413);
// Frames over this multiple of max_frame_bytes close the socket with 1009 (SEC-2).
constexpr quint64 kFrameCloseFactor = 16;
constexpr int kReadRetryMs = 1000;
// How long a closed connection waits for the peer's close frame before dropping the socket.
constexpr int kCloseGraceMs = 5000;

} // namespace

Connection::Connection(quint64 id, QWebSocket *socket, ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(socket)
    , m_context(context)
    , m_bucket(context.settings.commandRate, context.settings.commandBurst, context.clock.nowMs())
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(context.settings.maxFrameBytes) * kFrameCloseFactor);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(context.settings.maxFrameBytes) * kFrameCloseFactor);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &Connection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::onBinaryMessage);
    connect(m_socket, &QWebSocket::pong, this, &Connection::touch);
    connect(m_socket, &QWebSocket::bytesWritten, this, [this] {
        if (m_throttled && m_socket->bytesToWrite() < m_context.settings.sendBufferHighBytes / 4)
            m_throttled = false;
        pumpReads();
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] { emit closed(m_id); });
    m_heartbeat.setInterval(m_context.heartbeat.pingIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &Connection::checkHeartbeat);
    m_heartbeat.start();
    touch();
}

Connection::~Connection()
{
    // PROTO-25: a closed connection references no live job any more.
    if (m_context.releaseLive) {
        for (auto it = m_subs.cbegin(); it != m_subs.cend(); ++it)
            m_context.releaseLive(it.key());
    }
}

void Connection::touch()
{
    m_lastHeardMs = m_context.clock.nowMs();
}

void Connection::checkHeartbeat()
{
    if (m_context.clock.nowMs() - m_lastHeardMs >= m_context.heartbeat.silenceTimeoutMs) {
        closeWith(kCloseSilent, u"no frame or pong"_s);
        return;
    }
    m_socket->ping();
}

void Connection::sendHello(const QString &serverVersion)
{
    HelloInfo info;
    info.serverVersion = serverVersion;
    info.maxFrameBytes = m_context.settings.maxFrameBytes;
    info.maxSubscriptions = m_context.settings.maxSubscriptions;
    info.catchupLimit = m_context.settings.catchupLimit;
    info.heartbeatS = m_context.heartbeat.pingIntervalMs / 1000;
    info.serverTimeS = m_context.clock.nowSeconds();
    info.nodeId = m_context.nodeId;
    send(serverframe::hello(info));
}

void Connection::send(const OutFrame &frame)
{
    if (m_closing)
        return;
    m_socket->sendTextMessage(QString::fromUtf8(frame.text()));
}

void Connection::sendAll(const QList<OutFrame> &frames)
{
    for (const OutFrame &frame : frames)
        send(frame);
    checkSendBuffer();
}

void Connection::checkSendBuffer()
{
    const qint64 unsent = m_socket->bytesToWrite();
    const qint64 high = m_context.settings.sendBufferHighBytes;
    if (unsent > 4 * high) {
        qCInfo(lcProtocol) << "connection" << m_id << "closed: slow consumer," << unsent << "bytes unsent";
        closeWith(kCloseSlowConsumer, u"slow consumer"_s);
        return;
    }
    if (unsent <= high || m_throttled)
        return;
    // PROTO-22: nothing more is queued; every subscription catches up once the buffer drains.
    m_throttled = true;
    for (const auto &sub : std::as_const(m_subs)) {
        if (sub->mode() == Subscription::Mode::Live)
            sub->resync();
    }
    for (auto &forming : m_forming)
        forming.pending.reset();
}

void Connection::onTextMessage(const QString &text)
{
    touch();
    const DecodedFrame decoded = decodeClientFrame(text.toUtf8(), m_context.settings.maxFrameBytes);
    if (decoded.rejection)
        reject(*decoded.rejection);
    else
        handle(*decoded.frame);
}

void Connection::onBinaryMessage(const QByteArray &)
{
    touch();
    reject(binaryFrameRejection());
}

void Connection::reject(const FrameRejection &rejection)
{
    send(serverframe::error(rejection.error, rejection.seriesId, rejection.requestId));
}

void Connection::handle(const ClientFrame &frame)
{
    switch (frame.type) {
    case MessageType::Subscribe:
        subscribe(frame);
        break;
    case MessageType::Unsubscribe:
        unsubscribe(frame.series);
        break;
    case MessageType::Watch:
        watch(frame);
        break;
    case MessageType::Unwatch:
        unwatch(frame);
        break;
    default:
        command(frame);
        break;
    }
}

void Connection::subscribe(const ClientFrame &frame)
{
    auto it = m_subs.find(frame.series);
    if (it == m_subs.end()) {
        if (m_subs.size() >= m_context.settings.maxSubscriptions) {
            reject({{ErrorCode::Capacity, u"series_id '%1': %2 subscriptions on this connection; expected at most %2"_s
                                              .arg(frame.series.toString())
                                              .arg(m_context.settings.maxSubscriptions)},
                    frame.series.toString(),
                    {}});
            return;
        }
        if (m_context.referenceLive && !m_context.referenceLive(frame.series)) {
            // PROTO-25: no job for its base, so no frame of any kind for this series.
            reject({{ErrorCode::Capacity, u"series_id '%1': ingest.max_live_series live series are running; "
                                          u"expected one to stop first"_s.arg(frame.series.toString())},
                    frame.series.toString(),
                    {}});
            return;
        }
        it = m_subs.insert(frame.series, std::make_shared<Subscription>(frame.series, m_context.settings.catchupLimit));
        if (HoleHealer *healer = m_context.healer) {
            (*it)->setHealPolicy([healer, series = frame.series](qint64 expectedNext, qint64 actual) {
                return healer->canHeal(series, expectedNext, actual);
            });
        }
    }
    (*it)->subscribe(frame.since, frame.supportsBatch);
    m_forming.remove(frame.series);
    if (m_context.healer && (*it)->isTail())
        startTailCoverage(*it);
    pumpReads();
}

void Connection::startTailCoverage(const std::shared_ptr<Subscription> &sub)
{
    // PROTO-13: wait at most subscribe_tail_wait_ms for BF-7, then send what is stored.
    sub->beginTailWait();
    const int waitMs = m_context.settings.subscribeTailWaitMs;
    auto finished = std::make_shared<bool>(false);
    std::weak_ptr<Subscription> weak = sub;
    auto done = [this, weak, finished] {
        if (*finished)
            return;
        *finished = true;
        if (auto s = weak.lock())
            s->endTailWait();
        pumpReads();
    };
    QTimer::singleShot(waitMs, this, done);
    m_context.healer->coverTail(sub->series(), m_context.settings.catchupLimit, waitMs, this, done);
}

void Connection::unsubscribe(const SeriesId &series)
{
    const bool was = m_subs.remove(series);
    if (was && m_context.releaseLive)
        m_context.releaseLive(series);
    if (auto forming = m_forming.find(series); forming != m_forming.end()) {
        delete forming->timer;
        m_forming.erase(forming);
    }
    send(serverframe::system(u"unsubscribed"_s, series, u"unsubscribed"_s, QJsonObject{{u"was_subscribed"_s, was}}));
}

void Connection::pumpReads()
{
    if (m_closing || m_throttled || m_socket->bytesToWrite() >= m_context.settings.sendBufferHighBytes / 4)
        return;
    for (const auto &sub : std::as_const(m_subs)) {
        if (sub->mode() == Subscription::Mode::CatchingUp && !sub->isBusy())
            m_context.readers.next()->readPage(m_id, sub->nextRead());
    }
}

void Connection::applyPage(const PageResult &page)
{
    // The series says which subscription asked; the ticket, whether this is its current read.
    const auto it = m_subs.constFind(page.series);
    if (it == m_subs.constEnd())
        return;
    const std::shared_ptr<Subscription> sub = *it;
    QList<OutFrame> frames;
    const auto outcome = sub->applyPage(page, m_context.clock.nowSeconds(), frames);
    if (outcome == Subscription::PageOutcome::Stale)
        return;
    sendAll(frames);
    if (outcome == Subscription::PageOutcome::Heal) {
        startHeal(sub);
    } else if (outcome == Subscription::PageOutcome::Failed) {
        qCWarning(lcProtocol) << "catch-up read of" << sub->series().toString() << "failed:" << page.error;
        QTimer::singleShot(kReadRetryMs, this, &Connection::pumpReads);
    } else {
        pumpReads();
    }
}

void Connection::startHeal(const std::shared_ptr<Subscription> &sub)
{
    // PROTO-16: heal for at most gap_heal_wait_ms, then read the store again and announce
    // what is still missing. `done` may come from the healer or the timer, whichever is first.
    const Subscription::HealRequest request = sub->healRequest();
    const int waitMs = m_context.settings.gapHealWaitMs;
    auto finished = std::make_shared<bool>(false);
    std::weak_ptr<Subscription> weak = sub;
    auto done = [this, weak, finished, actual = request.actualTime] {
        if (*finished)
            return;
        *finished = true;
        if (auto s = weak.lock())
            s->finishHeal(actual);
        pumpReads();
    };
    QTimer::singleShot(waitMs, this, done);
    m_context.healer->heal(sub->series(), request.expectedNextTime, request.actualTime, waitMs, this, done);
}

void Connection::publishCommitted(const SeriesId &series, const CandleList &rows)
{
    const auto it = m_subs.constFind(series);
    if (it == m_subs.constEnd())
        return;
    QList<OutFrame> frames;
    (*it)->applyCommitted(rows, frames);
    if (auto forming = m_forming.find(series);
        forming != m_forming.end() && forming->pending && !rows.isEmpty() && rows.last().time >= forming->pending->time)
        forming->pending.reset(); // a closed candle at or after its time drops it (PROTO-23)
    sendAll(frames);
    pumpReads();
}

void Connection::publishForming(const SeriesId &series, const Candle &candle)
{
    const auto it = m_subs.constFind(series);
    if (it == m_subs.constEnd() || !(*it)->acceptsForming(candle))
        return;
    FormingState &state = m_forming[series];
    state.pending = candle;
    const qint64 now = m_context.clock.nowMs();
    const qint64 wait = state.lastSentMs < 0 ? 0 : state.lastSentMs + m_context.settings.formingThrottleMs - now;
    if (wait <= 0) {
        flushForming(series);
        return;
    }
    if (!state.timer) {
        state.timer = new QTimer(this);
        state.timer->setSingleShot(true);
        connect(state.timer, &QTimer::timeout, this, [this, series] { flushForming(series); });
    }
    if (!state.timer->isActive())
        state.timer->start(int(wait));
}

void Connection::flushForming(const SeriesId &series)
{
    const auto it = m_subs.constFind(series);
    auto forming = m_forming.find(series);
    if (forming == m_forming.end() || !forming->pending)
        return;
    const Candle candle = *forming->pending;
    forming->pending.reset();
    if (it == m_subs.constEnd() || !(*it)->acceptsForming(candle))
        return;
    forming->lastSentMs = m_context.clock.nowMs();
    send(serverframe::candleForming(series, candle));
    checkSendBuffer();
}

void Connection::shutdown()
{
    send(serverframe::system(u"server_shutdown"_s, {}, u"server shutting down"_s, {}));
    closeWith(QWebSocketProtocol::CloseCodeGoingAway, u"server shutdown"_s);
}

void Connection::closeWith(int code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_heartbeat.stop();
    emit closing(m_id, code, reason);
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    QTimer::singleShot(kCloseGraceMs, m_socket, &QWebSocket::abort);
}

void Connection::applySettings()
{
    m_bucket.setLimits(m_context.settings.commandRate, m_context.settings.commandBurst);
    for (const auto &sub : std::as_const(m_subs))
        sub->setCatchupLimit(m_context.settings.catchupLimit);
}

} // namespace gapless::protocol
