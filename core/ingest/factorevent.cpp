#include "core/ingest/factorevent.h"

#include "core/domain/canonicaljson.h"

#include <QJsonObject>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace gapless {

QString PivotEvent::direction() const
{
    return resistance ? u"resistance"_s : u"support"_s;
}

QString PivotEvent::factorName()
{
    return u"pivot"_s;
}

QString PivotEvent::kind() const
{
    return major ? u"pivot.major"_s : u"pivot.minor"_s;
}

QString PivotEvent::key() const
{
    return (major ? u"major:"_s : u"minor:"_s) + QString::number(pivotTime) + u':' + direction() + u':'
        + QString::number(window);
}

QJsonObject PivotEvent::payload() const
{
    return QJsonObject{
        {u"direction"_s, direction()},
        {u"pivot_price"_s, price},
        {u"pivot_time"_s, pivotTime},
        {u"visible_time"_s, visibleTime},
        {u"window"_s, window},
    };
}

QByteArray PivotEvent::payloadJson() const
{
    return canonicalJson(payload());
}

QJsonObject PenSegment::toJson() const
{
    return QJsonObject{
        {u"direction"_s, direction()},
        {u"end_price"_s, endPrice},
        {u"end_time"_s, endTime},
        {u"start_price"_s, startPrice},
        {u"start_time"_s, startTime},
    };
}

QString PenEvent::factorName()
{
    return u"pen"_s;
}

QString PenEvent::kind()
{
    return u"pen.confirmed"_s;
}

QString PenEvent::key() const
{
    return u"confirmed:"_s + QString::number(startTime()) + u':' + QString::number(endTime()) + u':'
        + QString::number(direction());
}

QJsonObject PenEvent::payload() const
{
    QJsonObject object = segment.toJson();
    object.insert(u"visible_time"_s, visibleTime);
    return object;
}

QByteArray PenEvent::payloadJson() const
{
    return canonicalJson(payload());
}

QJsonObject PenHead::toJson() const
{
    return QJsonObject{{u"extending"_s, extending ? QJsonValue(extending->toJson()) : QJsonValue(QJsonValue::Null)}};
}

QByteArray PenHead::json() const
{
    return canonicalJson(toJson());
}

} // namespace gapless
