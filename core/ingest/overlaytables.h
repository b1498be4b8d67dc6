#pragma once

#include "core/domain/seriesid.h"
#include "core/store/candlestore.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace gapless::ingest {

/// One stored overlay version (OVL-6 item).
struct OverlayVersion
{
    qint64 versionId = 0;
    QString instructionId;
    QString kind;
    qint64 visibleTime = 0;
    QByteArray defJson; ///< canonical JSON, `null` for a removal
};

/// `overlay_series_state` (STORE-7).
struct OverlayState
{
    std::optional<qint64> headTime;
    qint64 lastVersionId = 0;
    friend bool operator==(const OverlayState &, const OverlayState &) = default;
};

/// The result of a delta read (OVL-6).
struct OverlayDelta
{
    QList<OverlayVersion> items;
    qint64 nextCursor = 0;
    bool hasMore = false;
};

/// The overlay tables of one store; versions are append-only.
class OverlayTables
{
public:
    explicit OverlayTables(store::CandleStore &store);

    [[nodiscard]] Result<std::optional<QByteArray>> latestDef(const SeriesId &series, const QString &instructionId);
    /// The latest def of every instruction of the series.
    [[nodiscard]] Result<QHash<QString, OverlayVersion>> latestDefs(const SeriesId &series);
    [[nodiscard]] Result<qint64> insertVersion(const SeriesId &series, const OverlayVersion &version);
    [[nodiscard]] Result<OverlayState> state(const SeriesId &series);
    [[nodiscard]] Result<void> saveState(const SeriesId &series, const OverlayState &state, qint64 atMs);
    /// OVL-6: versions after `cursor`, ascending; a cursor past the last version is a conflict.
    [[nodiscard]] Result<OverlayDelta> delta(const SeriesId &series, qint64 cursor, int limit);

private:
    store::CandleStore &m_store;
};

} // namespace gapless::ingest
