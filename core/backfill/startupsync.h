#pragma once

#include "core/backfill/gapbackfill.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace gapless::backfill {

/// Startup sync (BF-19..21): after the server listens, each `sync.series` (canonical, unique,
/// sorted) is brought to E(now) by tail coverage of `sync.target_candles`, at most
/// `sync.parallel` at a time, on one `now`; each series' live job starts when its own sync
/// ends. The report goes out once, as `startup_sync_done`. Lives on the protocol thread.
class StartupSync final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartupSync)
public:
    /// `headOf` reads a series' stored head (through the writer), calling back on this thread.
    using HeadReader = std::function<void(const SeriesId &, std::function<void(std::optional<qint64>)>)>;

    StartupSync(const Clock &clock, GapBackfill &backfill, HeadReader headOf, QObject *parent = nullptr);

    void start(const QList<SeriesId> &series, int targetCandles, int parallel);
    /// The BF-21 report, null until the sync is done.
    [[nodiscard]] const QJsonObject &report() const { return m_report; }

signals:
    /// One series is synced (or not): its live job may start (BF-20).
    void seriesDone(const gapless::SeriesId &series);
    /// BF-21, once.
    void finished(const QJsonObject &report);

private:
    void next();
    void sync(const SeriesId &series);
    void finish();

    const Clock &m_clock;
    GapBackfill &m_backfill;
    HeadReader m_headOf;
    QList<SeriesId> m_queue;
    QJsonArray m_results;
    int m_running = 0;
    int m_parallel = 1;
    int m_target = 0;
    qint64 m_nowS = 0;
    qint64 m_startedMs = 0;
    int m_total = 0;
    QJsonObject m_report;
};

} // namespace gapless::backfill
