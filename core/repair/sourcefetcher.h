#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/repair/daybucket.h"
#include "core/repair/verifyrequest.h"
#include "core/runtime/clock.h"

#include <QStringList>

namespace gapless::sources {
class BinanceRestClient;
}

namespace gapless::repair {

/// What a source gave for some day spans of a series: closed rows, ascending and unique by
/// time, and the rows it had that the parser rejected (REP-1).
struct SourceRows
{
    CandleList rows;
    qint64 rejected = 0;
    QStringList rejectedMessages; ///< the first 10, `FILE:LINE: <detail>`
};

/// Reads the REP-1 source of a verify or repair: a candle file (CLI-6..8 parsers, DOM-6..8
/// validation) or the Binance REST client. Blocks the calling thread, running a local event
/// loop while the exchange answers; the REST client must live on this thread.
class SourceFetcher
{
public:
    /// `rest` may be null when only files are read.
    SourceFetcher(sources::BinanceRestClient *rest, const Clock &clock);

    /// The source's rows inside `spans` (ascending, disjoint). A file that cannot be read, or
    /// an exchange range that failed for good, is an error naming it.
    [[nodiscard]] Result<SourceRows> fetch(const SeriesId &series, const SourceSpec &source,
                                           const QList<DaySpan> &spans);

private:
    [[nodiscard]] Result<SourceRows> fetchFile(const SeriesId &series, const QString &path,
                                               const QList<DaySpan> &spans);
    [[nodiscard]] Result<CandleList> fetchExchange(const SeriesId &series, const DaySpan &span);

    sources::BinanceRestClient *m_rest;
    const Clock &m_clock;
};

} // namespace gapless::repair
