#include "core/backfill/progresstracker.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

constexpr int kErrorsShown = 3;

} // namespace

QJsonObject ProgressRecord::toJson(const SeriesId &series) const
{
    const qint64 tf = series.timeframe().seconds();
    QJsonObject json{
        {u"series_id"_s, series.toString()},
        {u"state"_s, state},
        {u"reason"_s, reason},
        {u"started_at_ms"_s, double(startedAtMs)},
        {u"updated_at_ms"_s, double(updatedAtMs)},
        {u"begin_missing_candles"_s, double(beginMissing)},
        {u"filled"_s, double(filled)},
        {u"source_missing"_s, double(sourceMissing)},
        {u"filled_elsewhere"_s, double(filledElsewhere)},
        {u"current_missing_candles"_s, double(currentMissing)},
        {u"begin_missing_seconds"_s, double(beginMissing * tf)},
        {u"filled_seconds"_s, double(filled * tf)},
        {u"source_missing_seconds"_s, double(sourceMissing * tf)},
        {u"filled_elsewhere_seconds"_s, double(filledElsewhere * tf)},
        {u"current_missing_seconds"_s, double(currentMissing * tf)},
        {u"progress_pct"_s, progressPct},
        {u"note"_s, note},
    };
    json.insert(u"error"_s, errors.isEmpty() ? QJsonValue() : QJsonValue(errors.mid(0, kErrorsShown).join(u"; "_s)));
    return json;
}

ProgressTracker::ProgressTracker(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock)
{
}

bool ProgressTracker::isRunning(const SeriesId &series) const
{
    const auto it = m_records.constFind(series);
    return it != m_records.constEnd() && it->state == "running"_L1;
}

std::optional<ProgressRecord> ProgressTracker::record(const SeriesId &series) const
{
    const auto it = m_records.constFind(series);
    return it == m_records.constEnd() ? std::nullopt : std::optional(*it);
}

bool ProgressTracker::begin(const SeriesId &series, const QString &reason, qint64 beginMissing)
{
    if (isRunning(series))
        return false;
    ProgressRecord r;
    r.state = u"running"_s;
    r.reason = reason;
    r.startedAtMs = r.updatedAtMs = m_clock.nowMs();
    r.beginMissing = r.currentMissing = std::max<qint64>(0, beginMissing);
    recompute(r);
    m_records.insert(series, r);
    announce(series, true);
    return true;
}

void ProgressTracker::recompute(ProgressRecord &r) const
{
    // BF-15: current = begin - filled - source_missing - filled_elsewhere, never below 0.
    r.currentMissing = std::max<qint64>(0, r.beginMissing - r.filled - r.sourceMissing - r.filledElsewhere);
    const double pct = r.beginMissing == 0
                           ? 100.0
                           : std::floor(1000.0 * double(r.beginMissing - r.currentMissing) / double(r.beginMissing))
                                 / 10.0;
    r.progressPct = std::max(r.progressPct, pct); // BF-16: never falls within a run
}

void ProgressTracker::advance(const SeriesId &series, qint64 filled, qint64 sourceMissing)
{
    auto it = m_records.find(series);
    if (it == m_records.end() || it->state != "running"_L1)
        return;
    // A source can report more than was missing (rows stored meanwhile): keep the sum exact.
    const qint64 room = it->currentMissing;
    const qint64 f = std::clamp<qint64>(filled, 0, room);
    const qint64 s = std::clamp<qint64>(sourceMissing, 0, room - f);
    it->filled += f;
    it->sourceMissing += s;
    it->updatedAtMs = m_clock.nowMs();
    recompute(*it);
    announce(series, false);
}

void ProgressTracker::addError(const SeriesId &series, const QString &error)
{
    auto it = m_records.find(series);
    if (it != m_records.end() && it->state == "running"_L1)
        it->errors.append(error);
}

void ProgressTracker::finish(const SeriesId &series, qint64 missingNow, const QString &note)
{
    auto it = m_records.find(series);
    if (it == m_records.end() || it->state != "running"_L1)
        return;
    if (missingNow < it->currentMissing)
        it->filledElsewhere += it->currentMissing - missingNow;
    recompute(*it);
    // BF-17: succeeded when nothing is missing or nothing failed.
    it->state = it->currentMissing == 0 || it->errors.isEmpty() ? u"succeeded"_s : u"failed"_s;
    it->note = note;
    it->updatedAtMs = m_clock.nowMs();
    announce(series, true);
}

void ProgressTracker::announce(const SeriesId &series, bool force)
{
    const qint64 now = m_clock.nowMs();
    const qint64 last = m_lastAnnouncedMs.value(series, std::numeric_limits<qint64>::min() / 2);
    QTimer *&timer = m_trailing[series];
    if (force || now - last >= kMinIntervalMs) {
        if (timer)
            timer->stop();
        m_lastAnnouncedMs.insert(series, now);
        emit progressChanged(series, m_records.value(series).toJson(series));
        return;
    }
    // Within the interval: the newest state goes out when it ends (BF-18, at most 4/s).
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, series] { announce(series, true); });
    }
    if (!timer->isActive())
        timer->start(int(kMinIntervalMs - (now - last)));
}

} // namespace gapless::backfill
