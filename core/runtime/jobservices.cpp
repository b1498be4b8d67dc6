#include "core/runtime/jobservices.h"

#include "core/jobs/jobslog.h"
#include "core/jobs/reviewcommands.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/marketserver.h"

#include <QJsonArray>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

using Reply = std::function<void(const protocol::CommandAnswer &)>;

constexpr qint64 kSnapshotWindowMs = 3600 * 1000; // JOB-11: finished in the last hour
const QStringList kJobCommands = {u"backfill"_s, u"verify"_s,      u"repair"_s,
                                  u"import"_s,   u"retry_error"_s, u"review_resolve"_s};

protocol::CommandAnswer failed(const Error &error)
{
    return {error, {}, false};
}

// `limit` of a list command: 1..1000, default 100.
Result<int> listLimit(const QJsonObject &args)
{
    const QJsonValue v = args.value("limit"_L1);
    if (v.isUndefined())
        return 100;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < 1 || d > 1000)
        return Error::badRequest(protocol::gotExpected(u"limit", v, u"a whole number in 1..1000"));
    return int(d);
}

// An optional string argument from a closed set (empty set: any string).
Result<QString> optionalText(const QJsonObject &args, QStringView field, const QStringList &allowed = {})
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return QString();
    if (!v.isString() || (!allowed.isEmpty() && !allowed.contains(v.toString())))
        return Error::badRequest(protocol::gotExpected(
            field, v, allowed.isEmpty() ? u"a string"_s : u"one of "_s + allowed.join(u", "_s)));
    return v.toString();
}

QJsonValue listAnswer(const QList<QJsonObject> &rows, int limit)
{
    QJsonArray items;
    for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), limit); ++i)
        items.append(rows.at(i));
    return QJsonObject{{u"items"_s, items}, {u"has_more"_s, rows.size() > limit}};
}

} // namespace

JobServices::JobServices(const Clock &clock, ingest::IngestWriter *writer, jobs::JobSchedulerOptions options,
                         QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_scheduler(std::make_unique<jobs::JobScheduler>(clock, writer, std::move(options)))
{
}

JobServices::~JobServices() = default;

void JobServices::registerSyncCommand(const QString &name, SyncCommand command)
{
    m_sync[name] = std::move(command);
}

void JobServices::registerLedgerCommand(const QString &name, LedgerCommand command,
                                        std::function<bool(const QJsonObject &)> applies)
{
    m_ledger[name] = {std::move(command), std::move(applies)};
}

void JobServices::registerQuery(const QString &name, LedgerQuery query)
{
    m_queries[name] = std::move(query);
}

void JobServices::publishTo(protocol::MarketServer *server)
{
    connect(m_scheduler.get(), &jobs::JobScheduler::jobChanged, server, &protocol::MarketServer::publishJob);
    connect(m_scheduler.get(), &jobs::JobScheduler::journalRecorded, server,
            &protocol::MarketServer::publishIngestError);
}

bool JobServices::command(const QString &name, const QJsonObject &args, const std::optional<QString> &key,
                          const QString &origin, Reply reply)
{
    if (const auto query = m_queries.find(name); query != m_queries.end()) {
        m_scheduler->withLedger([work = query->second, args](jobs::JobLedger &l) { return work(l.store(), args); },
                                [reply](const Result<QJsonValue> &r) { reply({r, {}, false}); });
        return true;
    }
    const auto ledgerCommand = m_ledger.find(name);
    const bool ledger = ledgerCommand != m_ledger.end() && ledgerCommand->second.second(args);
    const bool job = !ledger && kJobCommands.contains(name) && m_scheduler->hasHandler(name);
    const bool sync = m_sync.contains(name);
    if (job || sync || ledger) {
        // IDEM-1: required for all but verify; IDEM-2: its syntax. Nothing is recorded.
        if (!key && name != "verify"_L1) {
            reply(failed(Error::badRequest(
                u"%1: no idempotency_key; expected one per user action (IDEM-1)"_s.arg(name))));
            return true;
        }
        if (key) {
            if (auto ok = jobs::checkKey(*key); !ok) {
                reply(failed(ok.error()));
                return true;
            }
        }
        if (m_check && m_scheduler->isReady()) {
            if (auto refused = m_check(name, args)) {
                reply(failed(*refused));
                return true;
            }
        }
        // REP-10: resolved_by = actor, else the sender; the job and the work see it, the key does not.
        const QJsonObject workArgs = name == "review_resolve"_L1 ? jobs::withActor(args, origin) : args;
        if (ledger)
            runLedger(name, args, workArgs, *key, std::move(reply));
        else if (job)
            acceptJob(name, args, workArgs, key.value_or(QString()), std::move(reply));
        else
            runSync(name, args, *key, std::move(reply));
        return true;
    }
    if (name == "job_cancel"_L1)
        cancelJob(args, std::move(reply));
    else if (name == "jobs_list"_L1)
        listJobs(args, std::move(reply));
    else if (name == "idempotency_list"_L1)
        listKeys(args, std::move(reply));
    else if (name == "idempotency_delete"_L1)
        deleteKey(args, std::move(reply));
    else
        return false;
    return true;
}

void JobServices::acceptJob(const QString &name, const QJsonObject &args, const QJsonObject &jobArgs,
                            const QString &key, Reply reply)
{
    jobs::JobRow job;
    job.kind = name;
    job.seriesId = args.value("series_id"_L1).toString();
    job.progressUnit = u"candles"_s;
    m_scheduler->accept({key, name, args}, job,
                        [reply](const Result<jobs::KeyDecision> &d, qint64 jobId) {
        if (!d) {
            reply(failed(d.error()));
            return;
        }
        if (d->execute) { // IDEM-8: answered on acceptance
            reply({QJsonValue(QJsonObject{{u"job_id"_s, QString::number(jobId)}, {u"state"_s, u"queued"_s}}),
                   {}, false});
            return;
        }
        reply({d->answer, d->errorData, d->replayed});
    }, jobArgs);
}

void JobServices::runSync(const QString &name, const QJsonObject &args, const QString &key, Reply reply)
{
    m_scheduler->recordKey({key, name, args}, [this, name, args, key, reply](const Result<jobs::KeyDecision> &d) {
        if (!d || !d->execute) {
            reply(d ? protocol::CommandAnswer{d->answer, d->errorData, d->replayed} : failed(d.error()));
            return;
        }
        const PreparedCommand prepared = m_sync.at(name)(args);
        const Result<QJsonValue> answer = prepared.answer;
        if (!answer && !jobs::isBusinessError(answer.error().code)) // IDEM-9: released, logged
            qCWarning(jobs::lcJobs).noquote() << name << "under key" << key << "failed:" << answer.error().message;
        // IDEM-8: the key completes in one transaction; the change applies only once it has.
        m_scheduler->withLedger([key, answer](jobs::JobLedger &l) -> Result<QJsonValue> {
            auto ok = l.keys().complete(key, answer);
            return ok ? Result<QJsonValue>(QJsonValue()) : Result<QJsonValue>(ok.error());
        }, [reply, prepared, answer](const Result<QJsonValue> &completed) {
            if (!completed) {
                reply(failed(completed.error()));
                return;
            }
            if (answer && prepared.apply)
                prepared.apply();
            reply({answer, {}, false});
        });
    });
}

void JobServices::runLedger(const QString &name, const QJsonObject &args, const QJsonObject &workArgs,
                            const QString &key, Reply reply)
{
    m_scheduler->recordKey({key, name, args}, [this, name, args = workArgs, key, reply](const Result<jobs::KeyDecision> &d) {
        if (!d || !d->execute) {
            reply(d ? protocol::CommandAnswer{d->answer, d->errorData, d->replayed} : failed(d.error()));
            return;
        }
        // IDEM-8: the work and the key's completion commit together; a failed work rolls
        // back and completes the key alone (failed, or released for a system error).
        m_scheduler->withLedger([work = m_ledger.at(name).first, args, key](jobs::JobLedger &l) -> Result<QJsonValue> {
            store::CandleStore &store = l.store();
            if (auto ok = store.begin(); !ok)
                return jobs::IdempotencyStore::unavailable(ok.error());
            const Result<QJsonValue> answer = work(store, args);
            if (answer) {
                auto ok = l.keys().completeInTxn(key, answer);
                if (ok)
                    ok = store.commit();
                if (ok)
                    return answer;
                (void)store.rollback();
                (void)l.keys().complete(key, Error::unavailable(ok.error().message));
                return jobs::IdempotencyStore::unavailable(ok.error());
            }
            (void)store.rollback();
            if (auto ok = l.keys().complete(key, answer); !ok)
                return ok.error();
            return answer;
        }, [name, key, reply](const Result<QJsonValue> &r) {
            if (!r && !jobs::isBusinessError(r.error().code)) // IDEM-9: released, logged
                qCWarning(jobs::lcJobs).noquote() << name << "under key" << key << "failed:" << r.error().message;
            reply({r, {}, false});
        });
    });
}

void JobServices::cancelJob(const QJsonObject &args, Reply reply)
{
    const auto id = jobs::parseJobId(args.value("job_id"_L1));
    if (!id) {
        reply(failed(id.error()));
        return;
    }
    m_scheduler->cancel(*id, [reply](const Result<jobs::JobRow> &row) {
        if (!row) {
            reply(failed(row.error()));
            return;
        }
        reply({QJsonValue(row->toEventJson()), {}, false});
    });
}

void JobServices::listJobs(const QJsonObject &args, Reply reply)
{
    jobs::JobFilter filter;
    const auto limit = listLimit(args);
    const auto state = optionalText(args, u"state", jobs::jobStates());
    const auto kind = optionalText(args, u"kind", jobs::jobKinds());
    const auto series = optionalText(args, u"series_id");
    std::optional<qint64> before;
    if (args.contains("before_id"_L1)) {
        const auto id = jobs::parseJobId(args.value("before_id"_L1), u"before_id");
        if (!id) {
            reply(failed(id.error()));
            return;
        }
        before = *id;
    }
    for (const Error *e : {limit ? nullptr : &limit.error(), state ? nullptr : &state.error(),
                           kind ? nullptr : &kind.error(), series ? nullptr : &series.error()}) {
        if (e) {
            reply(failed(*e));
            return;
        }
    }
    filter = {*state, *kind, *series, before, *limit};
    m_scheduler->withLedger([filter](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto rows = l.jobs().list(filter);
        if (!rows)
            return rows.error();
        QList<QJsonObject> items;
        for (const jobs::JobRow &r : *rows)
            items.append(r.toListJson());
        return listAnswer(items, filter.limit);
    }, [reply](const Result<QJsonValue> &r) { reply({r, {}, false}); });
}

void JobServices::listKeys(const QJsonObject &args, Reply reply)
{
    const auto limit = listLimit(args);
    const auto state = optionalText(args, u"state", {u"in_progress"_s, u"succeeded"_s, u"failed"_s});
    if (!limit || !state) {
        reply(failed(!limit ? limit.error() : state.error()));
        return;
    }
    m_scheduler->withLedger([state = *state, limit = *limit](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto rows = l.keys().list(state, limit);
        if (!rows)
            return rows.error();
        QList<QJsonObject> items;
        for (const jobs::KeyRow &r : *rows)
            items.append(r.toJson());
        return listAnswer(items, limit);
    }, [reply](const Result<QJsonValue> &r) { reply({r, {}, false}); });
}

void JobServices::deleteKey(const QJsonObject &args, Reply reply)
{
    const QJsonValue key = args.value("key"_L1);
    if (!key.isString()) {
        reply(failed(Error::badRequest(protocol::gotExpected(u"key", key, u"an idempotency key"))));
        return;
    }
    m_scheduler->withLedger([key = key.toString()](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto ok = l.keys().remove(key);
        if (!ok)
            return ok.error();
        return QJsonValue(QJsonObject{{u"key"_s, key}, {u"deleted"_s, true}});
    }, [reply](const Result<QJsonValue> &r) { reply({r, {}, false}); });
}

void JobServices::snapshot(QObject *context, std::function<void(const QList<QJsonObject> &)> done)
{
    const qint64 since = m_clock.nowMs() - kSnapshotWindowMs;
    QPointer<QObject> guard = context;
    m_scheduler->withLedger([since](jobs::JobLedger &l) -> Result<QJsonValue> {
        auto rows = l.jobs().snapshot(since);
        if (!rows)
            return rows.error();
        QJsonArray items;
        for (const jobs::JobRow &r : *rows)
            items.append(r.toEventJson());
        return QJsonValue(items);
    }, [guard, done](const Result<QJsonValue> &r) {
        if (!guard)
            return;
        QList<QJsonObject> items;
        if (r) {
            for (const QJsonValue &v : r->toArray())
                items.append(v.toObject());
        }
        done(items);
    });
}

} // namespace gapless
