#pragma once

#include "core/domain/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gapless {

/// One parsed item of `debug.failpoints` (OBS-6). The registry that honours it lives elsewhere;
/// this is only its configuration.
struct Failpoint
{
    enum class Trigger {
        Always,      ///< bare NAME: every hit fails
        Count,       ///< NAME=COUNT: the first COUNT hits fail
        Probability, ///< NAME=PROB%: each hit fails with PROB %, seeded by debug.seed
    };

    QString name;
    Trigger trigger = Trigger::Always;
    int count = 0;                 ///< Count: >= 1
    double probabilityPercent = 0; ///< Probability: in [0, 100]

    friend bool operator==(const Failpoint &, const Failpoint &) = default;
};

/// The fixed failpoint names of OBS-6, in SPEC order.
[[nodiscard]] QStringList failpointNames();

/// Parses a comma list of `NAME[=COUNT|=PROB%]`; "" is the empty list. Items are trimmed; an
/// empty item, an unknown NAME, a repeated NAME or a bad COUNT/PROB is an error naming the item.
[[nodiscard]] Result<QList<Failpoint>> parseFailpoints(QStringView text);

} // namespace gapless
