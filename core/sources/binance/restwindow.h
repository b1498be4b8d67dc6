#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace gapless::sources {

/// One klines window of a range fetch (SRC-4): the slots [from, to] of a series.
struct RestWindow
{
    quint64 request = 0; ///< the range it belongs to
    int index = 0;       ///< its place in the range, from 0
    SeriesId series;
    qint64 from = 0;
    qint64 to = 0;
    int limit = 0;
    int attempts = 0;    ///< failed attempts so far (SRC-7; 429/418/403 use none)
};

/// What a window brought: the closed rows, and the closed slots the source had no row for
/// (source_missing, SRC-4). `error` is set when the window failed for good.
struct RestWindowResult
{
    quint64 request = 0;
    int index = 0;
    SeriesId series;
    qint64 from = 0;
    qint64 to = 0;
    CandleList candles;
    QList<qint64> sourceMissing;
    QString error;
};

} // namespace gapless::sources

Q_DECLARE_METATYPE(gapless::sources::RestWindowResult)
