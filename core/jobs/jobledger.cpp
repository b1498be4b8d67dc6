#include "core/jobs/jobledger.h"

#include "core/domain/canonicaljson.h"
#include "core/ingest/errorjournal.h"
#include "core/store/candlestore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

QString journalSourceOf(const QString &kind)
{
    if (kind == "backfill"_L1 || kind == "import"_L1)
        return kind;
    if (kind == "retry_error"_L1)
        return u"retry"_s;
    if (kind == "review_resolve"_L1)
        return u"review"_s;
    return u"repair"_s; // repair, verify
}

JobLedger::JobLedger(store::CandleStore &store, const Clock &clock, int nodeId, int ttlS)
    : m_store(store)
    , m_clock(clock)
    , m_keys(store, clock, nodeId, ttlS)
    , m_jobs(store)
{
}

Result<Transition> JobLedger::inTransaction(const std::function<Result<Transition>()> &work)
{
    if (auto ok = m_store.begin(); !ok)
        return ok.error();
    auto t = work();
    if (t && t->applied) {
        if (auto ok = m_store.commit(); !ok) {
            (void)m_store.rollback();
            return ok.error();
        }
        return t;
    }
    (void)m_store.rollback();
    return t;
}

Result<std::optional<JobRow>> JobLedger::claim(qint64 jobId)
{
    auto t = inTransaction([&]() -> Result<Transition> {
        auto claimed = m_jobs.claim(jobId, m_clock.nowMs());
        if (!claimed)
            return claimed.error();
        Transition t;
        if (!*claimed)
            return t;
        auto row = m_jobs.get(jobId);
        if (!row)
            return row.error();
        t.applied = row->has_value();
        if (t.applied)
            t.job = **row;
        return t;
    });
    if (!t)
        return t.error();
    return t->applied ? std::optional<JobRow>(t->job) : std::nullopt;
}

ingest::JournalEntry JobLedger::journalEntry(const JobRow &job, const QString &message) const
{
    ingest::JournalEntry e;
    e.atMs = m_clock.nowMs();
    e.source = journalSourceOf(job.kind);
    e.step = u"job"_s;
    e.seriesId = job.seriesId;
    e.jobId = job.jobId;
    e.message = job.idempotencyKey.isEmpty()
                    ? u"job %1 (%2) failed: %3"_s.arg(QString::number(job.jobId), job.kind, message)
                    : u"job %1 (%2, key %3) failed: %4"_s.arg(QString::number(job.jobId), job.kind,
                                                               job.idempotencyKey, message);
    return e;
}

Result<void> JobLedger::appendJournal(Transition &t, const JobRow &job, const QString &message)
{
    ingest::JournalEntry e = journalEntry(job, message);
    // D-JOB-12: a retry_error job has no series of its own; its row names the retried row's.
    if (e.seriesId.isEmpty() && job.kind == "retry_error"_L1) {
        const QJsonValue id = QJsonDocument::fromJson(job.argsJson).object().value("id"_L1);
        if (auto retried = ingest::ErrorJournal(m_store).get(qint64(id.toDouble())); id.isDouble() && retried)
            e.seriesId = retried->seriesId;
    }
    // D-JOB-12: a job with no series (review_resolve) journals an empty one, as
    // ingest_errors.series_id is required; a NULL would fail the job's final transaction.
    if (e.seriesId.isEmpty())
        e.seriesId = u""_s;
    auto id = ingest::ErrorJournal(m_store).append(e);
    if (!id)
        return id.error();
    e.id = *id;
    t.journal.append(e);
    return {};
}

Result<Transition> JobLedger::finish(const JobRow &running, const QString &state, const Result<QJsonValue> &outcome)
{
    return inTransaction([&]() -> Result<Transition> {
        Transition t;
        t.job = running;
        t.job.state = state;
        t.job.finishedAtMs = m_clock.nowMs();
        t.job.heartbeatAtMs = t.job.finishedAtMs;
        if (outcome) {
            t.job.resultJson = canonicalJson(*outcome);
        } else {
            t.job.errorCode = outcome.error().codeName();
            t.job.errorMessage = outcome.error().message;
        }
        auto n = m_jobs.finishRunning(t.job, m_clock.nowMs());
        if (!n)
            return n.error();
        if (*n == 0)
            return t; // fenced: another owner has the job now
        t.applied = true;
        if (!running.idempotencyKey.isEmpty()) {
            Result<QJsonValue> keyOutcome = outcome;
            if (outcome)
                keyOutcome = QJsonValue(QJsonObject{{u"job_id"_s, QString::number(running.jobId)},
                                                    {u"state"_s, state},
                                                    {u"result"_s, *outcome}});
            if (auto ok = m_keys.completeInTxn(running.idempotencyKey, keyOutcome); !ok)
                return ok.error();
        }
        if (!outcome && !isBusinessError(outcome.error().code)) {
            if (auto ok = appendJournal(t, t.job, outcome.error().message); !ok)
                return ok.error();
        }
        return t;
    });
}

Result<Transition> JobLedger::defer(const JobRow &running, const Error &error, qint64 nextAttemptAtMs)
{
    return inTransaction([&]() -> Result<Transition> {
        Transition t;
        auto n = m_jobs.requeue(running, nextAttemptAtMs, error);
        if (!n)
            return n.error();
        t.applied = *n == 1;
        t.job = running;
        t.job.state = u"queued"_s;
        t.job.nextAttemptAtMs = nextAttemptAtMs;
        t.job.errorCode = error.codeName();
        t.job.errorMessage = error.message;
        return t;
    });
}

Result<Transition> JobLedger::cancel(qint64 jobId)
{
    return inTransaction([&]() -> Result<Transition> {
        auto row = m_jobs.get(jobId);
        if (!row)
            return row.error();
        if (!*row)
            return Error::notFound(u"job_id '%1': no such job; expected a job of jobs_list"_s.arg(jobId));
        Transition t;
        t.job = **row;
        const QString &state = t.job.state;
        if (state == "succeeded"_L1 || state == "failed"_L1)
            return Error::conflict(u"job %1: already %2; expected a queued or running job"_s.arg(
                QString::number(jobId), state));
        if (state == "cancelled"_L1)
            return t; // JOB-10: re-cancel is ok, nothing changes
        if (state == "queued"_L1) {
            auto n = m_jobs.cancelQueued(jobId, m_clock.nowMs());
            if (!n)
                return n.error();
            if (!t.job.idempotencyKey.isEmpty()) {
                if (auto ok = m_keys.failInTxn(t.job.idempotencyKey, Error::conflict(u"cancelled"_s)); !ok)
                    return ok.error();
            }
        } else if (auto n = m_jobs.requestCancel(jobId); !n) {
            return n.error();
        }
        auto after = m_jobs.get(jobId);
        if (!after || !*after)
            return after ? Error::internal(u"job %1 vanished during cancel"_s.arg(jobId)) : after.error();
        t.job = **after;
        t.applied = true;
        return t;
    });
}

Result<QList<Transition>> JobLedger::reapZombies(std::optional<int> nodeId, qint64 staleBeforeMs)
{
    auto running = m_jobs.running(nodeId, nodeId ? std::nullopt : std::optional<qint64>(staleBeforeMs));
    if (!running)
        return running.error();
    QList<Transition> out;
    for (const JobRow &job : *running) {
        const QString since = QDateTime::fromMSecsSinceEpoch(job.heartbeatAtMs.value_or(0), Qt::UTC)
                                  .toString(Qt::ISODateWithMs);
        const QString message = u"zombie: no heartbeat since %1"_s.arg(since);
        auto t = inTransaction([&]() -> Result<Transition> {
            Transition t;
            auto n = m_jobs.failZombie(job.jobId, message, m_clock.nowMs());
            if (!n)
                return n.error();
            if (*n == 0)
                return t;
            t.applied = true;
            if (!job.idempotencyKey.isEmpty()) {
                if (auto ok = m_keys.releaseInTxn(job.idempotencyKey); !ok)
                    return ok.error();
            }
            auto after = m_jobs.get(job.jobId);
            if (!after)
                return after.error();
            t.job = after->value_or(job);
            if (auto ok = appendJournal(t, t.job, message); !ok)
                return ok.error();
            return t;
        });
        if (!t)
            return t.error();
        if (t->applied)
            out.append(*t);
    }
    auto orphans = m_keys.orphans(nodeId, staleBeforeMs);
    if (!orphans)
        return orphans.error();
    for (const KeyRow &key : *orphans) {
        auto t = inTransaction([&]() -> Result<Transition> {
            Transition t;
            if (auto ok = m_keys.releaseInTxn(key.key); !ok)
                return ok.error();
            t.applied = true;
            JobRow pseudo;
            pseudo.jobId = key.jobId.value_or(0);
            pseudo.kind = key.command;
            pseudo.idempotencyKey = key.key;
            ingest::JournalEntry e = journalEntry(pseudo, u"orphan key: no live job or command (IDEM-12)"_s);
            if (!key.jobId)
                e.jobId.reset();
            auto id = ingest::ErrorJournal(m_store).append(e);
            if (!id)
                return id.error();
            e.id = *id;
            t.journal.append(e);
            return t;
        });
        if (!t)
            return t.error();
        out.append(*t); // job_id 0: a key without a job row, journal only
    }
    return out;
}

} // namespace gapless::jobs
