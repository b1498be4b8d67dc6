// ING-11: the pipeline's retry of a journal row.
#include "core/ingest/ingestpipeline.h"

#include "core/domain/canonicaljson.h"
#include "core/store/candlestore.h"

using namespace Qt::StringLiterals;

namespace gapless::ingest {

Result<RunReport> IngestPipeline::retry(qint64 errorId, qint64 runId)
{
    auto entry = m_journalWriter.journal().get(errorId);
    if (!entry)
        return entry.error();
    const QString what = u"ingest error %1"_s.arg(errorId);
    if (entry->step == u"validate"_s)
        return Error::badRequest(what + u": rejected rows cannot be retried; expected a row of step store, factor, "
                                        u"overlay, commit or publish"_s);
    if (entry->status == u"resolved"_s)
        return Error::conflict(what + u": already resolved; expected an open or retried row"_s);
    if (entry->step == u"fetch"_s || entry->step == u"job"_s)
        return Error::badRequest(what + u": step %1 is retried by running its job again; expected a row of step "
                                        u"store, factor, overlay, commit or publish"_s.arg(entry->step));
    auto candles = candlesFromBatchJson(entry->batchJson);
    if (!candles)
        return candles.error();
    auto series = SeriesId::parse(entry->seriesId);
    if (!series)
        return series.error();
    IngestRun again;
    again.runId = runId;
    again.source = u"retry"_s;
    again.requestId = entry->requestId;
    again.jobId = entry->jobId;
    again.retryOf = errorId;
    again.add(*series, *candles);
    RunReport report = run(again);
    if (!report.ok()) {
        // The original row is marked retried; the new row carries retry_of.
        if (m_store.begin()) {
            if (m_journalWriter.journal().markRetried(errorId) && m_store.commit())
                return report;
            (void)m_store.rollback();
        }
    }
    return report;
}

} // namespace gapless::ingest
