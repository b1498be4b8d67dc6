#pragma once

#include "core/ingest/factorstep.h"
#include "core/ingest/overlaytables.h"

namespace gapless::ingest {

/// The overlay step (OVL-4, OVL-5): a new version only where a definition changed.
class OverlayStep
{
public:
    explicit OverlayStep(store::CandleStore &store);

    /// Writes the versions the factor outcome calls for; returns how many were written.
    [[nodiscard]] Result<qint64> apply(const SeriesId &series, const FactorOutcome &factors, qint64 atMs);

private:
    store::CandleStore &m_store;
    OverlayTables m_tables;
};

} // namespace gapless::ingest
