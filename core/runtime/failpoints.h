#pragma once

#include "core/domain/result.h"
#include "core/runtime/failpoint.h"

#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QString>

namespace gapless {

/// The failpoint registry (OBS-6): the code calls hit() at each named point, and a configured
/// failpoint makes that hit fail as the real fault would. Built once from
/// DebugSettings::activeFailpoints() and debug.seed and passed to whoever has a point.
/// Thread-safe: the writer thread and the network thread hit it concurrently.
class Failpoints final
{
public:
    /// No failpoint active: every hit succeeds (and is counted).
    Failpoints() = default;
    /// `active` as parsed by parseFailpoints(); `seed` = debug.seed. Each probabilistic point
    /// draws from its own QRandomGenerator seeded with `seed`, so its pattern of failures is
    /// the same whatever other points are hit in between, on whatever thread.
    Failpoints(const QList<Failpoint> &active, quint64 seed);
    Q_DISABLE_COPY_MOVE(Failpoints)

    /// Counts a hit of `name` and fails with `Error{Internal, "failpoint NAME"}` when the point
    /// fires: bare, every hit; COUNT, the first COUNT hits; PROB%, each hit with that chance.
    [[nodiscard]] Result<void> hit(QStringView name);
    /// How often `name` was hit so far, fired or not, active or not.
    [[nodiscard]] qint64 hits(QStringView name) const;
    /// Whether `name` is configured (a 0% point is active but never fires).
    [[nodiscard]] bool isActive(QStringView name) const;

private:
    struct Point
    {
        Failpoint config;
        QRandomGenerator random;
    };

    [[nodiscard]] static bool fires(Point &point, qint64 hitNumber);

    mutable QMutex m_mutex;
    QHash<QString, Point> m_points;
    QHash<QString, qint64> m_hits;
};

} // namespace gapless
