#include "core/backfill/liveholeretry.h"

#include "core/ingest/ingestwriter.h"
#include "core/runtime/logging.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

constexpr qint64 kFirstDelayMs = 5000;
constexpr qint64 kMaxDelayMs = 300000;
constexpr int kPollMs = 250;

} // namespace

LiveHoleRetry::LiveHoleRetry(const Clock &clock, ingest::IngestWriter *writer, GapBackfill *gap, QObject *parent)
    : QObject(parent), m_clock(clock), m_writer(writer), m_gap(gap)
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &LiveHoleRetry::check);
    connect(m_writer, &ingest::IngestWriter::candlesCommitted, this, &LiveHoleRetry::candlesCommitted);
}

qint64 LiveHoleRetry::delayMs(int attempt)
{
    qint64 delay = kFirstDelayMs;
    for (int i = 0; i < attempt && delay < kMaxDelayMs; ++i)
        delay *= 2;
    return std::min(delay, kMaxDelayMs);
}

void LiveHoleRetry::follow(const SeriesId &base)
{
    if (m_heads.contains(base))
        return;
    m_heads.insert(base, std::nullopt);
    // Through the writer: the head it reads is before every commit notified after it.
    m_writer->readHead(base, this, [this, base](std::optional<qint64> head) {
        auto &known = m_heads[base];
        known = std::max(known, head);
    });
}

void LiveHoleRetry::unfollow(const SeriesId &base)
{
    m_heads.remove(base);
    m_live.remove(base);
    m_holes.removeIf([&](const auto &it) { return it.value().series == base && !it.value().running; });
}

void LiveHoleRetry::setState(const SeriesId &base, const QString &state)
{
    if (state == "live"_L1)
        m_live.insert(base);
    else
        m_live.remove(base);
}

void LiveHoleRetry::candlesCommitted(const SeriesId &series, const CandleList &candles)
{
    const auto it = m_heads.find(series);
    if (it == m_heads.end() || candles.isEmpty())
        return;
    const qint64 tf = series.timeframe().seconds();
    std::optional<qint64> head = *it;
    for (const Candle &c : candles) {
        if (head && c.time > *head + tf)
            addHole(series, *head + tf, c.time);
        if (!head || c.time > *head)
            head = c.time;
    }
    *it = head;
}

void LiveHoleRetry::addHole(const SeriesId &series, qint64 expectedNext, qint64 actual)
{
    // A longer hole is the catch-up's (SRC-10) or a range backfill's, not a heal's (BF-4 bound).
    if ((actual - expectedNext) / series.timeframe().seconds() > m_gap->settings().gapHealMaxBars)
        return;
    for (const Hole &h : std::as_const(m_holes)) {
        if (h.series == series && h.expectedNext == expectedNext && h.actual == actual)
            return;
    }
    Hole hole{series, expectedNext, actual, 0, m_clock.nowMs() + delayMs(0), false};
    m_holes.insert(m_nextKey++, hole);
    qCInfo(lcBackfill) << "live hole" << series.toString() << expectedNext << actual << "retried in"
                       << delayMs(0) << "ms (BF-6)";
    emit holeFound(series, expectedNext, actual);
    if (!m_poll.isActive())
        m_poll.start();
}

void LiveHoleRetry::check()
{
    const qint64 now = m_clock.nowMs();
    const QList<qint64> keys = m_holes.keys();
    for (const qint64 key : keys) {
        const Hole &h = m_holes[key];
        if (!h.running && h.dueMs <= now && m_live.contains(h.series))
            attempt(key);
    }
    if (m_holes.isEmpty())
        m_poll.stop();
}

void LiveHoleRetry::attempt(qint64 key)
{
    Hole &hole = m_holes[key];
    hole.running = true;
    QPointer<LiveHoleRetry> guard(this);
    m_gap->run(hole.series, hole.expectedNext, hole.actual, [this, guard, key](const GapResult &result) {
        if (!guard || !m_holes.contains(key))
            return;
        Hole &h = m_holes[key];
        h.running = false;
        const bool done = result.stillMissing == 0 || result.errors.isEmpty();
        emit retryFinished(h.series, h.expectedNext, h.actual, h.attempt, result, done);
        if (done || !m_heads.contains(h.series)) { // healed, or its job stopped meanwhile
            m_holes.remove(key);
            return;
        }
        ++h.attempt;
        h.dueMs = m_clock.nowMs() + delayMs(h.attempt);
        qCInfo(lcBackfill) << "live hole" << h.series.toString() << h.expectedNext << h.actual << "still missing"
                           << result.stillMissing << "; retried in" << delayMs(h.attempt) << "ms (BF-6)";
    });
}

} // namespace gapless::backfill
