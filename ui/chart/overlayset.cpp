#include "ui/chart/overlayset.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::ui {

int OverlaySet::apply(const QJsonArray &items)
{
    int skipped = 0;
    for (const QJsonValue &value : items) {
        const QJsonObject item = value.toObject();
        const QString id = item.value("instruction_id"_L1).toString();
        if (id.isEmpty()) {
            ++skipped;
            continue;
        }
        const QJsonValue def = item.value("def"_L1);
        if (def.isNull())
            m_defs.remove(id);
        else if (def.isObject())
            m_defs.insert(id, def.toObject());
        else
            ++skipped;
    }
    return skipped;
}

QList<ChartMarker> OverlaySet::markers() const
{
    QList<ChartMarker> markers;
    for (const QJsonObject &def : m_defs) {
        if (def.value("type"_L1).toString() != "marker"_L1)
            continue;
        ChartMarker m;
        m.time = def.value("time"_L1).toInteger();
        m.price = def.value("price"_L1).toDouble();
        m.above = def.value("position"_L1).toString() == "above"_L1;
        m.size = def.value("size"_L1).toDouble(1);
        markers.append(m);
    }
    std::sort(markers.begin(), markers.end(), [](const ChartMarker &a, const ChartMarker &b) { return a.time < b.time; });
    return markers;
}

QList<ChartSegment> OverlaySet::segments() const
{
    QList<ChartSegment> segments;
    for (const QJsonObject &def : m_defs) {
        if (def.value("type"_L1).toString() != "polyline"_L1)
            continue;
        const QJsonArray points = def.value("points"_L1).toArray();
        for (qsizetype i = 1; i < points.size(); ++i) {
            const QJsonObject a = points.at(i - 1).toObject();
            const QJsonObject b = points.at(i).toObject();
            segments.append({a.value("time"_L1).toInteger(), a.value("value"_L1).toDouble(),
                             b.value("time"_L1).toInteger(), b.value("value"_L1).toDouble()});
        }
    }
    std::sort(segments.begin(), segments.end(),
              [](const ChartSegment &a, const ChartSegment &b) { return a.fromTime < b.fromTime; });
    return segments;
}

} // namespace gapless::ui
