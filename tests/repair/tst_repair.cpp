// REP-14 on the real SSE 000001 data: three bars corrupted on three days and a fourth day
// deleted; verify against the file finds exactly those four days, repair rewrites exactly
// those rows (candle_revisions carry the job id), and a second verify is clean. Then each
// conflict policy (REP-8) and the verify_job_id form (REP-6).
#include "core/domain/canonicaljson.h"
#include "core/repair/reviewqueue.h"
#include "tests/repair/repairfixture.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::repair;
using namespace gapless::test;

class TestRepair : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rep14_verifyFindsExactlyTheDamagedDays();
    void rep14_sourceWinsRewritesExactlyThoseRows();
    void rep8_localWinsKeepsDifferingRows();
    void rep8_manualReviewOpensItemsAndRepeatsUpdateThem();
    void rep8_overrideSettingAppliesPerSeries();
    void rep7_extraRowsAreReportedNeverDeleted();
    void rep6_verifyJobIdFormRepairsThatJobsDays();
    void rep6_verifyJobIdErrors();
    void job10_cancelStopsAtABatchBoundary();

private:
    void damage();

    std::unique_ptr<RepairFixture> m_fx;
    QList<qint64> m_corrupted;
    CandleList m_deletedDay;
    QStringList m_days;
};

void TestRepair::init()
{
    m_fx = std::make_unique<RepairFixture>();
    QVERIFY2(m_fx->start(), qPrintable(m_fx->core().error()));
    QVERIFY(m_fx->data().size() > 10000);
    m_corrupted.clear();
    m_days.clear();
}

void TestRepair::cleanup()
{
    m_fx.reset();
}

void TestRepair::damage()
{
    // One bar in the middle of days 1, 3 and 5; all of day 7 deleted.
    for (const int d : {1, 3, 5}) {
        const CandleList rows = m_fx->day(d);
        QVERIFY(!rows.isEmpty());
        const qint64 t = rows.at(rows.size() / 2).time;
        QVERIFY(m_fx->corrupt(t, 0.01 * d));
        m_corrupted.append(t);
        m_days.append(DaySpan{t, t + 60}.name());
    }
    m_deletedDay = m_fx->day(7);
    QVERIFY(!m_deletedDay.isEmpty());
    QVERIFY(m_fx->erase(m_deletedDay.first().time, m_deletedDay.last().time + 60));
    m_days.append(DaySpan{m_deletedDay.first().time, m_deletedDay.first().time + 60}.name());
}

void TestRepair::rep14_verifyFindsExactlyTheDamagedDays()
{
    damage();
    const auto clean = m_fx->data();
    auto outcome = m_fx->verify();
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    const QJsonObject r = outcome->report.toJson();
    QCOMPARE(r.value("buckets_differ"_L1).toInt(), 4);
    QCOMPARE(r.value("rows_source"_L1).toInteger(), clean.size());
    QCOMPARE(r.value("rows_local"_L1).toInteger(), clean.size() - m_deletedDay.size());
    QCOMPARE(r.value("source_rejected"_L1).toInt(), 0);
    QCOMPARE(r.value("buckets_total"_L1).toInt(), r.value("buckets"_L1).toArray().size());
    QCOMPARE(r.value("buckets_equal"_L1).toInt() + 4, r.value("buckets_total"_L1).toInt());
    QStringList found;
    for (const QJsonValue &v : r.value("buckets"_L1).toArray()) {
        const QJsonObject b = v.toObject();
        if (b.value("local_sha256"_L1) == b.value("source_sha256"_L1)) {
            QCOMPARE(b.value("differ"_L1).toInt() + b.value("missing"_L1).toInt() + b.value("extra"_L1).toInt(), 0);
            continue;
        }
        found.append(b.value("day"_L1).toString());
        const bool deleted = found.size() == 4;
        QCOMPARE(b.value("differ"_L1).toInt(), deleted ? 0 : 1);
        QCOMPARE(b.value("missing"_L1).toInteger(), deleted ? m_deletedDay.size() : 0);
        QCOMPARE(b.value("extra"_L1).toInt(), 0);
        QCOMPARE(b.value("local_count"_L1).toInteger(), deleted ? 0 : b.value("source_count"_L1).toInteger());
        if (deleted)
            QCOMPARE(b.value("local_sha256"_L1).toString(), bucketChecksum({}));
    }
    QCOMPARE(found, m_days);
}

void TestRepair::rep14_sourceWinsRewritesExactlyThoseRows()
{
    damage();
    const qint64 jobId = LocalRepairControl::localJobId(RepairFixture::kNowMs, 0);
    auto result = m_fx->repair(jobId, ConflictPolicy::SourceWins);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->value("rows_inserted"_L1).toInteger(), m_deletedDay.size());
    QCOMPARE(result->value("rows_updated"_L1).toInt(), 3);
    QCOMPARE(result->value("rows_identical"_L1).toInt(), 0);
    QCOMPARE(result->value("write_amplification"_L1).toDouble(), 1.0);
    QCOMPARE(result->value("residual_buckets"_L1).toInt(), 0);
    QCOMPARE(result->value("kept_local"_L1).toInt(), 0);
    QCOMPARE(result->value("review_items"_L1).toInt(), 0);
    QCOMPARE(result->value("job_id"_L1).toString(), QString::number(jobId));
    // The revisions of this job are exactly the three corrupted bars, back to the file's values.
    const QVariantList times = m_fx->query(
        u"SELECT candle_time FROM candle_revisions WHERE job_id = ? AND cause = 'repair' ORDER BY candle_time"_s, {jobId});
    QCOMPARE(times.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(times.at(i).toLongLong(), m_corrupted.at(i));
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = ?"_s, {jobId}).first().toInt(), 3);
    QCOMPARE(m_fx->core().stored(m_fx->series()), m_fx->data());
    auto again = m_fx->verify();
    QVERIFY(again);
    QCOMPARE(again->report.differing(), 0);
    // A second repair finds nothing to write.
    auto idle = m_fx->repair(jobId + 1, ConflictPolicy::SourceWins);
    QVERIFY(idle);
    QCOMPARE(idle->value("write_amplification"_L1).toString(), u"n/a"_s);
    QCOMPARE(idle->value("rows_inserted"_L1).toInt() + idle->value("rows_updated"_L1).toInt(), 0);
}

void TestRepair::rep8_localWinsKeepsDifferingRows()
{
    damage();
    const CandleList before = m_fx->core().stored(m_fx->series());
    auto result = m_fx->repair(77, ConflictPolicy::LocalWins);
    QVERIFY(result);
    QCOMPARE(result->value("kept_local"_L1).toInt(), 3);
    QCOMPARE(result->value("rows_updated"_L1).toInt(), 0);
    QCOMPARE(result->value("rows_inserted"_L1).toInteger(), m_deletedDay.size()); // missing rows always go in
    QCOMPARE(result->value("residual_buckets"_L1).toInt(), 3);
    QCOMPARE(result->value("policy"_L1).toString(), u"local_wins"_s);
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 77"_s).first().toInt(), 0);
    for (const qint64 t : m_corrupted)
        QCOMPARE(rowsIn(m_fx->core().stored(m_fx->series()), t, t + 1), rowsIn(before, t, t + 1));
}

void TestRepair::rep8_manualReviewOpensItemsAndRepeatsUpdateThem()
{
    damage();
    auto first = m_fx->repair(81, ConflictPolicy::ManualReview);
    QVERIFY(first);
    QCOMPARE(first->value("review_items"_L1).toInt(), 3);
    QCOMPARE(first->value("rows_updated"_L1).toInt(), 0);
    QCOMPARE(first->value("residual_buckets"_L1).toInt(), 3);
    auto second = m_fx->repair(82, ConflictPolicy::ManualReview);
    QVERIFY(second);
    QCOMPARE(second->value("review_items"_L1).toInt(), 3);
    QCOMPARE(second->value("rows_inserted"_L1).toInt(), 0);
    // REP-9: still one open item per (series, time), now carrying the second job.
    QCOMPARE(m_fx->query(u"SELECT job_id FROM review_items WHERE state = 'open' ORDER BY candle_time"_s),
             (QVariantList{82, 82, 82}));
    const QVariantList times = m_fx->query(u"SELECT candle_time FROM review_items ORDER BY candle_time"_s);
    QCOMPARE(times.size(), 3);
    QCOMPARE(times.at(0).toLongLong(), m_corrupted.at(0));
    const QString source = m_fx->query(u"SELECT source_json FROM review_items WHERE candle_time = ?"_s,
                                       {m_corrupted.at(0)}).first().toString();
    QCOMPARE(source.toUtf8(), canonicalJson(ohlcvJson(rowsIn(m_fx->data(), m_corrupted.at(0), m_corrupted.at(0) + 1).first())));
}

void TestRepair::rep8_overrideSettingAppliesPerSeries()
{
    // The command's policy wins over the override, the override over the setting.
    RepairSettings settings;
    settings.conflictPolicy = ConflictPolicy::ManualReview;
    settings.conflictPolicyOverrides = {{*SeriesId::parse(u"binance:spot:BTC/USDT:1m"), ConflictPolicy::SourceWins},
                                        {m_fx->series(), ConflictPolicy::LocalWins}};
    QCOMPARE(resolvePolicy(std::nullopt, m_fx->series(), settings), ConflictPolicy::LocalWins);
    QCOMPARE(resolvePolicy(ConflictPolicy::ManualReview, m_fx->series(), settings), ConflictPolicy::ManualReview);
    QCOMPARE(resolvePolicy(std::nullopt, *SeriesId::parse(u"file:cn:X:1m"), settings), ConflictPolicy::ManualReview);
    QCOMPARE(resolvePolicy(std::nullopt, m_fx->series(), RepairSettings{}), ConflictPolicy::SourceWins);
    const auto bad = parsePolicy(u"source-wins"_s);
    QVERIFY(!bad);
    QVERIFY(bad.error().message.contains(u"source-wins"_s));
    // Through a run: the override turns a repair without a policy into local_wins.
    damage();
    repair::LocalRepairControl control(91);
    repair::SourceFetcher fetcher(nullptr, m_fx->core().clock());
    repair::RepairServices services{m_fx->reader(), fetcher, control, m_fx->core().clock(), m_fx->core().core().writer()};
    repair::RepairRequest request;
    request.target = *makeVerifyRequest(m_fx->series(), m_fx->from(), m_fx->to(), m_fx->sourceText(),
                                        RepairFixture::kNowMs / 1000);
    request.settings = settings;
    auto result = runRepair(services, request);
    QVERIFY(result);
    QCOMPARE(result->value("policy"_L1).toString(), u"local_wins"_s);
    QCOMPARE(result->value("kept_local"_L1).toInt(), 3);
}

void TestRepair::rep7_extraRowsAreReportedNeverDeleted()
{
    // A bar the file lacks: day 2 gets one more row, a minute after its last.
    const CandleList d2 = m_fx->day(2);
    Candle extra = d2.last();
    extra.time += 60;
    QVERIFY(m_fx->core().ingest(m_fx->series(), {extra}));
    auto result = m_fx->repair(90, ConflictPolicy::SourceWins);
    QVERIFY(result);
    QCOMPARE(result->value("extra_kept"_L1).toInt(), 1);
    QCOMPARE(result->value("residual_buckets"_L1).toInt(), 1);
    QCOMPARE(result->value("write_amplification"_L1).toString(), u"n/a"_s);
    QCOMPARE(rowsIn(m_fx->core().stored(m_fx->series()), extra.time, extra.time + 1).size(), 1);
}

void TestRepair::rep6_verifyJobIdFormRepairsThatJobsDays()
{
    damage();
    auto verified = m_fx->verify();
    QVERIFY(verified);
    const QJsonObject args{{u"series_id"_s, m_fx->series().toString()}, {u"from"_s, double(m_fx->from())},
                           {u"to"_s, double(m_fx->to())}, {u"source"_s, m_fx->sourceText()}};
    const QVariantList inserted = m_fx->query(
        u"INSERT INTO jobs(job_id, kind, series_id, args_json, node_id, state, progress_done, progress_unit, attempts, "
        u"cancel_requested, created_at_ms, result_json) VALUES (555, 'verify', ?, ?, 0, 'succeeded', 0, 'buckets', 1, "
        u"?, 0, ?)"_s,
        {m_fx->series().toString(), QString::fromUtf8(canonicalJson(args)), false,
         QString::fromUtf8(canonicalJson(verified->report.toJson()))});
    QVERIFY(!inserted.contains(u"error"_s));
    auto result = m_fx->repair(556, ConflictPolicy::SourceWins, 555);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->value("rows_updated"_L1).toInt(), 3);
    QCOMPARE(result->value("rows_inserted"_L1).toInteger(), m_deletedDay.size());
    QCOMPARE(result->value("write_amplification"_L1).toDouble(), 1.0);
    QCOMPARE(result->value("residual_buckets"_L1).toInt(), 0);
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 556"_s).first().toInt(), 3);
    QCOMPARE(m_fx->core().stored(m_fx->series()), m_fx->data());
}

void TestRepair::rep6_verifyJobIdErrors()
{
    auto missing = m_fx->repair(600, std::nullopt, 12345);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(missing.error().message.contains(u"12345"_s));
    QVERIFY(!m_fx->query(u"INSERT INTO jobs(job_id, kind, series_id, args_json, node_id, state, progress_done, "
                         u"progress_unit, attempts, cancel_requested, created_at_ms) VALUES (601, 'backfill', NULL, "
                         u"'{}', 0, 'succeeded', 0, 'candles', 1, ?, 0)"_s, {false}).contains(u"error"_s));
    auto wrongKind = m_fx->repair(602, std::nullopt, 601);
    QVERIFY(!wrongKind);
    QCOMPARE(wrongKind.error().code, ErrorCode::BadRequest);
    QVERIFY(wrongKind.error().message.contains(u"backfill"_s));
}

namespace {

/// A job that is cancelled (or fenced) after `allowed` checkpoints.
class CancellingControl final : public RepairControl
{
public:
    explicit CancellingControl(int allowed) : m_allowed(allowed) {}
    [[nodiscard]] qint64 jobId() const override { return 700; }
    void progress(qint64 done, std::optional<qint64>, const QString &, const QString &note) override
    {
        notes.append(note + u':' + QString::number(done));
    }
    [[nodiscard]] bool checkpoint() override { return m_allowed-- > 0; }
    QStringList notes;

private:
    int m_allowed;
};

} // namespace

void TestRepair::job10_cancelStopsAtABatchBoundary()
{
    damage();
    SourceFetcher fetcher(nullptr, m_fx->core().clock());
    RepairRequest request;
    request.target = *makeVerifyRequest(m_fx->series(), m_fx->from(), m_fx->to(), m_fx->sourceText(),
                                        RepairFixture::kNowMs / 1000);
    request.policy = ConflictPolicy::SourceWins;
    // The verify phase passes its checkpoint; the first write batch does not.
    CancellingControl control(1);
    RepairServices services{m_fx->reader(), fetcher, control, m_fx->core().clock(), m_fx->core().core().writer()};
    auto cancelled = runRepair(services, request);
    QVERIFY(!cancelled);
    QCOMPARE(cancelled.error().code, ErrorCode::Conflict);
    QVERIFY(cancelled.error().message.contains(u"cancelled"_s));
    QCOMPARE(m_fx->query(u"SELECT COUNT(*) FROM candle_revisions WHERE job_id = 700"_s).first().toInt(), 0);
    QVERIFY(control.notes.contains(u"verify:0"_s));
    QVERIFY(!control.notes.contains(u"write:%1"_s.arg(m_deletedDay.size() + 3)));
    // A job that goes on writes it all, and says so per phase.
    CancellingControl free(1000);
    RepairServices again{m_fx->reader(), fetcher, free, m_fx->core().clock(), m_fx->core().core().writer()};
    auto done = runRepair(again, request);
    QVERIFY(done);
    QVERIFY(free.notes.contains(u"write:%1"_s.arg(m_deletedDay.size() + 3)));
    QVERIFY(free.notes.contains(u"recheck:4"_s));
}

QTEST_GUILESS_MAIN(TestRepair)
#include "tst_repair.moc"
