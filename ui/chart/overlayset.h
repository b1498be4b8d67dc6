#pragma once

#include "ui/chart/chartmodel.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace gapless::ui {

/// The latest definition of each overlay instruction (OVL-6 deltas applied in order), turned
/// into pivot markers and pen segments (UI-12). A `null` def removes its instruction.
class OverlaySet
{
public:
    /// Applies one `overlays` answer's `items`; returns how many were malformed and skipped.
    int apply(const QJsonArray &items);
    void clear() { m_defs.clear(); }
    [[nodiscard]] qsizetype size() const { return m_defs.size(); }

    [[nodiscard]] QList<ChartMarker> markers() const;
    [[nodiscard]] QList<ChartSegment> segments() const;

private:
    QHash<QString, QJsonObject> m_defs;
};

} // namespace gapless::ui
