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
    bool viaBase = false;         ///< level 3 of a derived timeframe: 1m REST, then roll-up (BF-2)
    QList<qint64> baseMissing;    ///< the base minutes asked of REST, ascending
    QSet<qint64> baseSourceMissing;
    RunTag tag; ///< the job the runs are for

    [[nodiscard]] qint64 tf() const { return series.timeframe().seconds(); }
};

} // namespace gapless::backfill
