#include "core/sources/replay/replaystream.h"

#include "core/domain/timearith.h"
#include "core/sources/replay/replayclock.h"
#include "core/sources/replay/replaycontext.h"
#include "core/sources/replay/replaycounters.h"
#include "core/sources/replay/replayfaults.h"
#include "core/sources/replay/replayfeed.h"
#include "core/sources/replay/replaykline.h"

#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kFormingEveryMs = 2000;
constexpr qint64 kPingEveryMs = 20000;
// A clock jump of more than this many bars skips the oldest closes instead of sending them all.
constexpr qint64 kMaxClosesPerTick = 10000;

} // namespace

ReplayStream::ReplayStream(QWebSocket *socket, const ReplayTape &tape, const QString &symbol,
                           const QString &interval, qint64 tfSeconds, ReplayContext &context, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_tape(tape)
    , m_symbol(symbol)
    , m_interval(interval)
    , m_tf(tfSeconds)
    , m_context(context)
{
    m_socket->setParent(this);
    const qint64 v = m_context.clock.nowMs();
    m_openedWallMs = m_context.clock.wallMs();
    m_lastPingWallMs = m_openedWallMs;
    m_nextClose = floorTo(floorDiv(v, 1000), m_tf);
    m_formingSlot = floorDiv(v, kFormingEveryMs) - 1;
    ++m_context.counters.streamsOpened;
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_ended = true;
        emit closed(this);
    });
}

ReplayStream::~ReplayStream()
{
    // The socket dies with us; its last `disconnected` must not reach a stream half destroyed.
    disconnect(m_socket, nullptr, this, nullptr);
}

void ReplayStream::tick()
{
    if (m_ended)
        return;
    const qint64 wall = m_context.clock.wallMs();
    const std::optional<qint64> cutoff = m_context.faults.cutoffMs();
    if (cutoff && wall - m_openedWallMs >= *cutoff) {
        ++m_context.counters.cutoffs;
        m_ended = true;
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, u"cutoff"_s);
        return;
    }
    const bool silent = m_context.faults.isStalled(wall);
    const qint64 v = m_context.clock.nowMs();
    sendClosedBars(v, silent);
    const qint64 slot = floorDiv(v, kFormingEveryMs);
    if (slot > m_formingSlot) {
        m_formingSlot = slot;
        if (!silent)
            sendForming(v);
    }
    if (!silent && wall - m_lastPingWallMs >= kPingEveryMs) {
        m_lastPingWallMs = wall;
        ++m_context.counters.pingsSent;
        m_socket->ping();
    }
}

void ReplayStream::sendClosedBars(qint64 virtualMs, bool silent)
{
    const qint64 current = floorTo(floorDiv(virtualMs, 1000), m_tf);
    m_nextClose = std::max(m_nextClose, current - kMaxClosesPerTick * m_tf);
    for (; (m_nextClose + m_tf) * 1000 <= virtualMs; m_nextClose += m_tf) {
        if (silent)
            continue;
        const std::optional<ReplayBar> bar = m_context.feed.bar(m_tape, m_tf, m_nextClose, virtualMs);
        if (!bar)
            continue;
        if (m_context.faults.isDropped(m_tape, bar->lastOrdinal)) {
            ++m_context.counters.dropped;
            continue;
        }
        ++m_context.counters.closedSent;
        send(klineEvent(m_symbol, m_interval, bar->candle, m_tf, true, virtualMs), true);
    }
}

void ReplayStream::sendForming(qint64 virtualMs)
{
    const qint64 open = floorTo(floorDiv(virtualMs, 1000), m_tf);
    const std::optional<ReplayBar> bar = m_context.feed.bar(m_tape, m_tf, open, virtualMs);
    if (!bar)
        return;
    ++m_context.counters.formingSent;
    send(klineEvent(m_symbol, m_interval, bar->candle, m_tf, false, virtualMs), true);
}

void ReplayStream::send(const QByteArray &message, bool malformable)
{
    QByteArray bytes = message;
    if (malformable && m_context.faults.nextStreamMessageMalformed()) {
        bytes.truncate(bytes.size() / 2);
        ++m_context.counters.malformedMessages;
    }
    ++m_context.counters.messagesSent;
    m_socket->sendTextMessage(QString::fromUtf8(bytes));
}

void ReplayStream::shutdown(bool notice)
{
    if (m_ended)
        return;
    m_ended = true;
    if (!notice) {
        m_socket->abort();
        return;
    }
    send(serverShutdownEvent(m_context.clock.nowMs()), false);
    m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"serverShutdown"_s);
}

} // namespace gapless::sources
