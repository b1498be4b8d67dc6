#include "core/runtime/eventlog.h"

#include "core/domain/canonicaljson.h"
#include "core/runtime/clock.h"
#include "core/runtime/logging.h"

#include <QMutexLocker>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

// OBS-4: counters, then the gauge, all reported from the start.
constexpr std::array<QStringView, 13> kCounterNames{
    u"ingest.runs.ok",      u"ingest.runs.failed", u"candles.inserted",  u"candles.updated",
    u"candles.identical",   u"candles.rejected",   u"candles.anomalies", u"factor.rebuilds",
    u"overlay.versions",    u"compensation.done",  u"compensation.failed", u"journal.write_failed",
    u"ingest_errors.open",
};

// The module an event belongs to is its first dotted word (OBS-1, OBS-3).
const QLoggingCategory &categoryFor(QStringView event)
{
    const QStringView module = event.left(event.indexOf(u'.'));
    if (module == u"ingest" || module == u"compensation" || module == u"journal")
        return lcIngest();
    if (module == u"factor")
        return lcFactor();
    if (module == u"overlay")
        return lcOverlay();
    if (module == u"store")
        return lcStore();
    if (module == u"source" || module == u"sources")
        return lcSources();
    if (module == u"backfill")
        return lcBackfill();
    if (module == u"protocol")
        return lcProtocol();
    if (module == u"repair" || module == u"review")
        return lcRepair();
    return lcRuntime();
}

void logEvent(const DebugEvent &e)
{
    const QLoggingCategory &category = categoryFor(e.event);
    QString text = e.event;
    if (!e.seriesId.isEmpty())
        text += u" series="_s + e.seriesId;
    if (e.runId)
        text += u" run="_s + QString::number(*e.runId);
    text += u' ' + QString::fromUtf8(canonicalJson(e.data));
    if (e.level == u"debug")
        qCDebug(category).noquote() << text;
    else if (e.level == u"info")
        qCInfo(category).noquote() << text;
    else if (e.level == u"critical")
        qCCritical(category).noquote() << text;
    else // warning, and any level outside OBS-2's four so it is not lost below the threshold
        qCWarning(category).noquote() << text;
}

} // namespace

QJsonObject DebugEvent::toJson() const
{
    return QJsonObject{
        {u"ts_ms"_s, tsMs},
        {u"event"_s, event},
        {u"level"_s, level},
        {u"series_id"_s, seriesId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(seriesId)},
        {u"run_id"_s, runId ? QJsonValue(*runId) : QJsonValue(QJsonValue::Null)},
        {u"data"_s, data},
    };
}

EventLog::EventLog(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_ring.reserve(kCapacity);
    for (const QStringView name : kCounterNames)
        m_counters.insert(name.toString(), 0);
}

void EventLog::record(const QString &event, const QString &level, const QString &seriesId,
                      std::optional<qint64> runId, const QJsonObject &data)
{
    const DebugEvent e{m_clock.nowMs(), event, level, seriesId, runId, data};
    {
        const QMutexLocker lock(&m_mutex);
        if (m_ring.size() < kCapacity) {
            m_ring.append(e);
        } else {
            m_ring[m_next] = e;
            m_next = (m_next + 1) % kCapacity;
        }
    }
    logEvent(e);
    emit eventRecorded(e);
}

QList<DebugEvent> EventLog::recent(int max) const
{
    const QMutexLocker lock(&m_mutex);
    const qsizetype count = std::min<qsizetype>(std::max(max, 0), m_ring.size());
    QList<DebugEvent> out;
    out.reserve(count);
    // Oldest first: the ring's logical order starts at m_next once it has wrapped.
    const qsizetype size = m_ring.size();
    for (qsizetype k = size - count; k < size; ++k)
        out.append(m_ring.at((m_next + k) % size));
    return out;
}

void EventLog::add(QStringView counter, qint64 by)
{
    const QMutexLocker lock(&m_mutex);
    m_counters[counter.toString()] += by;
}

void EventLog::setGauge(QStringView name, qint64 value)
{
    const QMutexLocker lock(&m_mutex);
    m_counters.insert(name.toString(), value);
}

QJsonObject EventLog::counters() const
{
    const QMutexLocker lock(&m_mutex);
    QJsonObject out;
    for (auto it = m_counters.cbegin(); it != m_counters.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

qint64 EventLog::counter(QStringView name) const
{
    const QMutexLocker lock(&m_mutex);
    return m_counters.value(name.toString());
}

} // namespace gapless
