#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace gapless {

struct PenEvent;
struct PivotEvent;

/// One overlay instruction made from a factor event (OVL-1..OVL-3); the pipeline versions it
/// by instruction_id (OVL-4).
struct OverlayDefinition
{
    QString instructionId; ///< `pivot.major:…`, `pivot.minor:…` or `pen.confirmed:…` (OVL-2)
    QString kind;          ///< `marker` or `polyline`
    qint64 visibleTime = 0;
    QJsonObject def;

    /// A pivot marker: ▼ above a resistance, ▲ below a support; size 1 major, 0.5 minor.
    [[nodiscard]] static OverlayDefinition fromPivot(const PivotEvent &event);
    /// The two-point polyline of a confirmed pen.
    [[nodiscard]] static OverlayDefinition fromPen(const PenEvent &event);

    /// def_json: def as canonical JSON (C-3), compared as text (OVL-4).
    [[nodiscard]] QByteArray defJson() const;

    friend bool operator==(const OverlayDefinition &, const OverlayDefinition &) = default;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::OverlayDefinition)
