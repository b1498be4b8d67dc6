#include "core/ingest/overlaydefinition.h"

#include "core/domain/canonicaljson.h"
#include "core/ingest/factorevent.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless {

OverlayDefinition OverlayDefinition::fromPivot(const PivotEvent &event)
{
    const QString feature = event.kind();
    QJsonObject def{
        {u"feature"_s, feature},
        {u"position"_s, event.resistance ? u"above"_s : u"below"_s},
        {u"price"_s, event.price},
        {u"role"_s, event.direction()},
        {u"shape"_s, event.resistance ? u"triangle_down"_s : u"triangle_up"_s},
        {u"size"_s, event.major ? 1.0 : 0.5},
        {u"time"_s, event.pivotTime},
        {u"type"_s, u"marker"_s},
    };
    // The key already reads `major:{pivot_time}:{direction}:{W}`; the id prefixes `pivot.`.
    return {u"pivot."_s + event.key(), u"marker"_s, event.visibleTime, std::move(def)};
}

OverlayDefinition OverlayDefinition::fromPen(const PenEvent &event)
{
    const QJsonArray points{
        QJsonObject{{u"time"_s, event.startTime()}, {u"value"_s, event.startPrice()}},
        QJsonObject{{u"time"_s, event.endTime()}, {u"value"_s, event.endPrice()}},
    };
    QJsonObject def{
        {u"direction"_s, event.direction()},
        {u"feature"_s, PenEvent::kind()},
        {u"points"_s, points},
        {u"type"_s, u"polyline"_s},
    };
    return {u"pen."_s + event.key(), u"polyline"_s, event.visibleTime, std::move(def)};
}

QByteArray OverlayDefinition::defJson() const
{
    return canonicalJson(def);
}

} // namespace gapless
