#include "ui/format.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace gapless::ui {

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return u"—"_s;
    if (seconds < 60)
        return u"%1 s"_s.arg(seconds);
    if (seconds < 3600)
        return u"%1 min"_s.arg(seconds / 60);
    if (seconds < 86400)
        return u"%1 h %2 min"_s.arg(seconds / 3600).arg(seconds % 3600 / 60);
    return u"%1 d %2 h"_s.arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

QString formatTime(qint64 time)
{
    return QDateTime::fromSecsSinceEpoch(time, Qt::UTC).toString(u"yyyy-MM-dd HH:mm"_s);
}

QString formatWallMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString formatCount(qint64 count)
{
    QLocale locale(QLocale::English);
    return locale.toString(count);
}

} // namespace gapless::ui
