#include "core/backfill/healthmonitor.h"

#include "core/backfill/progresstracker.h"
#include "core/protocol/healthfields.h"

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

QJsonValue optionalValue(std::optional<qint64> v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}

} // namespace

HealthMonitor::HealthMonitor(const Clock &clock, const HealthSettings &settings, const ProgressTracker *tracker,
                             QObject *parent)
    : QObject(parent), m_clock(clock), m_settings(settings), m_tracker(tracker)
{
    m_ticker.setInterval(1000); // HLT-4: once a second
    connect(&m_ticker, &QTimer::timeout, this, &HealthMonitor::evaluateAll);
    m_ticker.start();
}

SeriesId HealthMonitor::baseOf(const SeriesId &series) const
{
    return series.withTimeframe(*Timeframe::fromSeconds(60));
}

void HealthMonitor::track(const SeriesId &series, std::optional<qint64> head)
{
    State &s = m_series[series];
    s.head = std::max(s.head, head);
    evaluate(series, true);
}

void HealthMonitor::candlesCommitted(const SeriesId &series, const CandleList &candles)
{
    if (candles.isEmpty())
        return;
    State &s = m_series[series];
    s.head = std::max(s.head.value_or(candles.constLast().time), candles.constLast().time);
    evaluate(series, false);
}

void HealthMonitor::jobStateChanged(const SeriesId &base, const QString &state)
{
    Job &job = m_jobs[base];
    if (job.state != state)
        job = {state, m_clock.nowMs()};
    evaluateBase(base);
}

void HealthMonitor::jobStopped(const SeriesId &base)
{
    if (m_jobs.remove(base))
        evaluateBase(base);
}

void HealthMonitor::evaluateBase(const SeriesId &base)
{
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (baseOf(it.key()) == base)
            evaluate(it.key(), false);
    }
}

void HealthMonitor::setOpenErrors(const QHash<SeriesId, qint64> &counts)
{
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        m_series[it.key()]; // tracked from now on
    for (auto it = m_series.begin(); it != m_series.end(); ++it)
        it->openErrors = counts.value(it.key(), 0);
    evaluateAll();
}

void HealthMonitor::ingestErrorRecorded(const SeriesId &series)
{
    ++m_series[series].openErrors;
    evaluate(series, false);
}

void HealthMonitor::setStoreUnwritable(bool unwritable)
{
    m_storeUnwritable = unwritable;
    evaluateAll();
}

void HealthMonitor::setClockBackwards(bool backwards)
{
    if (m_clockBackwards == backwards)
        return;
    m_clockBackwards = backwards;
    evaluateAll();
}

HealthInputs HealthMonitor::inputs(const SeriesId &series, const State &state) const
{
    HealthInputs in;
    in.storeUnwritable = m_storeUnwritable;
    in.clockBackwards = m_clockBackwards;
    in.head = state.head;
    in.openErrors = state.openErrors;
    const auto lag = protocol::lagFigures(m_clock.nowSeconds(), series.timeframe(), state.head, m_settings.closeGraceS);
    in.lagCandles = lag.lagCandles;
    if (const auto job = m_jobs.constFind(baseOf(series)); job != m_jobs.constEnd()) {
        in.live = true; // HLT-2: its 1m base has a live job
        const bool moving = job->state == "live"_L1 || job->state == "catching_up"_L1;
        in.sourceDown = job->state == "banned"_L1
                        || (!moving && m_clock.nowMs() - job->sinceMs >= qint64(m_settings.sourceDownAfterS) * 1000);
    }
    if (m_tracker) {
        if (const auto record = m_tracker->record(series)) {
            in.trackerRunning = record->state == "running"_L1;
            if (record->state == "succeeded"_L1)
                in.trackerSucceededAtS = record->updatedAtMs / 1000;
        }
    }
    return in;
}

void HealthMonitor::evaluateAll()
{
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it)
        evaluate(it.key(), false);
}

void HealthMonitor::evaluate(const SeriesId &series, bool force)
{
    State &s = m_series[series];
    const HealthInputs in = inputs(series, s);
    const HealthLamp lamp = evaluateLamp(in, m_settings, m_clock.nowSeconds());
    const qint64 now = m_clock.nowMs();
    const bool changed = lamp != s.last || in.lagCandles != s.lastLag;
    if (!force && !changed && s.announcedAtMs >= 0 && now - s.announcedAtMs < kRepeatMs)
        return;
    s.last = lamp;
    s.lastLag = in.lagCandles;
    s.announcedAtMs = now;
    emit healthChanged(series, health(series));
}

QJsonObject HealthMonitor::health(const SeriesId &series) const
{
    const auto it = m_series.constFind(series);
    if (it == m_series.constEnd())
        return {};
    const HealthInputs in = inputs(series, *it);
    const HealthLamp lamp = evaluateLamp(in, m_settings, m_clock.nowSeconds());
    const qint64 nowS = m_clock.nowSeconds();
    const auto lag = protocol::lagFigures(nowS, series.timeframe(), it->head, m_settings.closeGraceS);
    const auto job = m_jobs.constFind(baseOf(series));
    QJsonObject backfill{{u"state"_s, u"idle"_s}, {u"progress_pct"_s, QJsonValue()}};
    if (m_tracker) {
        if (const auto record = m_tracker->record(series))
            backfill = {{u"state"_s, record->state}, {u"progress_pct"_s, record->progressPct}};
    }
    return QJsonObject{
        {u"series_id"_s, series.toString()},
        {u"lamp"_s, lamp.lamp},
        {u"reason"_s, lamp.reason},
        {u"now"_s, double(nowS)},
        {u"tf"_s, double(series.timeframe().seconds())},
        {u"head_time"_s, optionalValue(it->head)},
        {u"expected_latest_closed"_s, optionalValue(lag.expectedLatestClosed)},
        {u"lag_candles"_s, optionalValue(lag.lagCandles)},
        {u"lag_seconds"_s, optionalValue(lag.lagSeconds)},
        {u"source_state"_s, job == m_jobs.constEnd() ? u"none"_s : job->state},
        {u"backfill"_s, backfill},
        {u"open_errors"_s, double(it->openErrors)},
        {u"owner_node"_s, QJsonValue()},
    };
}

} // namespace gapless::backfill
