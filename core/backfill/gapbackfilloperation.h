#pragma once

#include "core/backfill/gapbackfill.h"

#include <QSet>

namespace gapless::backfill {

/// One running gap backfill, shared by GapBackfill's two sources.
struct GapBackfill::Operation
{
    SeriesId series;
    qint64 expectedNext = 0;
    qint64 actual = 0;
    qint64 from = 0; ///< first slot
    qint64 to = 0;   ///< last slot
    QList<Done> waiters;
    QList<qint64> missing; ///< ascending, after the latest store read
    QSet<qint64> sourceMissing;
    GapResult result;
    int restPending = 0;
    int ingestPending = 0;
    bool restDone = false;
    QString reason = QStringLiteral("gap_backfill"); ///< BF-14 reason
    bool allowRest = true;                           ///< BF-8: tail coverage may not use REST

    [[nodiscard]] qint64 tf() const { return series.timeframe().seconds(); }
};

} // namespace gapless::backfill
