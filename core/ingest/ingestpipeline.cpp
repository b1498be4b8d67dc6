#include "core/ingest/ingestpipeline.h"

#include "core/domain/canonicaljson.h"
#include "core/ingest/batchvalidation.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"

#include <QElapsedTimer>
#include <QSet>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

const QString kFactorStep = u"factor_step"_s;
const QString kOverlayStep = u"overlay_step"_s;

} // namespace

/// The state of one series' pass through the steps.
struct IngestPipeline::Attempt
{
    const IngestRun &run;
    SeriesOutcome out;
    CandleList batch;                  ///< accepted rows, ascending
    bool inTransaction = false;
    bool stored = false;
    store::UpsertResult upsert;
    FactorOutcome factor;
    bool factorUndone = false;         ///< overlay_compensated
    qint64 candlesUndone = 0;
    QString compensationError;
    std::optional<JournalEntry> validateEntry;
    QList<JournalEntry> entriesToPublish;
    qint64 overlayVersions = 0;
    QElapsedTimer timer;
};

IngestPipeline::IngestPipeline(store::CandleStore &store, const PipelineConfig &config, Failpoints &failpoints,
                               EventLog &log, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_config(config)
    , m_failpoints(failpoints)
    , m_log(log)
    , m_clock(clock)
    , m_overlay(store)
    , m_journalWriter(store, failpoints, log)
{
    m_factor.emplace(store, config.factor);
}

void IngestPipeline::setConfig(const PipelineConfig &config)
{
    m_config = config;
    m_factor.emplace(m_store, config.factor);
}

RunReport IngestPipeline::run(const IngestRun &run, const std::function<bool(const SeriesId &)> &moreQueued)
{
    RunReport report;
    report.runId = run.runId;
    for (const auto &[series, candles] : run.batches) {
        report.series.append(runSeries(run, series, candles, moreQueued && moreQueued(series)));
        if (report.series.constLast().fenced)
            report.fenced = run.fence;
    }
    if (auto open = m_journalWriter.journal().openCount(); open)
        m_log.setGauge(u"ingest_errors.open", *open);
    return report;
}

SeriesOutcome IngestPipeline::runSeries(const IngestRun &run, const SeriesId &series, const CandleList &input,
                                        bool moreQueued)
{
    Attempt a{run, {}, {}, false, false, {}, {}, false, 0, {}, {}, {}, 0, {}};
    a.out.series = series;
    a.timer.start();
    flushPending();

    // validate (ING-4): writes nothing; rejected rows go to one journal row, the rest go on.
    const BatchValidation checked = validateBatch(input, series.timeframe(), m_clock.nowSeconds(),
                                                  m_config.ingest.rejectSoftAnomalies);
    a.batch = checked.accepted;
    a.out.rejected = checked.rejected.size();
    a.out.anomalies = checked.anomalies;
    m_log.add(u"candles.rejected", a.out.rejected);
    m_log.add(u"candles.anomalies", a.out.anomalies);
    if (!checked.rejected.isEmpty()) {
        JournalEntry e = entryFor(a, u"validate"_s, checked.rejected,
                                  u"%1 of %2 rows rejected"_s.arg(checked.rejected.size()).arg(input.size()));
        e.rejectedJson = canonicalJson(checked.rejectedJson);
        a.validateEntry = e;
    }
    if (a.batch.isEmpty()) {
        if (a.validateEntry)
            journal(a, *a.validateEntry, false);
        publish(a);
        return a.out;
    }

    m_log.record(u"ingest.started"_s, u"debug"_s, series.toString(), run.runId,
                 {{u"candles"_s, a.batch.size()}, {u"source"_s, run.source}});
    if (auto ok = runSteps(a, moreQueued); !ok)
        return a.out; // failStep has compensated and journalled
    publish(a);
    if (!a.out.ok)
        return a.out; // publish failed: counted and journalled there
    m_log.add(u"ingest.runs.ok");
    m_log.record(u"ingest.done"_s, u"debug"_s, series.toString(), run.runId,
                 {{u"inserted"_s, a.out.inserted}, {u"updated"_s, a.out.updated}, {u"identical"_s, a.out.identical},
                  {u"rejected"_s, a.out.rejected}, {u"duration_ms"_s, a.timer.elapsed()}});
    return a.out;
}

Result<void> IngestPipeline::runSteps(Attempt &a, bool moreQueued)
{
    const SeriesId &series = a.out.series;
    const qint64 atMs = m_clock.nowMs();
    const auto fail = [&](const QString &step, const Error &e) -> Result<void> {
        failStep(a, step, e);
        return e;
    };

    // store (ING-5): one transaction for store, factor and overlay (ING-3).
    if (auto ok = m_store.begin(); !ok)
        return fail(u"store"_s, ok.error());
    a.inTransaction = true;
    if (auto ok = m_failpoints.hit(u"ingest.store"); !ok)
        return fail(u"store"_s, ok.error());
    if (a.run.fence) {
        auto owned = holdFence(m_store, *a.run.fence);
        if (!owned)
            return fail(u"store"_s, owned.error());
        if (!*owned)
            return fenceOut(a);
    }
    store::RevisionContext revision{a.run.source, a.run.runId, a.run.jobId, a.run.requestId, atMs};
    auto upsert = m_store.upsert(series, a.batch, revision);
    if (!upsert)
        return fail(u"store"_s, upsert.error());
    a.upsert = *upsert;
    a.stored = true;
    a.out.inserted = upsert->inserted;
    a.out.updated = upsert->updated;
    a.out.identical = upsert->identical;

    // factor, then overlay (ING-6): a disabled step is skipped; overlay too when factor is.
    if (m_config.factor.enabled) {
        if (auto ok = m_store.savepoint(kFactorStep); !ok)
            return fail(u"factor"_s, ok.error());
        if (auto ok = m_failpoints.hit(u"ingest.factor"); !ok)
            return fail(u"factor"_s, ok.error());
        auto factor = m_factor->apply(series, a.upsert, moreQueued, atMs);
        if (!factor)
            return fail(u"factor"_s, factor.error());
        a.factor = *factor;
        if (a.factor.fingerprintMismatch)
            m_log.record(u"factor.fingerprint_mismatch"_s, u"warning"_s, series.toString(), a.run.runId,
                         {{u"fingerprint"_s, QString::fromLatin1(m_factor->fingerprint())}});
        if (m_config.factor.overlayEnabled && !a.factor.deferred) {
            if (auto ok = m_store.savepoint(kOverlayStep); !ok)
                return fail(u"overlay"_s, ok.error());
            if (auto ok = m_failpoints.hit(u"ingest.overlay"); !ok)
                return fail(u"overlay"_s, ok.error());
            auto versions = m_overlay.apply(series, a.factor, atMs);
            if (!versions)
                return fail(u"overlay"_s, versions.error());
            a.overlayVersions = *versions;
        }
    }

    // The validate row and a retried row's resolution commit with what the run keeps.
    if (a.validateEntry)
        journal(a, *a.validateEntry, true);
    if (a.run.retryOf) {
        if (auto ok = m_journalWriter.journal().markResolved(*a.run.retryOf, a.run.runId, atMs); !ok)
            return fail(u"commit"_s, ok.error());
    }

    // commit: a failure keeps nothing.
    if (auto ok = m_failpoints.hit(u"ingest.commit"); !ok)
        return fail(u"commit"_s, ok.error());
    if (auto ok = m_store.commit(); !ok)
        return fail(u"commit"_s, ok.error());
    a.inTransaction = false;
    m_log.add(u"candles.inserted", a.out.inserted);
    m_log.add(u"candles.updated", a.out.updated);
    m_log.add(u"candles.identical", a.out.identical);
    m_log.add(u"overlay.versions", a.overlayVersions);
    if (a.factor.rebuildReason)
        m_log.add(u"factor.rebuilds");
    return {};
}

Result<void> IngestPipeline::fenceOut(Attempt &a)
{
    // JOB-7: another owner has the job; the batch goes, and nothing is journalled for it.
    const Error error = fencedError(*a.run.fence);
    if (auto ok = m_store.rollback(); !ok)
        reconnect();
    a.inTransaction = false;
    a.out.ok = false;
    a.out.fenced = true;
    a.out.failedStep = u"store"_s;
    a.out.error = error;
    m_log.add(u"ingest.runs.failed");
    m_log.record(u"ingest.fenced"_s, u"warning"_s, a.out.series.toString(), a.run.runId,
                 {{u"job_id"_s, QString::number(a.run.fence->jobId)}, {u"attempts"_s, a.run.fence->attempts},
                  {u"candles"_s, a.batch.size()}});
    return error;
}

void IngestPipeline::reconnect()
{
    if (auto ok = m_store.reconnect(); !ok)
        m_log.record(u"store.reconnect_failed"_s, u"critical"_s, QString(), std::nullopt,
                     {{u"error"_s, ok.error().message}});
    m_factor.emplace(m_store, m_config.factor); // its prepared statements belonged to the old connection
}

void IngestPipeline::undo(Attempt &a, const QString &savepoint)
{
    if (auto ok = m_store.rollbackTo(savepoint); !ok && a.compensationError.isEmpty())
        a.compensationError = ok.error().message;
}

void IngestPipeline::failStep(Attempt &a, const QString &step, const Error &cause)
{
    a.out.ok = false;
    a.out.failedStep = step;
    a.out.error = cause;
    m_log.add(u"ingest.runs.failed");
    const bool compensating = a.inTransaction;
    const QJsonObject flags{{u"compensate_new_candles"_s, m_config.ingest.compensateNewCandles},
                            {u"compensate_overlay_error"_s, m_config.ingest.compensateOverlayError}};
    if (compensating)
        m_log.record(u"compensation.started"_s, u"info"_s, a.out.series.toString(), a.run.runId,
                     {{u"step"_s, step}, {u"flags"_s, flags}});

    // ING-8: the failing step's writes are always rolled back.
    bool keepCandles = false;
    if (a.inTransaction && step == u"factor"_s) {
        undo(a, kFactorStep);
        keepCandles = !m_config.ingest.compensateNewCandles;
    } else if (a.inTransaction && step == u"overlay"_s) {
        undo(a, kOverlayStep);
        if (m_config.ingest.compensateOverlayError) {
            undo(a, kFactorStep);
            a.factorUndone = a.factor.wrote;
            a.factor = {};
        }
        keepCandles = !m_config.ingest.compensateNewCandles;
    }

    // Rows journalled inside the transaction before the failure are redone below.
    a.entriesToPublish.clear();
    a.out.journalId.reset();
    a.out.validateJournalId.reset();
    if (keepCandles && a.compensationError.isEmpty()) {
        // COMMIT what remains, the journal row with it (ING-9).
        if (a.validateEntry)
            journal(a, *a.validateEntry, true);
        journal(a, entryFor(a, step, a.batch, cause.message), true);
        if (auto ok = m_store.commit(); ok) {
            a.inTransaction = false;
            m_log.add(u"candles.inserted", a.out.inserted);
            m_log.add(u"candles.updated", a.out.updated);
            publish(a);
        } else {
            a.compensationError = ok.error().message;
            a.entriesToPublish.clear();
            a.out.journalId.reset();
            a.out.validateJournalId.reset();
        }
    }
    if (a.inTransaction) {
        // Nothing is kept: inserted rows go, updated rows regain their old values.
        if (auto ok = m_store.rollback(); !ok) {
            // ING-8: the connection cannot be trusted after a failed ROLLBACK; an unfinished
            // transaction never commits, so the server has dropped it with the connection.
            a.compensationError = ok.error().message;
            reconnect();
        }
        a.inTransaction = false;
        if (a.stored)
            a.candlesUndone = a.upsert.inserted + a.upsert.updated;
        a.upsert = {};
        a.factor = {};
        a.out.inserted = a.out.updated = a.out.identical = 0;
        a.out.published.clear();
        if (a.validateEntry)
            journal(a, *a.validateEntry, false);
        journal(a, entryFor(a, step, a.batch, cause.message), false);
        publish(a);
    } else if (!keepCandles) {
        if (a.validateEntry)
            journal(a, *a.validateEntry, false);
        journal(a, entryFor(a, step, a.batch, cause.message), false);
        publish(a);
    }
    if (compensating) {
        const bool failed = !a.compensationError.isEmpty();
        m_log.add(failed ? u"compensation.failed" : u"compensation.done");
        m_log.record(failed ? u"compensation.failed"_s : u"compensation.done"_s, failed ? u"critical"_s : u"info"_s,
                     a.out.series.toString(), a.run.runId,
                     {{u"step"_s, step}, {u"flags"_s, flags}, {u"candle_compensated_rows"_s, a.candlesUndone},
                      {u"overlay_compensated"_s, a.factorUndone}, {u"compensation_error"_s, a.compensationError}});
    }
    m_log.record(u"ingest.failed"_s, u"warning"_s, a.out.series.toString(), a.run.runId,
                 {{u"step"_s, step}, {u"error_id"_s, a.out.journalId ? QJsonValue(*a.out.journalId) : QJsonValue()},
                  {u"duration_ms"_s, a.timer.elapsed()}});
}

JournalEntry IngestPipeline::entryFor(const Attempt &a, const QString &step, const CandleList &candles,
                                      const QString &cause) const
{
    JournalEntry e;
    e.atMs = m_clock.nowMs();
    e.runId = a.run.runId;
    e.source = a.run.source;
    e.step = step;
    e.seriesId = a.out.series.toString();
    e.requestId = a.run.requestId;
    e.jobId = a.run.jobId;
    if (!candles.isEmpty()) {
        e.firstTime = candles.constFirst().time;
        e.lastTime = candles.constLast().time;
    }
    e.candleCount = candles.size();
    e.candleCompensatedRows = a.candlesUndone;
    e.overlayCompensated = a.factorUndone;
    e.compensated = a.candlesUndone > 0 || a.factorUndone;
    e.compensationError = a.compensationError;
    e.batchJson = batchJson(candles);
    e.retryOf = step == u"validate"_s ? std::nullopt : a.run.retryOf;
    e.message = journalMessage(step, e.seriesId, e.firstTime, e.lastTime, e.candleCount, cause, a.candlesUndone,
                               a.factorUndone, a.compensationError);
    return e;
}

void IngestPipeline::journal(Attempt &a, JournalEntry entry, bool inTransaction)
{
    // ING-9: with what the run keeps, else alone; ING-10: kept in memory if refused.
    if (const auto id = m_journalWriter.write(entry, inTransaction)) {
        entry.id = *id;
        if (entry.step == u"validate"_s)
            a.out.validateJournalId = *id;
        else
            a.out.journalId = *id;
    }
    a.entriesToPublish.append(entry);
}

void IngestPipeline::publish(Attempt &a)
{
    // ING-13: only after COMMIT; a failing publish keeps everything and is journalled.
    if (a.out.ok && (a.upsert.inserted + a.upsert.updated > 0 || a.factor.rebuildReason)) {
        if (auto fp = m_failpoints.hit(u"ingest.publish"); !fp) {
            a.out.ok = false;
            a.out.failedStep = u"publish"_s;
            a.out.error = fp.error();
            m_log.add(u"ingest.runs.failed");
            journal(a, entryFor(a, u"publish"_s, a.batch, fp.error().message), false);
            for (const JournalEntry &e : std::as_const(a.entriesToPublish))
                emit ingestErrorRecorded(e);
            a.entriesToPublish.clear();
            return;
        }
    }
    if (a.upsert.inserted + a.upsert.updated > 0 && !a.inTransaction) {
        QSet<qint64> changed(a.upsert.insertedTimes.cbegin(), a.upsert.insertedTimes.cend());
        changed.unite(QSet<qint64>(a.upsert.updatedTimes.cbegin(), a.upsert.updatedTimes.cend()));
        for (const Candle &c : std::as_const(a.batch)) {
            if (changed.contains(c.time))
                a.out.published.append(c);
        }
        if (!a.out.published.isEmpty())
            emit candlesCommitted(a.out.series, a.out.published);
    }
    if (a.factor.rebuildReason) {
        const QJsonObject data{{u"series_id"_s, a.out.series.toString()}, {u"reason"_s, *a.factor.rebuildReason}};
        m_log.record(u"factor.rebuild"_s, u"info"_s, a.out.series.toString(), a.run.runId, data);
        emit systemEvent(u"factor.rebuild"_s, a.out.series.toString(), data);
    }
    for (const JournalEntry &e : std::as_const(a.entriesToPublish))
        emit ingestErrorRecorded(e);
    a.entriesToPublish.clear();
}

void IngestPipeline::flushPending()
{
    for (const JournalEntry &e : m_journalWriter.flush())
        emit ingestErrorRecorded(e);
}

} // namespace gapless::ingest
