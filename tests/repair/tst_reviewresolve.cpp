// The review queue (REP-9, REP-10): review_list, review_resolve accept_source (written through
// the pipeline, the revision tagged with the resolving job) and keep_local (writes nothing),
// all ids or none, conflict when an item is resolved or its local row changed.
#include "core/repair/reviewqueue.h"
#include "core/repair/reviewresolve.h"
#include "tests/repair/repairfixture.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::repair;
using namespace gapless::test;

class TestReviewResolve : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rep10_listByIdWithFilters();
    void rep10_acceptSourceWritesThroughThePipeline();
    void rep10_keepLocalWritesNothing();
    void rep10_alreadyResolvedIsConflict();
    void rep10_changedLocalRowIsConflict();
    void rep10_allOrNone();
    void rep10_badInput();

private:
    Result<QJsonObject> resolve(qint64 jobId, const QList<qint64> &ids, ReviewAction action);
    [[nodiscard]] Candle stored(qint64 time);
    [[nodiscard]] Candle original(qint64 time) const;

    std::unique_ptr<RepairFixture> m_fx;
    QList<qint64> m_times;
    QList<qint64> m_ids;
};

void TestReviewResolve::init()
{
    m_fx = std::make_unique<RepairFixture>();
    QVERIFY(m_fx->start());
    m_times.clear();
    for (const int d : {0, 2, 4}) {
        const CandleList rows = m_fx->day(d);
        m_times.append(rows.at(rows.size() / 3).time);
        QVERIFY(m_fx->corrupt(m_times.last(), 0.5));
    }
    auto opened = m_fx->repair(4242, ConflictPolicy::ManualReview);
    QVERIFY(opened);
    QCOMPARE(opened->value("review_items"_L1).toInt(), 3);
    m_ids.clear();
    for (const QVariant &v : m_fx->query(u"SELECT id FROM review_items ORDER BY candle_time"_s))
        m_ids.append(v.toLongLong());
    QCOMPARE(m_ids.size(), 3);
}

void TestReviewResolve::cleanup()
{
    m_fx.reset();
}

Result<QJsonObject> TestReviewResolve::resolve(qint64 jobId, const QList<qint64> &ids, ReviewAction action)
{
    LocalRepairControl control(jobId);
    return resolveReview(m_fx->core().core().writer(), control, m_fx->core().clock(), ids, action, u"cli:tester"_s);
}

Candle TestReviewResolve::stored(qint64 time)
{
    return rowsIn(m_fx->core().stored(m_fx->series()), time, time + 1).value(0);
}

Candle TestReviewResolve::original(qint64 time) const
{
    return rowsIn(m_fx->data(), time, time + 1).value(0);
}

void TestReviewResolve::rep10_listByIdWithFilters()
{
    auto open = listReviewItems(m_fx->reader(), {});
    QVERIFY(open);
    QCOMPARE(open->size(), 3);
    QCOMPARE(open->at(0).id, m_ids.at(0));
    QCOMPARE(open->at(0).candleTime, m_times.at(0));
    QCOMPARE(open->at(0).jobId, 4242);
    QCOMPARE(open->at(0).sourceName, m_fx->sourceText());
    QCOMPARE(candleFromOhlcv(m_times.at(0), open->at(0).source), original(m_times.at(0)));
    QCOMPARE(candleFromOhlcv(m_times.at(0), open->at(0).local), stored(m_times.at(0)));
    auto page = listReviewItems(m_fx->reader(), {m_fx->series().toString(), u"open"_s, m_ids.at(0), 1});
    QVERIFY(page);
    QCOMPARE(page->size(), 1);
    QCOMPARE(page->first().id, m_ids.at(1));
    auto other = listReviewItems(m_fx->reader(), {u"file:cn:OTHER:1m"_s, u"open"_s, 0, 100});
    QVERIFY(other);
    QVERIFY(other->isEmpty());
    auto resolved = listReviewItems(m_fx->reader(), {{}, u"kept_local"_s, 0, 100});
    QVERIFY(resolved);
    QVERIFY(resolved->isEmpty());
}

void TestReviewResolve::rep10_acceptSourceWritesThroughThePipeline()
{
    auto done = resolve(9001, {m_ids.at(0), m_ids.at(2)}, ReviewAction::AcceptSource);
    QVERIFY2(done, qPrintable(done ? QString() : done.error().message));
    QCOMPARE(done->value("rows_updated"_L1).toInt(), 2);
    QCOMPARE(stored(m_times.at(0)), original(m_times.at(0)));
    QCOMPARE(stored(m_times.at(2)), original(m_times.at(2)));
    QVERIFY(!(stored(m_times.at(1)) == original(m_times.at(1))));
    QCOMPARE(m_fx->query(u"SELECT candle_time FROM candle_revisions WHERE job_id = 9001 AND cause = 'review' "
                         u"ORDER BY candle_time"_s),
             (QVariantList{m_times.at(0), m_times.at(2)}));
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items ORDER BY candle_time"_s),
             (QVariantList{u"accepted_source"_s, u"open"_s, u"accepted_source"_s}));
    QCOMPARE(m_fx->query(u"SELECT resolve_job_id FROM review_items WHERE id = ?"_s, {m_ids.at(0)}).first().toLongLong(),
             9001);
    QCOMPARE(m_fx->query(u"SELECT resolved_by FROM review_items WHERE id = ?"_s, {m_ids.at(0)}).first().toString(),
             u"cli:tester"_s);
}

void TestReviewResolve::rep10_keepLocalWritesNothing()
{
    const Candle before = stored(m_times.at(1));
    auto done = resolve(9002, {m_ids.at(1)}, ReviewAction::KeepLocal);
    QVERIFY(done);
    QCOMPARE(stored(m_times.at(1)), before);
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 9002"_s).first().toInt(), 0);
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items WHERE id = ?"_s, {m_ids.at(1)}).first().toString(),
             u"kept_local"_s);
    QVERIFY(m_fx->query(u"SELECT resolve_job_id FROM review_items WHERE id = ?"_s, {m_ids.at(1)}).first().isNull());
}

void TestReviewResolve::rep10_alreadyResolvedIsConflict()
{
    QVERIFY(resolve(9003, {m_ids.at(0)}, ReviewAction::KeepLocal));
    for (const ReviewAction action : {ReviewAction::KeepLocal, ReviewAction::AcceptSource}) {
        auto again = resolve(9004, {m_ids.at(0)}, action);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(again.error().message.contains(u"already kept_local"_s));
    }
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 9004"_s).first().toInt(), 0);
}

void TestReviewResolve::rep10_changedLocalRowIsConflict()
{
    QVERIFY(m_fx->corrupt(m_times.at(0), 1.25)); // the local row moves on after the review opened
    const Candle now = stored(m_times.at(0));
    for (const ReviewAction action : {ReviewAction::KeepLocal, ReviewAction::AcceptSource}) {
        auto r = resolve(9005, {m_ids.at(0)}, action);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Conflict);
        QVERIFY(r.error().message.contains(u"changed"_s));
    }
    QCOMPARE(stored(m_times.at(0)), now);
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items WHERE id = ?"_s, {m_ids.at(0)}).first().toString(), u"open"_s);
}

void TestReviewResolve::rep10_allOrNone()
{
    QVERIFY(resolve(9006, {m_ids.at(2)}, ReviewAction::KeepLocal));
    for (const ReviewAction action : {ReviewAction::KeepLocal, ReviewAction::AcceptSource}) {
        auto r = resolve(9007, {m_ids.at(0), m_ids.at(1), m_ids.at(2)}, action);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Conflict);
    }
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items ORDER BY candle_time"_s),
             (QVariantList{u"open"_s, u"open"_s, u"kept_local"_s}));
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 9007"_s).first().toInt(), 0);
    QVERIFY(!(stored(m_times.at(0)) == original(m_times.at(0))));
}

void TestReviewResolve::rep10_badInput()
{
    auto unknown = resolve(9008, {m_ids.at(0), 999999}, ReviewAction::KeepLocal);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY(unknown.error().message.contains(u"999999"_s));
    QCOMPARE(m_fx->query(u"SELECT state FROM review_items WHERE id = ?"_s, {m_ids.at(0)}).first().toString(), u"open"_s);
    auto none = resolve(9009, {}, ReviewAction::KeepLocal);
    QVERIFY(!none);
    QCOMPARE(none.error().code, ErrorCode::BadRequest);
    const auto action = parseReviewAction(u"accept-source"_s);
    QVERIFY(!action);
    QVERIFY(action.error().message.contains(u"accept-source"_s));
}

QTEST_GUILESS_MAIN(TestReviewResolve)
#include "tst_reviewresolve.moc"
