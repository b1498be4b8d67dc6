#include "ui/lamp.h"

#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace gapless::ui {

Lamp lampFromName(const QString &name)
{
    if (name == "green"_L1)
        return Lamp::Green;
    if (name == "yellow"_L1)
        return Lamp::Yellow;
    if (name == "red"_L1)
        return Lamp::Red;
    return Lamp::Gray;
}

QColor lampColor(Lamp lamp)
{
    switch (lamp) {
    case Lamp::Green:
        return QColor(0x22, 0xb3, 0x4c);
    case Lamp::Yellow:
        return QColor(0xf0, 0xb4, 0x00);
    case Lamp::Red:
        return QColor(0xe0, 0x30, 0x30);
    case Lamp::Gray:
        break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString lampGlyph(Lamp lamp)
{
    switch (lamp) {
    case Lamp::Green:
        return u"●"_s;
    case Lamp::Yellow:
        return u"▲"_s;
    case Lamp::Red:
        return u"■"_s;
    case Lamp::Gray:
        break;
    }
    return u"○"_s;
}

QString lampReasonText(const QString &reason)
{
    if (reason.isEmpty())
        return u"no health yet"_s;
    QString text = reason;
    text.replace(u"lagging_"_s, u"lagging, "_s);
    text.replace(u'_', u' ');
    return text;
}

QIcon lampIcon(Lamp lamp, int side)
{
    // UI-17: drawn at the screen's device pixel ratio, sized in logical px.
    const qreal dpr = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap pixmap(qRound(side * dpr), qRound(side * dpr));
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = lampColor(lamp);
    const QRectF box(1.5, 1.5, side - 3.0, side - 3.0);
    switch (lamp) {
    case Lamp::Green:
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawEllipse(box);
        break;
    case Lamp::Yellow: {
        QPainterPath path;
        path.moveTo(box.center().x(), box.top());
        path.lineTo(box.right(), box.bottom());
        path.lineTo(box.left(), box.bottom());
        path.closeSubpath();
        p.fillPath(path, color);
        break;
    }
    case Lamp::Red:
        p.fillRect(box.adjusted(0.5, 0.5, -0.5, -0.5), color);
        break;
    case Lamp::Gray:
        p.setPen(QPen(color, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(box.adjusted(1, 1, -1, -1));
        break;
    }
    return QIcon(pixmap);
}

} // namespace gapless::ui
