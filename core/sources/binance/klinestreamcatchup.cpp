// KlineStreamJob: catching up by REST, the live gate and its heals (SRC-8..10).
#include "core/sources/binance/klinestreamjob.h"

#include "core/domain/timearith.h"
#include "core/runtime/clock.h"
#include "core/runtime/logging.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/binance/klineconnection.h"

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kTfSeconds = 60;

} // namespace

void KlineStreamJob::abandonRequests()
{
    // A REST request cannot be cancelled; its replies are ignored by id from now on.
    m_catchUpRequest = 0;
    m_healRequest = 0;
    m_healRows.clear();
    m_unripe.clear();
}

void KlineStreamJob::startCatchUp()
{
    // SRC-10: last = the head, or what this job handed on already if that is newer (the
    // writer may not have committed it yet).
    abandonRequests();
    std::optional<qint64> last = m_head ? m_head() : std::nullopt;
    if (const auto handed = m_gate.last(); handed && (!last || *handed > *last))
        last = handed;
    m_gate.reset(last);
    const Result<std::optional<qint64>> e = expectedLatestClosed(floorDiv(m_rest.exchangeNowMs(m_series), 1000),
                                                                 kTfSeconds);
    if (!e || !e->has_value()) {
        finishCatchUp();
        return;
    }
    const qint64 to = **e;
    const qint64 from = last ? *last + kTfSeconds
                             : std::max<qint64>(0, to - qint64(m_options.catchUpCandles - 1) * kTfSeconds);
    if (from > to) {
        finishCatchUp();
        return;
    }
    qCDebug(lcSources) << m_series.toString() << "catching up" << from << ".." << to;
    m_catchUpRequest = m_rest.fetchRange(m_series, from, to);
}

void KlineStreamJob::onWindowFetched(const RestWindowResult &window)
{
    if (m_catchUpRequest && window.request == m_catchUpRequest) {
        CandleList fresh;
        for (const Candle &c : window.candles) {
            if (!m_gate.last() || c.time > *m_gate.last()) {
                fresh.append(c);
                m_gate.advanceTo(c.time);
            }
        }
        if (!fresh.isEmpty())
            emit candlesReceived(m_series, fresh, u"backfill"_s);
    } else if (m_healRequest && window.request == m_healRequest) {
        m_healRows += window.candles;
    }
}

void KlineStreamJob::onRangeFinished(quint64 request, const QStringList &errors)
{
    if (m_catchUpRequest && request == m_catchUpRequest) {
        // A failed window was journalled by the REST client; the gate heals what it left.
        if (!errors.isEmpty())
            qCWarning(lcSources) << m_series.toString() << "catch-up incomplete:" << errors.join(u"; "_s);
        m_catchUpRequest = 0;
        finishCatchUp();
    } else if (m_healRequest && request == m_healRequest) {
        finishHeal(errors.join(u"; "_s));
    }
}

void KlineStreamJob::finishCatchUp()
{
    setState(State::Live);
    m_liveSinceMs = m_clock.nowMs();
    if (m_primary)
        drain(std::exchange(m_primary->buffer(), {}));
    if (m_state == State::Live && m_standby && m_standby->hasKline())
        switchToStandby();
}

void KlineStreamJob::drain(QList<KlineMessage> messages)
{
    // Only the newest forming bar of a backlog is worth showing.
    qsizetype lastForming = -1;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (!messages.at(i).closed)
            lastForming = i;
    }
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (messages.at(i).closed || i == lastForming)
            take(messages.at(i));
    }
}

void KlineStreamJob::take(const KlineMessage &message)
{
    const Candle &c = message.candle;
    if (!message.closed) {
        // DOM-5, PROTO-23: forming bars go to the hub only, and never behind the head.
        if (!m_gate.last() || c.time > *m_gate.last())
            emit formingUpdated(m_series, c);
        return;
    }
    // SRC-8: a closed bar goes on once the clock agrees that it is closed.
    if (m_clock.nowMs() < (c.time + kTfSeconds) * 1000 || !m_unripe.isEmpty()) {
        m_unripe.append(c);
        return;
    }
    m_gate.offer(c);
    pumpGate();
}

void KlineStreamJob::releaseRipe()
{
    if (m_state != State::Live || m_unripe.isEmpty())
        return;
    const qint64 now = m_clock.nowMs();
    qsizetype ripe = 0;
    while (ripe < m_unripe.size() && now >= (m_unripe.at(ripe).time + kTfSeconds) * 1000)
        m_gate.offer(m_unripe.at(ripe++));
    if (ripe == 0)
        return;
    m_unripe.remove(0, ripe);
    pumpGate();
}

void KlineStreamJob::pumpGate()
{
    // SRC-9: last is the base head; rows stored by other means move it too.
    if (m_head) {
        if (const std::optional<qint64> head = m_head())
            m_gate.advanceTo(*head);
    }
    for (;;) {
        const LiveGate::Step step = m_gate.next();
        if (step.kind == LiveGate::Step::Kind::Ingest) {
            emitStep(step);
            continue;
        }
        if (step.kind == LiveGate::Step::Kind::Heal)
            startHeal(step.from, step.to);
        return;
    }
}

void KlineStreamJob::startHeal(qint64 from, qint64 to)
{
    qCInfo(lcSources) << m_series.toString() << "stream skipped" << from << ".." << to << "; healing by REST";
    m_healFrom = from;
    m_healTo = to;
    m_healRows.clear();
    m_healStartedMs = m_clock.nowMs();
    m_healRequest = m_rest.fetchRange(m_series, from, to);
}

void KlineStreamJob::finishHeal(const QString &error)
{
    // SRC-9: healed or not, the held bar goes in; a hole left is announced (PROTO-15) and
    // retried in the background (BF-6).
    m_healRequest = 0;
    const LiveGate::Step step = m_gate.finishHeal(std::exchange(m_healRows, {}));
    if (!error.isEmpty()) {
        qCWarning(lcSources) << m_series.toString() << "heal" << m_healFrom << ".." << m_healTo << "failed:" << error;
        emit healFailed(m_series, m_healFrom, m_healTo, error);
    }
    emitStep(step);
    pumpGate();
}

void KlineStreamJob::emitStep(const LiveGate::Step &step)
{
    if (!step.healed.isEmpty())
        emit candlesReceived(m_series, step.healed, u"backfill"_s);
    if (!step.candles.isEmpty())
        emit candlesReceived(m_series, step.candles, u"live"_s);
}

} // namespace gapless::sources
