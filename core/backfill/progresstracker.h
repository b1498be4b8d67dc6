#pragma once

#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace gapless::backfill {

/// One series' backfill progress (BF-14), kept in memory.
struct ProgressRecord
{
    QString state = QStringLiteral("idle"); ///< idle, running, succeeded, failed
    QString reason;                         ///< tail_coverage, gap_backfill, range_backfill, startup_sync
    qint64 startedAtMs = 0;
    qint64 updatedAtMs = 0;
    qint64 beginMissing = 0;
    qint64 filled = 0;
    qint64 sourceMissing = 0;
    qint64 filledElsewhere = 0;
    qint64 currentMissing = 0;
    double progressPct = 0;
    QString note;
    QStringList errors;

    /// The `progress` frame's fields (BF-18): the record, `*_seconds` twins and `series_id`.
    [[nodiscard]] QJsonObject toJson(const SeriesId &series) const;
};

/// The progress tracker of BF-14..18: begin, pages committed, errors, final recount. Keeps
/// begin = filled + source_missing + filled_elsewhere + current at every step, a percentage
/// that never falls within a run, and announces changes at most 4 times a second, always the
/// first and the final state. Lives on one thread.
class ProgressTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressTracker)
public:
    static constexpr int kMinIntervalMs = 250;

    explicit ProgressTracker(const Clock &clock, QObject *parent = nullptr);

    /// Starts a run; false (nothing changes) while one runs for the series (BF-1).
    bool begin(const SeriesId &series, const QString &reason, qint64 beginMissing);
    /// A page committed `filled` new slots and found `sourceMissing` slots the source lacks.
    void advance(const SeriesId &series, qint64 filled, qint64 sourceMissing);
    void addError(const SeriesId &series, const QString &error);
    /// Ends the run with the final recount of missing slots: a further drop is filled elsewhere.
    void finish(const SeriesId &series, qint64 missingNow, const QString &note);

    [[nodiscard]] std::optional<ProgressRecord> record(const SeriesId &series) const;
    [[nodiscard]] bool isRunning(const SeriesId &series) const;

signals:
    /// A `progress` frame's fields; on begin, at most every kMinIntervalMs while running, on end.
    void progressChanged(const gapless::SeriesId &series, const QJsonObject &fields);

private:
    void recompute(ProgressRecord &r) const;
    void announce(const SeriesId &series, bool force);

    const Clock &m_clock;
    QHash<SeriesId, ProgressRecord> m_records;
    QHash<SeriesId, qint64> m_lastAnnouncedMs;
    QHash<SeriesId, QTimer *> m_trailing;
};

} // namespace gapless::backfill
