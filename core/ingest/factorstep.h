#pragma once

#include "core/ingest/factorcomputation.h"
#include "core/ingest/factortables.h"
#include "core/runtime/sectionsettings.h"

#include <optional>

namespace gapless::ingest {

/// What the factor step did for one series run (FAC-2, FAC-6).
struct FactorOutcome
{
    bool wrote = false;            ///< any factor row written (for overlay compensation)
    bool deferred = false;         ///< dirty: waiting for the series' last queued batch (FAC-4)
    std::optional<QString> rebuildReason; ///< `late_data` or `fingerprint` when FAC-6 ran
    bool fingerprintMismatch = false;     ///< mismatch seen with factor.fingerprint_rebuild off
    QList<PivotEvent> pivots;      ///< events new to the ledger this run (incremental)
    QList<PenEvent> pens;
    /// After a rebuild: the whole computation, for OVL-5.
    std::optional<FactorLedger> rebuilt;
    std::optional<qint64> upTo;    ///< newest stored time the factors now cover
};

/// The factor step of the ingest pipeline (FAC-1..13): incremental over the ticks after
/// head_time, a rebuild for late data or a changed fingerprint.
class FactorStep
{
public:
    FactorStep(store::CandleStore &store, const FactorSettings &settings);

    /// Runs inside the run's transaction after the store step. `moreQueued`: another batch for
    /// this series waits on the writer, so a dirty series defers its rebuild.
    [[nodiscard]] Result<FactorOutcome> apply(const SeriesId &series, const store::UpsertResult &upsert,
                                              bool moreQueued, qint64 atMs);

    [[nodiscard]] QByteArray fingerprint() const { return m_fingerprint; }

private:
    [[nodiscard]] Result<void> incremental(const SeriesId &series, FactorState &state, qint64 upTo,
                                           FactorOutcome &out);
    [[nodiscard]] Result<void> rebuild(const SeriesId &series, FactorState &state, qint64 upTo, FactorOutcome &out);
    [[nodiscard]] Result<bool> snapshotHead(const SeriesId &series, const PenHead &head, qint64 upTo);

    store::CandleStore &m_store;
    FactorSettings m_settings;
    QByteArray m_fingerprint;
    FactorTables m_tables;
};

} // namespace gapless::ingest
