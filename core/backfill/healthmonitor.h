#pragma once

#include "core/backfill/healthlamp.h"
#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <optional>

namespace gapless::backfill {

class ProgressTracker;

/// Per-series health of a running core (HLT-1..5): evaluates the HLT-3 lamp on every commit,
/// source or tracker change, ingest error and once a second, and announces a `health` frame
/// when (lamp, reason, lag_candles) changes and every 10 s. Lives on the protocol thread.
class HealthMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthMonitor)
public:
    static constexpr qint64 kRepeatMs = 10000;

    HealthMonitor(const Clock &clock, const HealthSettings &settings, const ProgressTracker *tracker,
                  QObject *parent = nullptr);

    /// Starts watching `series` with its stored head (none when empty).
    void track(const SeriesId &series, std::optional<qint64> head);
    void setSettings(const HealthSettings &settings) { m_settings = settings; }
    /// The HLT-5 fields of a tracked series (empty object when untracked).
    [[nodiscard]] QJsonObject health(const SeriesId &series) const;
    [[nodiscard]] QList<SeriesId> series() const { return m_series.keys(); }

    // Inputs, from the writer, the live jobs and the journal.
    void candlesCommitted(const gapless::SeriesId &series, const gapless::CandleList &candles);
    void jobStateChanged(const gapless::SeriesId &base, const QString &state);
    /// The job of `base` stopped (PROTO-25): its series are not live any more (HLT-2).
    void jobStopped(const gapless::SeriesId &base);
    /// The open ingest_errors rows per series, as the store counts them: replaces every
    /// count (a series absent has none) and tracks the series not tracked yet.
    void setOpenErrors(const QHash<gapless::SeriesId, qint64> &counts);
    void ingestErrorRecorded(const gapless::SeriesId &series);
    void setStoreUnwritable(bool unwritable);
    /// JOB-4: the job id clock is behind its last id (HLT-3 rows 5-7: clock_backwards).
    void setClockBackwards(bool backwards);

signals:
    /// HLT-5: a `health` frame's fields.
    void healthChanged(const gapless::SeriesId &series, const QJsonObject &fields);

private:
    struct State
    {
        std::optional<qint64> head;
        qint64 openErrors = 0;
        HealthLamp last;
        std::optional<qint64> lastLag;
        qint64 announcedAtMs = -1;
    };
    struct Job
    {
        QString state;
        qint64 sinceMs = 0;
    };

    void evaluateAll();
    void evaluateBase(const SeriesId &base);
    void evaluate(const SeriesId &series, bool force);
    [[nodiscard]] HealthInputs inputs(const SeriesId &series, const State &state) const;
    [[nodiscard]] SeriesId baseOf(const SeriesId &series) const;

    const Clock &m_clock;
    HealthSettings m_settings;
    const ProgressTracker *m_tracker;
    QHash<SeriesId, State> m_series;
    QHash<SeriesId, Job> m_jobs; ///< by 1m base
    bool m_storeUnwritable = false;
    bool m_clockBackwards = false;
    QTimer m_ticker;
};

} // namespace gapless::backfill
