#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"

#include <QString>

namespace gapless::repair {

/// REP-1 `source`: `exchange` (the Binance REST client) or `file:PATH`.
struct SourceSpec
{
    bool isFile = false;
    QString path; ///< the file, when isFile

    /// `exchange` or `file:PATH`, as the request spells it.
    [[nodiscard]] QString text() const { return isFile ? QStringLiteral("file:") + path : QStringLiteral("exchange"); }
    /// Empty text is `exchange` (the default); anything but the two forms is bad_request.
    [[nodiscard]] static Result<SourceSpec> parse(const QString &text);
};

/// A checked verify range (REP-1): [from, to) aligned to the timeframe and clipped to closed bars.
struct VerifyRequest
{
    SeriesId series;
    qint64 from = 0;
    qint64 to = 0; ///< exclusive
    SourceSpec source;
};

/// Checks REP-1's arguments: from and to aligned to the series' timeframe, from < to, the source
/// one of the two forms and `exchange` only for binance spot or futures (DOM-3); then clips `to`
/// to the end of the newest bar closed at `nowSeconds`. A range with no closed bar is bad_request.
[[nodiscard]] Result<VerifyRequest> makeVerifyRequest(const SeriesId &series, qint64 from, qint64 to,
                                                      const QString &source, qint64 nowSeconds);

} // namespace gapless::repair
