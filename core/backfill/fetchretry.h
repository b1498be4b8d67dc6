#pragma once

#include "core/backfill/gapbackfill.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"

#include <QObject>

#include <functional>
#include <optional>

namespace gapless::ingest {
class IngestWriter;
}

namespace gapless::backfill {

/// What retrying a `fetch` journal row did (BF-23): the range fetched again, the BF-3 counts,
/// and whether the row is now resolved (nothing still missing).
struct FetchRetryResult
{
    qint64 errorId = 0;
    SeriesId series;
    qint64 from = 0;
    qint64 to = 0;
    GapResult gap;
    bool resolved = false;
};

/// ING-11 for journal rows of step `fetch` (BF-23): the row's window [first_time, last_time]
/// is backfilled again from its sources (BF-22, REST always allowed); with nothing still
/// missing the row becomes `resolved` by `runId`. A row without a window is retried over
/// BF-22's default range (D-BF-10). Lives on the protocol (or CLI) thread.
class FetchRetry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FetchRetry)
public:
    /// `targetCandles`: sync.target_candles, for an empty series' default range.
    FetchRetry(const Clock &clock, ingest::IngestWriter *writer, GapBackfill *gap, int targetCandles,
               QObject *parent = nullptr);

    /// nullopt: the row is no `fetch` row (ING-11's batch retry applies). Errors: unknown id →
    /// not_found, a resolved row → conflict, a row whose series id is not one → bad_request.
    using Done = std::function<void(const Result<std::optional<FetchRetryResult>> &)>;
    void retry(qint64 errorId, qint64 runId, Done done);

private:
    void run(FetchRetryResult result, qint64 runId, Done done);

    const Clock &m_clock;
    ingest::IngestWriter *m_writer;
    GapBackfill *m_gap;
    int m_targetCandles;
};

} // namespace gapless::backfill
