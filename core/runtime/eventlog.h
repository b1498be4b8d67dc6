#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QString>

#include <optional>

namespace gapless {

class Clock;

/// One debug event (OBS-2), as the `debug` topic carries it (`debug_event`, part 2).
struct DebugEvent
{
    qint64 tsMs = 0;
    QString event;   ///< OBS-3 name: `ingest.failed`, `compensation.done`, …
    QString level;   ///< debug, info, warning or critical
    QString seriesId; ///< empty: not about one series
    std::optional<qint64> runId;
    QJsonObject data;

    /// `{ts_ms, event, level, series_id, run_id, data}`; an absent series_id or run_id is null.
    [[nodiscard]] QJsonObject toJson() const;

    friend bool operator==(const DebugEvent &, const DebugEvent &) = default;
};

/// Observability (OBS-2..OBS-5): the ring of the last 2000 debug events, the health counters
/// and gauges of OBS-4, and one log line per event in the category of its module (OBS-1).
/// Thread-safe: any thread may record, count and read.
class EventLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)
public:
    static constexpr int kCapacity = 2000;

    explicit EventLog(const Clock &clock, QObject *parent = nullptr);

    /// Stamps the event with the clock, keeps it (dropping the oldest beyond kCapacity), logs it
    /// once at its level and emits eventRecorded(). An empty `seriesId` means none.
    void record(const QString &event, const QString &level, const QString &seriesId, std::optional<qint64> runId,
                const QJsonObject &data);
    /// The newest `max` events (all if fewer), oldest first; none when max ≤ 0.
    [[nodiscard]] QList<DebugEvent> recent(int max) const;

    /// Adds `by` to a counter; a name not in OBS-4 starts at 0 on first use.
    void add(QStringView counter, qint64 by = 1);
    /// Sets a gauge (`ingest_errors.open`).
    void setGauge(QStringView name, qint64 value);
    /// Every counter and gauge by its dotted name, all OBS-4 names present from the start.
    [[nodiscard]] QJsonObject counters() const;
    /// One counter's or gauge's value (0 if never set).
    [[nodiscard]] qint64 counter(QStringView name) const;

signals:
    /// Emitted on the thread that called record(), after the event is stored and the lock is
    /// released. Receivers on other threads connect with a context object (queued).
    void eventRecorded(const gapless::DebugEvent &event);

private:
    const Clock &m_clock;
    mutable QMutex m_mutex;
    QList<DebugEvent> m_ring; ///< circular once full; m_next is the oldest then
    qsizetype m_next = 0;
    QHash<QString, qint64> m_counters;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::DebugEvent)
