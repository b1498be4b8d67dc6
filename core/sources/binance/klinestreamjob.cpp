// KlineStreamJob: connections, their timers and the state machine (SRC-11, SRC-12).
#include "core/sources/binance/klinestreamjob.h"

#include "core/runtime/clock.h"
#include "core/runtime/logging.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/binance/klineconnection.h"
#include "core/sources/binance/klinerows.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kTfSeconds = 60;

// SRC-8: `{base}/ws/<symbol lower>@kline_1m`.
QUrl streamUrlFor(const SeriesId &series, QString base)
{
    while (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base + u"/ws/%1@kline_1m"_s.arg(binanceSymbol(series).toLower()));
}

} // namespace

KlineStreamJob::KlineStreamJob(const SeriesId &series, const QString &wsBase, BinanceRestClient &rest,
                               const Clock &clock, HeadFunction head, std::function<double()> random,
                               KlineStreamOptions options, QObject *parent)
    : QObject(parent)
    , m_series(series)
    , m_url(streamUrlFor(series, wsBase))
    , m_rest(rest)
    , m_clock(clock)
    , m_head(std::move(head))
    , m_options(options)
    , m_policy(options.reconnect, std::move(random))
    , m_gate(kTfSeconds)
    , m_poll(new QTimer(this))
{
    Q_ASSERT(series.timeframe().seconds() == kTfSeconds);
    connect(m_poll, &QTimer::timeout, this, &KlineStreamJob::poll);
    connect(&m_rest, &BinanceRestClient::windowFetched, this, &KlineStreamJob::onWindowFetched);
    connect(&m_rest, &BinanceRestClient::rangeFinished, this, &KlineStreamJob::onRangeFinished);
}

KlineStreamJob::~KlineStreamJob()
{
    stop();
}

QString KlineStreamJob::stateName(State state)
{
    switch (state) {
    case State::Connecting:
        return u"connecting"_s;
    case State::CatchingUp:
        return u"catching_up"_s;
    case State::Live:
        return u"live"_s;
    case State::Stale:
        return u"stale"_s;
    case State::Backoff:
        return u"backoff"_s;
    case State::Banned:
        return u"banned"_s;
    }
    return {};
}

void KlineStreamJob::start()
{
    if (m_running)
        return;
    m_running = true;
    m_poll->start(m_options.pollIntervalMs);
    connectPrimary();
}

void KlineStreamJob::stop()
{
    m_running = false;
    m_poll->stop();
    abandonRequests();
    discard(m_retiring, true);
    discard(m_standby, true);
    discard(m_primary, true);
}

qint64 KlineStreamJob::lastFrameMs() const
{
    return m_primary ? m_primary->lastFrameMs() : -1;
}

void KlineStreamJob::setState(State state)
{
    if (state == m_state)
        return;
    qCInfo(lcSources) << m_series.toString() << "stream" << stateName(m_state) << "->" << stateName(state);
    m_state = state;
    if (!m_restBanned)
        emit stateChanged(m_series, state);
}

void KlineStreamJob::followRestBan(qint64 now)
{
    // SRC-6/12: a 418 on REST bans the job as well, until the ban ends; the stream itself
    // goes on meanwhile, and its catch-up waits for the host.
    const bool banned = m_rest.isBanned(m_series, now);
    if (banned == m_restBanned)
        return;
    const State before = state();
    m_restBanned = banned;
    qCInfo(lcSources) << m_series.toString() << (banned ? "REST host banned" : "REST ban over");
    if (state() != before)
        emit stateChanged(m_series, state());
}

KlineConnection *KlineStreamJob::openConnection()
{
    m_policy.recordConnect(m_clock.nowMs());
    ++m_connects;
    auto *connection = new KlineConnection(m_url, m_clock, this);
    connect(connection, &KlineConnection::opened, this, &KlineStreamJob::onOpened);
    connect(connection, &KlineConnection::ended, this, &KlineStreamJob::onEnded);
    connect(connection, &KlineConnection::messageReceived, this, &KlineStreamJob::onMessage);
    connection->open();
    return connection;
}

void KlineStreamJob::discard(KlineConnection *&connection, bool closeNormally)
{
    if (!connection)
        return;
    disconnect(connection, nullptr, this, nullptr);
    if (closeNormally)
        connection->close();
    connection->deleteLater();
    connection = nullptr;
}

void KlineStreamJob::connectPrimary()
{
    const qint64 now = m_clock.nowMs();
    const qint64 earliest = m_policy.earliestConnectMs(now);
    if (earliest > now) {
        // SRC-11: at most 250 connects in 5 minutes.
        m_reconnectAtMs = earliest;
        setState(State::Backoff);
        return;
    }
    abandonRequests();
    m_primary = openConnection();
    setState(State::Connecting);
}

void KlineStreamJob::onOpened(KlineConnection *connection)
{
    if (connection != m_primary)
        return; // a standby waits for its first kline message
    setState(State::CatchingUp);
    startCatchUp();
}

void KlineStreamJob::onEnded(KlineConnection *connection, const QString &reason, int httpStatus)
{
    if (connection == m_retiring) {
        discard(m_retiring, false);
        return;
    }
    if (connection == m_standby) {
        qCWarning(lcSources) << m_series.toString() << "replacement stream failed:" << reason;
        discard(m_standby, false);
        m_rotateRetryAtMs = m_clock.nowMs() + m_options.reconnect.capMs;
        return;
    }
    if (connection != m_primary)
        return;
    if (httpStatus == 418 || httpStatus == 403) {
        qCWarning(lcSources) << m_series.toString() << "stream refused with HTTP" << httpStatus << "; paused";
        discard(m_primary, false);
        discard(m_standby, true);
        discard(m_retiring, true);
        abandonRequests();
        m_liveSinceMs = -1;
        m_reconnectAtMs = m_clock.nowMs() + m_options.banPauseMs;
        setState(State::Banned);
        return;
    }
    fail(reason);
}

void KlineStreamJob::onMessage(KlineConnection *connection, const QByteArray &bytes)
{
    const Result<KlineMessage> message = parseKlineMessage(bytes, u"1m"_s, kTfSeconds);
    if (!message) {
        reject(connection, message.error().message, bytes);
        return;
    }
    if (message->kind == KlineMessage::Kind::ServerShutdown) {
        if (connection == m_primary)
            startRotation();
        return;
    }
    connection->markKline();
    if (connection == m_retiring) {
        // Until the replacement brings a closed bar, the old one's closed bars still count.
        if (message->closed && m_state == State::Live)
            take(*message);
        return;
    }
    if (connection == m_standby) {
        connection->buffer().append(*message);
        if (connection->buffer().size() > m_options.bufferLimit)
            discard(m_standby, true);
        else if (m_state == State::Live)
            switchToStandby();
        return;
    }
    if (m_state == State::CatchingUp) {
        connection->buffer().append(*message);
        if (connection->buffer().size() > m_options.bufferLimit)
            fail(u"more than %1 messages while catching up"_s.arg(m_options.bufferLimit));
        return;
    }
    if (m_state != State::Live)
        return;
    if (message->closed)
        discard(m_retiring, true);
    take(*message);
}

void KlineStreamJob::reject(KlineConnection *connection, const QString &error, const QByteArray &bytes)
{
    constexpr qsizetype kMaxKept = 1024;
    const qint64 now = m_clock.nowMs();
    emit messageRejected(m_series, m_url.toString() + u": "_s + error, bytes.left(kMaxKept));
    m_malformedMs.enqueue(now);
    while (!m_malformedMs.isEmpty() && m_malformedMs.head() <= now - m_options.malformedWindowMs)
        m_malformedMs.dequeue();
    if (m_malformedMs.size() < m_options.malformedLimit)
        return;
    m_malformedMs.clear();
    const QString reason = u"%1 malformed messages within %2 ms"_s.arg(m_options.malformedLimit)
                               .arg(m_options.malformedWindowMs);
    if (connection == m_primary)
        fail(reason);
    else if (connection == m_standby)
        discard(m_standby, true);
    else
        discard(m_retiring, true);
}

void KlineStreamJob::fail(const QString &reason, State next)
{
    qCWarning(lcSources) << m_series.toString() << "stream" << m_url.toString() << reason;
    discard(m_retiring, true);
    discard(m_primary, true);
    if (promoteStandby())
        return;
    discard(m_standby, true);
    abandonRequests();
    m_liveSinceMs = -1;
    m_reconnectAtMs = m_policy.afterFailure(m_clock.nowMs());
    setState(next);
}

bool KlineStreamJob::promoteStandby()
{
    // The replacement becomes the connection; it catches up as any reconnect does (SRC-10).
    if (!m_standby)
        return false;
    m_primary = std::exchange(m_standby, nullptr);
    abandonRequests();
    m_liveSinceMs = -1;
    if (!m_primary->isOpen()) {
        setState(State::Connecting);
        return true;
    }
    setState(State::CatchingUp);
    startCatchUp();
    return true;
}

void KlineStreamJob::startRotation()
{
    if (m_standby || !m_primary)
        return;
    const qint64 now = m_clock.nowMs();
    if (m_policy.earliestConnectMs(now) > now)
        return;
    qCInfo(lcSources) << m_series.toString() << "opening a replacement stream";
    m_standby = openConnection();
}

void KlineStreamJob::switchToStandby()
{
    // SRC-11: the replacement streams, so it takes over. The old one stays open until the
    // new one brings a closed bar, so that a bar it sent just before the switch still
    // counts; the gate ignores repeats and heals what fell between the two.
    qCInfo(lcSources) << m_series.toString() << "switching to the replacement stream";
    discard(m_retiring, true);
    m_retiring = std::exchange(m_primary, nullptr);
    m_primary = std::exchange(m_standby, nullptr);
    drain(std::exchange(m_primary->buffer(), {}));
}

void KlineStreamJob::poll()
{
    if (!m_running)
        return;
    const qint64 now = m_clock.nowMs();
    followRestBan(now);
    if (!m_primary) {
        if (now >= m_reconnectAtMs)
            connectPrimary();
        return;
    }
    if (!checkPrimary(now))
        return;
    checkStandby(now);
    if (m_state == State::Live && m_liveSinceMs >= 0 && now - m_liveSinceMs >= m_options.stableAfterMs)
        m_policy.resetFailures();
    if (m_healRequest && now - m_healStartedMs >= m_options.healTimeoutMs)
        finishHeal(u"no reply within %1 ms"_s.arg(m_options.healTimeoutMs));
    releaseRipe();
}

bool KlineStreamJob::checkPrimary(qint64 now)
{
    KlineConnection *c = m_primary;
    if (!c->isOpen()) {
        if (now - c->startedMs() < m_options.silenceTimeoutMs)
            return true;
        fail(u"no handshake within %1 ms"_s.arg(m_options.silenceTimeoutMs));
        return false;
    }
    if (now - c->lastFrameMs() >= m_options.silenceTimeoutMs) {
        fail(u"silent for %1 ms"_s.arg(now - c->lastFrameMs()));
        return false;
    }
    if (now - c->lastKlineMs() > m_options.staleAfterMs) {
        fail(u"stale: no kline message for %1 ms"_s.arg(now - c->lastKlineMs()), State::Stale);
        return false;
    }
    if (now - c->lastPingMs() >= m_options.pingIntervalMs)
        c->ping();
    if (now - c->openedMs() >= m_options.maxAgeMs && now >= m_rotateRetryAtMs)
        startRotation();
    return true;
}

void KlineStreamJob::checkStandby(qint64 now)
{
    if (m_retiring && now - m_retiring->lastFrameMs() >= m_options.silenceTimeoutMs)
        discard(m_retiring, true);
    KlineConnection *c = m_standby;
    if (!c)
        return;
    const qint64 since = c->isOpen() ? c->lastFrameMs() : c->startedMs();
    if (now - since >= m_options.silenceTimeoutMs) {
        qCWarning(lcSources) << m_series.toString() << "replacement stream silent; dropped";
        discard(m_standby, true);
        m_rotateRetryAtMs = now + m_options.reconnect.capMs;
        return;
    }
    if (c->isOpen() && now - c->lastPingMs() >= m_options.pingIntervalMs)
        c->ping();
}

} // namespace gapless::sources
