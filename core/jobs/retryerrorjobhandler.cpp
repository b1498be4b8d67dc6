#include "core/jobs/retryerrorjobhandler.h"

#include "core/backfill/backfillreportjson.h"
#include "core/backfill/fetchretry.h"
#include "core/ingest/errorjournal.h"
#include "core/ingest/ingestreportjson.h"
#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "core/protocol/clientframe.h"
#include "core/sources/binance/binancerestclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QPointer>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

Result<qint64> errorIdArg(const QJsonObject &args)
{
    const QJsonValue v = args.value("id"_L1);
    const double d = v.toDouble(-1.5);
    if (!v.isDouble() || d != std::floor(d) || d < 1 || d > 9e15)
        return Error::badRequest(protocol::gotExpected(u"id", v, u"a positive whole number, an ingest error id (ING-11)"));
    return qint64(d);
}

// A failure of the retry keeps its cause's class: business unless the cause is a system error.
Error stillOpen(const Error &cause, const QString &message)
{
    return Error{isBusinessError(cause.code) ? ErrorCode::Conflict : cause.code, message};
}

} // namespace

RetryErrorJobHandler::RetryErrorJobHandler(const Clock &clock, ingest::IngestWriter *writer,
                                           backfill::FetchRetry *fetch, const sources::BinanceRestClient *rest,
                                           JobScheduler *scheduler, std::function<int()> workers)
    : m_clock(clock)
    , m_writer(writer)
    , m_fetch(fetch)
    , m_rest(rest)
    , m_scheduler(scheduler)
    , m_workers(std::move(workers))
{
}

qint64 RetryErrorJobHandler::nextRunId()
{
    return m_clock.nowMs() * 1000 + (++m_runCounter % 1000);
}

void RetryErrorJobHandler::run(JobContext &context)
{
    const auto id = errorIdArg(context.args());
    if (!id) {
        context.fail(id.error());
        return;
    }
    context.progress(0, 1, u"rows"_s, u"retry"_s);
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    m_writer->post([this, guard, ctx, id = *id](store::CandleStore *store) {
        Result<ingest::JournalEntry> entry = store ? ingest::ErrorJournal(*store).get(id)
                                                   : Result<ingest::JournalEntry>(Error::unavailable(
                                                         u"ingest error %1: the store is not open; expected an open "
                                                         u"store"_s.arg(id)));
        // The scheduler outlives every job: the answer lands on its thread, then checks the job.
        QMetaObject::invokeMethod(m_scheduler, [this, guard, ctx, entry] {
            if (!guard)
                return;
            if (!entry)
                ctx->fail(entry.error());
            else
                dispatch(*ctx, *entry);
        }, Qt::QueuedConnection);
    });
}

void RetryErrorJobHandler::dispatch(JobContext &context, const ingest::JournalEntry &entry)
{
    const QString what = u"ingest error %1"_s.arg(entry.id);
    if (entry.step == "validate"_L1) {
        context.fail(Error::badRequest(what + u": rejected rows cannot be retried; expected a row of step store, "
                                              u"factor, overlay, commit, publish, fetch or job"_s));
        return;
    }
    if (entry.status == "resolved"_L1) {
        context.fail(Error::conflict(what + u": already resolved; expected an open or retried row"_s));
        return;
    }
    if (context.checkpoint() != Checkpoint::Continue) {
        context.stop();
        return;
    }
    if (entry.step == "fetch"_L1)
        retryFetch(context, entry.id);
    else if (entry.step == "job"_L1)
        retryJob(context, entry);
    else
        retryBatch(context, entry.id);
}

void RetryErrorJobHandler::retryBatch(JobContext &context, qint64 errorId)
{
    const qint64 runId = nextRunId();
    JobContext *ctx = &context;
    QObject::connect(m_writer, &ingest::IngestWriter::retryFailed, context.guard(),
                     [ctx, errorId](qint64 id, const Error &e) {
        if (id == errorId)
            ctx->fail(e);
    }, Qt::QueuedConnection);
    QObject::connect(m_writer, &ingest::IngestWriter::retryFinished, context.guard(),
                     [ctx, errorId, runId](qint64 id, const ingest::RunReport &report) {
        if (id != errorId || report.runId != runId || report.series.isEmpty())
            return;
        const ingest::SeriesOutcome &s = report.series.constFirst();
        if (!s.ok) {
            const Error cause = s.error.value_or(Error::internal(s.failedStep));
            const QString again = s.journalId ? u"; journalled as ingest error %1"_s.arg(*s.journalId) : QString();
            ctx->fail(stillOpen(cause, u"ingest error %1: retry failed (%2)%3; expected the fault to be cleared "
                                       u"before a retry"_s.arg(QString::number(errorId), cause.message, again)));
            return;
        }
        ctx->progress(1, 1, u"rows"_s, u"retry"_s);
        QJsonObject result = ingest::batchRetryJson(errorId, runId, s);
        result.insert(u"job_id"_s, QString::number(ctx->jobId()));
        ctx->succeed(result);
    }, Qt::QueuedConnection);
    m_writer->retryError(errorId, runId);
}

void RetryErrorJobHandler::retryFetch(JobContext &context, qint64 errorId)
{
    if (!m_fetch) {
        context.fail(Error::unavailable(u"ingest error %1: this core has no backfill sources; expected a core with "
                                        u"sources to retry a fetch row"_s.arg(errorId)));
        return;
    }
    const qint64 runId = nextRunId();
    const qint64 requestsBefore = m_rest ? m_rest->requestCount() : 0;
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    m_fetch->retry(errorId, runId, [this, guard, ctx, errorId, runId, requestsBefore, timer](
                                       const Result<std::optional<backfill::FetchRetryResult>> &outcome) {
        if (!guard)
            return;
        if (!outcome) {
            ctx->fail(outcome.error());
            return;
        }
        if (!*outcome) { // the row changed step under us: not a fetch row any more
            ctx->fail(Error::conflict(u"ingest error %1: no longer a fetch row; expected it unchanged during the "
                                      u"retry"_s.arg(errorId)));
            return;
        }
        const backfill::FetchRetryResult &r = **outcome;
        if (!r.resolved) {
            ctx->fail(Error::conflict(u"ingest error %1 stays open: %2 still missing in [%3, %4]; expected the "
                                      u"source to serve the range"_s.arg(QString::number(errorId))
                                          .arg(r.gap.stillMissing)
                                          .arg(r.from)
                                          .arg(r.to)));
            return;
        }
        const qint64 requests = m_rest ? m_rest->requestCount() - requestsBefore : 0;
        QJsonObject result = backfill::fetchRetryJson(r, runId, requests, timer->elapsed());
        result.insert(u"job_id"_s, QString::number(ctx->jobId()));
        ctx->progress(1, 1, u"rows"_s, u"retry"_s);
        ctx->succeed(result);
    });
}

void RetryErrorJobHandler::retryJob(JobContext &context, const ingest::JournalEntry &entry)
{
    const QString what = u"ingest error %1"_s.arg(entry.id);
    if (!entry.jobId) {
        context.fail(Error::badRequest(what + u": a job row without a job id; expected the failed job's id"_s));
        return;
    }
    // D-JOB-10: this job waits for the new one, so both need a worker.
    if (m_workers() < 2) {
        context.fail(Error::conflict(what + u": jobs.workers is 1; expected at least 2 to run the failed job "
                                            u"again while this retry waits for it"_s));
        return;
    }
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    const qint64 failedId = *entry.jobId;
    m_scheduler->withLedger([failedId](JobLedger &l) -> Result<QJsonValue> {
        auto row = l.jobs().get(failedId);
        if (!row)
            return row.error();
        if (!*row)
            return Error::notFound(u"job %1: not found; expected the failed job's row"_s.arg(failedId));
        return QJsonValue(QJsonObject{{u"kind"_s, (*row)->kind},
                                      {u"series_id"_s, (*row)->seriesId},
                                      {u"args"_s, QJsonDocument::fromJson((*row)->argsJson).object()}});
    }, [this, guard, ctx, entry, what](const Result<QJsonValue> &failed) {
        if (!guard)
            return;
        if (!failed) {
            ctx->fail(failed.error().code == ErrorCode::NotFound
                          ? Error::notFound(what + u": "_s + failed.error().message)
                          : failed.error());
            return;
        }
        const QJsonObject row = failed->toObject();
        // One key per retry job: a deferred or replayed retry finds the job it started.
        const KeyRequest request{u"retry_error:%1"_s.arg(ctx->jobId()), row.value("kind"_L1).toString(),
                                 row.value("args"_L1).toObject()};
        JobRow job;
        job.kind = request.command;
        job.seriesId = row.value("series_id"_L1).toString();
        job.progressUnit = u"candles"_s;
        m_scheduler->accept(request, job, [this, guard, ctx, entry](const Result<KeyDecision> &d, qint64 newId) {
            if (!guard)
                return;
            if (!d) {
                ctx->fail(d.error());
                return;
            }
            qint64 id = newId;
            if (!d->execute) {
                const QJsonValue known = d->answer ? d->answer->toObject().value("job_id"_L1)
                                                   : d->errorData.value("job_id"_L1);
                if (!known.isString()) {
                    ctx->fail(d->answer ? Error::internal(u"ingest error %1: the retry's key holds no job"_s.arg(
                                              entry.id))
                                        : d->answer.error());
                    return;
                }
                id = known.toString().toLongLong();
            }
            awaitJob(*ctx, entry, id);
        });
    });
}

void RetryErrorJobHandler::awaitJob(JobContext &context, const ingest::JournalEntry &entry, qint64 newJobId)
{
    QPointer<QObject> guard = context.guard();
    JobContext *ctx = &context;
    auto settled = std::make_shared<bool>(false);
    const qint64 atMs = m_clock.nowMs();
    // Reads the new job's row; once it is terminal, resolves the journal row if it succeeded.
    auto check = [this, guard, ctx, entry, newJobId, settled, atMs] {
        if (!guard || *settled)
            return;
        m_scheduler->withLedger([entryId = entry.id, newJobId, atMs](JobLedger &l) -> Result<QJsonValue> {
            auto row = l.jobs().get(newJobId);
            if (!row)
                return row.error();
            if (!*row || !(*row)->isTerminal())
                return QJsonValue();
            const JobRow &job = **row;
            if (job.state == "succeeded"_L1) {
                if (auto ok = ingest::ErrorJournal(l.store()).markResolved(entryId, newJobId, atMs); !ok)
                    return ok.error();
            }
            return QJsonValue(job.toEventJson());
        }, [guard, ctx, entry, newJobId, settled](const Result<QJsonValue> &r) {
            if (!guard || *settled)
                return;
            if (!r) {
                *settled = true;
                ctx->fail(r.error());
                return;
            }
            if (!r->isObject())
                return; // not ended yet: jobEnded calls again
            *settled = true;
            const QJsonObject job = r->toObject();
            const QString state = job.value("state"_L1).toString();
            if (state != "succeeded"_L1) {
                const QJsonObject error = job.value("error"_L1).toObject();
                ErrorCode code = ErrorCode::Internal;
                if (!errorCodeFromName(error.value("code"_L1).toString(), &code))
                    code = ErrorCode::Conflict;
                ctx->fail(stillOpen(Error{code, {}},
                                    u"ingest error %1 stays open: job %2 (%3) ended %4: %5; expected the failed job "
                                    u"to succeed when run again"_s.arg(QString::number(entry.id),
                                                                       QString::number(newJobId),
                                                                       job.value("kind"_L1).toString(), state,
                                                                       error.value("message"_L1).toString())));
                return;
            }
            ctx->progress(1, 1, u"rows"_s, u"retry"_s);
            ctx->succeed(QJsonObject{{u"id"_s, entry.id},
                                     {u"status"_s, u"resolved"_s},
                                     {u"job_id"_s, QString::number(ctx->jobId())},
                                     {u"retry_job_id"_s, QString::number(newJobId)},
                                     {u"kind"_s, job.value("kind"_L1)},
                                     {u"result"_s, job.value("result"_L1)}});
        });
    };
    QObject::connect(m_scheduler, &JobScheduler::jobEnded, context.guard(), [newJobId, check](qint64 id, const QString &) {
        if (id == newJobId)
            check();
    });
    check(); // it may have ended already (a replayed key)
}

} // namespace gapless::jobs
