#pragma once

#include "core/domain/seriesid.h"
#include "core/protocol/holehealer.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"
#include "core/sources/filesource.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace gapless::ingest {
class IngestWriter;
struct RunReport;
}

namespace gapless::sources {
class BinanceRestClient;
struct RestWindowResult;
}

namespace gapless::backfill {

class ProgressTracker;

/// What one gap backfill did (BF-3); slots (slotCount) = present_before + filled + source_missing +
/// still_missing.
struct GapResult
{
    qint64 slotCount = 0;
    qint64 presentBefore = 0;
    qint64 filled = 0;
    qint64 sourceMissing = 0;
    qint64 stillMissing = 0;
    QStringList errors;
};

/// What tail coverage did (BF-9) for the window [start, end].
struct TailResult
{
    qint64 start = 0;
    qint64 end = 0;
    qint64 slotCount = 0;
    qint64 covered = 0;
    qint64 filled = 0;
    qint64 sourceMissing = 0;
    qint64 missing = 0;
    QString note; ///< tail_coverage_done, tail_coverage_partial, tail_coverage_best_effort_failed
    QStringList errors;
};

/// Who a gap backfill's runs are for (ING-2): a job's id, and the source its rows carry
/// instead of `backfill` (roll-up rows keep `rollup`, BF-10). Empty: no job, `backfill`.
struct RunTag
{
    std::optional<qint64> jobId;
    QString source;
};

/// Gap backfill (BF-1..5): fills the slots e, e+tf, …, a−tf of a series from files (SRC-13),
/// then from the stored 1m base (roll-up), then from Binance REST, each level only for the
/// slots still missing after a store read, everything through the ingest pipeline. One
/// operation per series at a time; an identical request joins it. It is also the server's
/// HoleHealer (PROTO-16). Lives on the protocol thread.
class GapBackfill final : public QObject, public protocol::HoleHealer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GapBackfill)
public:
    /// `rest` may be null (no network source); `writer` and `tracker` outlive this object.
    GapBackfill(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
                sources::FileSource files, ProgressTracker *tracker, const BackfillSettings &settings,
                QObject *parent = nullptr);
    ~GapBackfill() override;

    using Done = std::function<void(const GapResult &)>;
    /// BF-3 for [expectedNext, actual): `done` runs on this thread when it ends. Its runs carry
    /// `tag`, unless the request joins an identical one already running (D-JOB-11).
    void run(const SeriesId &series, qint64 expectedNext, qint64 actual, Done done, RunTag tag = {});
    using TailDone = std::function<void(const TailResult &)>;
    /// BF-7..9: the newest `count` bars up to E(now) (or `toTime`), never a forming bucket;
    /// REST only when `toTime` is given or backfill.rest_on_read.
    void ensureTailCoverage(const SeriesId &series, int count, std::optional<qint64> toTime, TailDone done);
    void setSettings(const BackfillSettings &settings) { m_settings = settings; }
    [[nodiscard]] const BackfillSettings &settings() const { return m_settings; }
    /// BF-5: whether a slot is a remembered source_missing slot (within the TTL).
    [[nodiscard]] bool isKnownSourceMissing(const SeriesId &series, qint64 slot) const;

    // protocol::HoleHealer (BF-4)
    [[nodiscard]] bool canHeal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime) const override;
    void heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int waitMs, QObject *context,
              std::function<void()> done) override;
    void coverTail(const SeriesId &series, int count, int waitMs, QObject *context,
                   std::function<void()> done) override;

signals:
    void finished(const gapless::SeriesId &series, qint64 expectedNext, qint64 actual,
                  const gapless::backfill::GapResult &result);

private:
    struct Operation;
    [[nodiscard]] bool hasNetworkSource(const SeriesId &series) const;
    void start(const std::shared_ptr<Operation> &op);
    void readMissing(const std::shared_ptr<Operation> &op, std::function<void()> next);
    void levelFiles(const std::shared_ptr<Operation> &op);
    void levelRollup(const std::shared_ptr<Operation> &op, std::function<void()> next);
    void levelRest(const std::shared_ptr<Operation> &op);
    void levelRestViaBase(const std::shared_ptr<Operation> &op, const QList<qint64> &wanted);
    void fetchRuns(const std::shared_ptr<Operation> &op, const SeriesId &series, const QList<qint64> &times);
    void onWindow(const sources::RestWindowResult &window);
    void onBaseWindow(const std::shared_ptr<Operation> &op, const sources::RestWindowResult &window);
    void afterRest(const std::shared_ptr<Operation> &op);
    void markDerivedSourceMissing(const std::shared_ptr<Operation> &op);
    void ingest(const std::shared_ptr<Operation> &op, const SeriesId &series, const CandleList &candles,
                const QString &source, std::function<void()> next);
    void onRunFinished(const ingest::RunReport &report);
    void finish(const std::shared_ptr<Operation> &op);
    [[nodiscard]] qint64 nextRunId();

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    sources::BinanceRestClient *m_rest;
    sources::FileSource m_files;
    ProgressTracker *m_tracker;
    BackfillSettings m_settings;
    QHash<SeriesId, std::shared_ptr<Operation>> m_running;
    QHash<qint64, std::function<void(const ingest::RunReport &)>> m_pendingRuns;
    QHash<quint64, std::shared_ptr<Operation>> m_restRequests;
    QHash<SeriesId, QHash<qint64, qint64>> m_sourceMissing; ///< slot → expiry ms (BF-5)
    qint64 m_runCounter = 0;
};

} // namespace gapless::backfill

Q_DECLARE_METATYPE(gapless::backfill::GapResult)
