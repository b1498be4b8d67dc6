// verify, repair, review_resolve and review_list through the protocol on a real core (REP-1,
// REP-6, REP-8..10, REP-12, REP-14, IDEM-6/8, JOB-10/11): the SSE 000001 data with three
// bars corrupted on three days and a fourth day deleted, checked and repaired by jobs.
#include "core/repair/daybucket.h"
#include "tests/repair/repairfixture.h"
#include "tests/support/frameclient.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

QString code(const QJsonObject &result)
{
    return result.value("error"_L1).toObject().value("code"_L1).toString();
}

QJsonObject data(const QJsonObject &result)
{
    return result.value("data"_L1).toObject();
}

bool terminal(const QString &state)
{
    return state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1;
}

} // namespace

class TestRepairJobs final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rep14_verifyThenRepairByVerifyJobId();
    void rep10_reviewListAndResolve();
    void rep12_unknownSeriesIsNotFoundAndRecordsNothing();
    void rep6_badArgumentsFailTheKey();

private:
    void damage();
    QJsonObject run(const QString &name, const QJsonObject &args, const QString &key = {});
    /// The job's events from the `jobs` topic up to its terminal one (empty: none came).
    QList<QJsonObject> follow(const QString &jobId);
    QJsonObject finish(const QString &jobId);

    std::unique_ptr<RepairFixture> m_fx;
    std::unique_ptr<FrameClient> m_client;
    QList<qint64> m_corrupted;
    CandleList m_deletedDay;
    QStringList m_days;
    int m_request = 0;
};

void TestRepairJobs::init()
{
    m_fx = std::make_unique<RepairFixture>();
    QVERIFY2(m_fx->start(), qPrintable(m_fx->core().error()));
    m_client = std::make_unique<FrameClient>();
    QVERIFY(m_client->open(m_fx->core().url()));
    m_client->sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    m_corrupted.clear();
    m_days.clear();
}

void TestRepairJobs::cleanup()
{
    m_client.reset();
    m_fx.reset();
}

void TestRepairJobs::damage()
{
    // One bar in the middle of days 1, 3 and 5; all of day 7 deleted.
    for (const int d : {1, 3, 5}) {
        const CandleList rows = m_fx->day(d);
        QVERIFY(!rows.isEmpty());
        const qint64 t = rows.at(rows.size() / 2).time;
        QVERIFY(m_fx->corrupt(t, 0.01 * d));
        m_corrupted.append(t);
        m_days.append(repair::DaySpan{t, t + 60}.name());
    }
    m_deletedDay = m_fx->day(7);
    QVERIFY(!m_deletedDay.isEmpty());
    QVERIFY(m_fx->erase(m_deletedDay.first().time, m_deletedDay.last().time + 60));
    m_days.append(repair::DaySpan{m_deletedDay.first().time, m_deletedDay.first().time + 60}.name());
}

QJsonObject TestRepairJobs::run(const QString &name, const QJsonObject &args, const QString &key)
{
    const QString id = u"r%1"_s.arg(++m_request);
    QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
    if (!key.isEmpty())
        frame.insert(u"idempotency_key"_s, key);
    m_client->sendJson(frame);
    return m_client->waitFor([&](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    });
}

QList<QJsonObject> TestRepairJobs::follow(const QString &jobId)
{
    const QJsonObject last = m_client->waitFor([&](const QJsonObject &f) {
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId
               && terminal(f.value("state"_L1).toString());
    }, 30000);
    if (last.isEmpty())
        return {};
    QList<QJsonObject> events;
    for (const QJsonObject &f : m_client->frames()) {
        if (type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId)
            events.append(f);
    }
    return events;
}

QJsonObject TestRepairJobs::finish(const QString &jobId)
{
    const QList<QJsonObject> events = follow(jobId);
    return events.isEmpty() ? QJsonObject() : events.last();
}

void TestRepairJobs::rep14_verifyThenRepairByVerifyJobId()
{
    damage();
    const QJsonObject args{{u"series_id"_s, m_fx->series().toString()},
                           {u"from"_s, double(m_fx->from())},
                           {u"to"_s, double(m_fx->to())},
                           {u"source"_s, m_fx->sourceText()}};
    QJsonObject r = run(u"verify"_s, args, u"verify-1"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    QCOMPARE(data(r).value("state"_L1).toString(), u"queued"_s); // IDEM-8: answered on acceptance
    const QString verifyId = data(r).value("job_id"_L1).toString();

    // JOB-11: queued → running → succeeded on the jobs topic, with the verify's progress.
    const QList<QJsonObject> events = follow(verifyId);
    QVERIFY2(!events.isEmpty(), "no terminal job event for the verify");
    QStringList states;
    for (const QJsonObject &e : events) {
        if (states.isEmpty() || states.last() != e.value("state"_L1).toString())
            states.append(e.value("state"_L1).toString());
    }
    QCOMPARE(states, (QStringList{u"queued"_s, u"running"_s, u"succeeded"_s}));
    const QJsonObject done = events.last();
    const QJsonObject progress = done.value("progress"_L1).toObject();
    QCOMPARE(progress.value("unit"_L1).toString(), u"buckets"_s);
    QCOMPARE(progress.value("note"_L1).toString(), u"verify"_s);
    QVERIFY(progress.value("total"_L1).toInteger() > 4);
    QCOMPARE(progress.value("done"_L1).toInteger(), progress.value("total"_L1).toInteger());

    // REP-14: exactly the four damaged days.
    const QJsonObject result = done.value("result"_L1).toObject();
    QCOMPARE(result.value("buckets_differ"_L1).toInt(), 4);
    QStringList found;
    for (const QJsonValue &v : result.value("buckets"_L1).toArray()) {
        if (v.toObject().value("local_sha256"_L1) != v.toObject().value("source_sha256"_L1))
            found.append(v.toObject().value("day"_L1).toString());
    }
    QCOMPARE(found, m_days);

    // IDEM-6: the same key again is the same job, replayed with its cached result.
    r = run(u"verify"_s, args, u"verify-1"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(data(r).value("job_id"_L1).toString(), verifyId);
    QCOMPARE(data(r).value("result"_L1).toObject(), result);
    QCOMPARE(data(run(u"jobs_list"_s, {{u"kind"_s, u"verify"_s}})).value("items"_L1).toArray().size(), 1);

    // REP-6: the verify_job_id form rewrites exactly those rows, each revision tagged with the job.
    r = run(u"repair"_s, {{u"verify_job_id"_s, verifyId}, {u"policy"_s, u"source_wins"_s}}, u"repair-1"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    const QString repairId = data(r).value("job_id"_L1).toString();
    const QJsonObject repaired = finish(repairId);
    QCOMPARE(repaired.value("state"_L1).toString(), u"succeeded"_s);
    const QJsonObject rr = repaired.value("result"_L1).toObject();
    QCOMPARE(rr.value("rows_inserted"_L1).toInteger(), m_deletedDay.size());
    QCOMPARE(rr.value("rows_updated"_L1).toInt(), 3);
    QCOMPARE(rr.value("write_amplification"_L1).toDouble(), 1.0);
    QCOMPARE(rr.value("residual_buckets"_L1).toInt(), 0);
    QCOMPARE(rr.value("job_id"_L1).toString(), repairId);
    QVariantList times;
    for (const qint64 t : m_corrupted)
        times.append(t);
    QCOMPARE(m_fx->query(u"SELECT candle_time FROM candle_revisions WHERE job_id = ? ORDER BY candle_time"_s,
                         {repairId.toLongLong()}),
             times);
    QCOMPARE(m_fx->query(u"SELECT DISTINCT cause FROM candle_revisions WHERE job_id = ?"_s, {repairId.toLongLong()}),
             (QVariantList{u"repair"_s}));
    QCOMPARE(m_fx->core().stored(m_fx->series()), m_fx->data());

    // Re-verify (keyless, IDEM-1) is clean.
    r = run(u"verify"_s, args);
    QVERIFY(r.value("ok"_L1).toBool());
    const QJsonObject again = finish(data(r).value("job_id"_L1).toString());
    QCOMPARE(again.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(again.value("result"_L1).toObject().value("buckets_differ"_L1).toInt(), 0);
}

void TestRepairJobs::rep10_reviewListAndResolve()
{
    damage();
    const QString series = m_fx->series().toString();
    QJsonObject r = run(u"repair"_s,
                        {{u"series_id"_s, series},
                         {u"from"_s, double(m_fx->from())},
                         {u"to"_s, double(m_fx->to())},
                         {u"source"_s, m_fx->sourceText()},
                         {u"policy"_s, u"manual_review"_s}},
                        u"review-repair"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    const QJsonObject repaired = finish(data(r).value("job_id"_L1).toString());
    QCOMPARE(repaired.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(repaired.value("result"_L1).toObject().value("review_items"_L1).toInt(), 3);

    // REP-10: review_list answers the open items by id.
    r = run(u"review_list"_s, {{u"series_id"_s, series}});
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    const QJsonArray items = data(r).value("items"_L1).toArray();
    QCOMPARE(items.size(), 3);
    QCOMPARE(data(r).value("has_more"_L1).toBool(), false);
    QList<qint64> ids;
    for (const QJsonValue &v : items) {
        QCOMPARE(v.toObject().value("state"_L1).toString(), u"open"_s);
        ids.append(v.toObject().value("id"_L1).toInteger());
    }
    QCOMPARE(items.at(0).toObject().value("candle_time"_L1).toInteger(), m_corrupted.at(0));
    QCOMPARE(data(run(u"review_list"_s, {{u"limit"_s, 2}})).value("has_more"_L1).toBool(), true);
    QCOMPARE(code(run(u"review_list"_s, {{u"state"_s, u"closed"_s}})), u"bad_request"_s);

    // keep_local: answered at once (IDEM-8: work and key in one transaction), replayed as such.
    const QJsonObject keep{{u"ids"_s, QJsonArray{double(ids.at(0))}}, {u"action"_s, u"keep_local"_s},
                           {u"actor"_s, u"test:keeper"_s}};
    r = run(u"review_resolve"_s, keep, u"keep-1"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    QCOMPARE(data(r).value("resolved"_L1).toInt(), 1);
    const QJsonObject replay = run(u"review_resolve"_s, keep, u"keep-1"_s);
    QCOMPARE(replay.value("replayed"_L1).toBool(), true);
    QCOMPARE(data(replay), data(r));
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items WHERE id = ?"_s, {ids.at(0)}).first().toString(),
             u"kept_local"_s);
    QCOMPARE(m_fx->query(u"SELECT resolved_by FROM review_items WHERE id = ?"_s, {ids.at(0)}).first().toString(),
             u"test:keeper"_s);
    // Already resolved → conflict, and the key keeps the error (IDEM-9).
    r = run(u"review_resolve"_s, keep, u"keep-2"_s);
    QCOMPARE(code(r), u"conflict"_s);
    QCOMPARE(code(run(u"review_resolve"_s, keep, u"keep-2"_s)), u"conflict"_s);

    // accept_source: a review_resolve job whose revision carries its id.
    r = run(u"review_resolve"_s, {{u"ids"_s, QJsonArray{double(ids.at(1))}}, {u"action"_s, u"accept_source"_s}},
            u"accept-1"_s);
    QVERIFY2(r.value("ok"_L1).toBool(), qPrintable(code(r)));
    QCOMPARE(data(r).value("state"_L1).toString(), u"queued"_s);
    const QString acceptId = data(r).value("job_id"_L1).toString();
    const QJsonObject accepted = finish(acceptId);
    QCOMPARE(accepted.value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(accepted.value("kind"_L1).toString(), u"review_resolve"_s);
    QCOMPARE(accepted.value("result"_L1).toObject().value("rows_updated"_L1).toInt(), 1);
    QCOMPARE(m_fx->query(u"SELECT candle_time FROM candle_revisions WHERE job_id = ?"_s, {acceptId.toLongLong()}),
             (QVariantList{m_corrupted.at(1)}));
    r = run(u"review_list"_s, {{u"state"_s, u"accepted_source"_s}});
    QCOMPARE(data(r).value("items"_L1).toArray().size(), 1);
    QCOMPARE(data(r).value("items"_L1).toArray().at(0).toObject().value("resolve_job_id"_L1).toString(), acceptId);

    // Conflict: the local row changed since the item opened → the job fails, the item stays open.
    QVERIFY(m_fx->corrupt(m_corrupted.at(2), 0.5));
    r = run(u"review_resolve"_s, {{u"ids"_s, QJsonArray{double(ids.at(2))}}, {u"action"_s, u"accept_source"_s}},
            u"accept-2"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    const QJsonObject conflicted = finish(data(r).value("job_id"_L1).toString());
    QCOMPARE(conflicted.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(conflicted.value("error"_L1).toObject().value("code"_L1).toString(), u"conflict"_s);
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items WHERE id = ?"_s, {ids.at(2)}).first().toString(),
             u"open"_s);
    r = run(u"review_resolve"_s, {{u"ids"_s, QJsonArray{double(ids.at(2))}}, {u"action"_s, u"accept_source"_s}},
            u"accept-2"_s);
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(code(r), u"conflict"_s);
}

void TestRepairJobs::rep12_unknownSeriesIsNotFoundAndRecordsNothing()
{
    const QJsonObject args{{u"series_id"_s, u"file:cn:999999.SH:1m"_s},
                           {u"from"_s, double(m_fx->from())},
                           {u"to"_s, double(m_fx->to())},
                           {u"source"_s, m_fx->sourceText()}};
    QJsonObject r = run(u"verify"_s, args, u"unknown-1"_s);
    QCOMPARE(code(r), u"not_found"_s);
    QVERIFY(r.value("error"_L1).toObject().value("message"_L1).toString().contains(u"999999"_s));
    r = run(u"repair"_s, args, u"unknown-2"_s);
    QCOMPARE(code(r), u"not_found"_s);
    QCOMPARE(data(run(u"jobs_list"_s, {})).value("items"_L1).toArray().size(), 0);
    QCOMPARE(data(run(u"idempotency_list"_s, {})).value("items"_L1).toArray().size(), 0);
}

void TestRepairJobs::rep6_badArgumentsFailTheKey()
{
    // Both forms at once: bad_request from the job; the key fails and replays (IDEM-9).
    const QJsonObject args{{u"verify_job_id"_s, u"123"_s}, {u"series_id"_s, m_fx->series().toString()}};
    QJsonObject r = run(u"repair"_s, args, u"bad-1"_s);
    QVERIFY(r.value("ok"_L1).toBool());
    const QJsonObject failed = finish(data(r).value("job_id"_L1).toString());
    QCOMPARE(failed.value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(failed.value("error"_L1).toObject().value("code"_L1).toString(), u"bad_request"_s);
    r = run(u"repair"_s, args, u"bad-1"_s);
    QCOMPARE(r.value("replayed"_L1).toBool(), true);
    QCOMPARE(code(r), u"bad_request"_s);
    // A verify job id that is no verify job: not_found from the worker.
    r = run(u"repair"_s, {{u"verify_job_id"_s, u"123"_s}}, u"bad-2"_s);
    const QJsonObject missing = finish(data(r).value("job_id"_L1).toString());
    QCOMPARE(missing.value("error"_L1).toObject().value("code"_L1).toString(), u"not_found"_s);
}

QTEST_GUILESS_MAIN(TestRepairJobs)
#include "tst_repairjobs.moc"
