#include "core/runtime/failpoints.h"

#include "core/runtime/logging.h"

#include <QMutexLocker>

#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

// debug.seed is 64-bit; both halves seed the generator, so seeds 2^32 apart differ.
QRandomGenerator seededGenerator(quint64 seed)
{
    const std::array<quint32, 2> parts{quint32(seed & 0xffffffffu), quint32(seed >> 32)};
    return QRandomGenerator(parts.data(), qsizetype(parts.size()));
}

} // namespace

Failpoints::Failpoints(const QList<Failpoint> &active, quint64 seed)
{
    for (const Failpoint &point : active)
        m_points.insert(point.name, Point{point, seededGenerator(seed)});
}

bool Failpoints::fires(Point &point, qint64 hitNumber)
{
    switch (point.config.trigger) {
    case Failpoint::Trigger::Always:
        return true;
    case Failpoint::Trigger::Count:
        return hitNumber <= point.config.count;
    case Failpoint::Trigger::Probability:
        // One draw per hit, even at 0 % or 100 %, so the sequence depends only on the hit count.
        return point.random.generateDouble() * 100.0 < point.config.probabilityPercent;
    }
    return false;
}

Result<void> Failpoints::hit(QStringView name)
{
    const QString key = name.toString();
    qint64 hitNumber = 0;
    bool fired = false;
    {
        const QMutexLocker lock(&m_mutex);
        hitNumber = ++m_hits[key];
        const auto it = m_points.find(key);
        fired = it != m_points.end() && fires(*it, hitNumber);
    }
    if (!fired)
        return {};
    qCDebug(lcRuntime).noquote() << "failpoint" << key << "fired on hit" << hitNumber;
    return Error{ErrorCode::Internal, u"failpoint "_s + key};
}

qint64 Failpoints::hits(QStringView name) const
{
    const QMutexLocker lock(&m_mutex);
    return m_hits.value(name.toString());
}

bool Failpoints::isActive(QStringView name) const
{
    const QMutexLocker lock(&m_mutex);
    return m_points.contains(name.toString());
}

} // namespace gapless
