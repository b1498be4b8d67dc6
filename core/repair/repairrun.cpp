#include "core/repair/repairrun.h"

#include "core/ingest/ingestwriter.h"
#include "core/repair/reviewqueue.h"
#include "core/repair/writerbridge.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace gapless::repair {

namespace {

constexpr qsizetype kBatchRows = 10000; // JOB-10: a batch boundary at most every 10k rows

/// What the write phase decided and did.
struct WritePlan
{
    CandleList toWrite; ///< missing rows and policy-allowed differ rows, ascending
    QList<ReviewFinding> findings;
    qint64 keptLocal = 0;
    qint64 extraKept = 0;
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 identical = 0;
};

Candle rowAt(const CandleList &rows, qint64 time)
{
    const CandleList one = rowsIn(rows, time, time + 1);
    return one.isEmpty() ? Candle{} : one.first();
}

WritePlan planWrites(const VerifyReport &report, const CandleList &local, const CandleList &source,
                     ConflictPolicy policy)
{
    WritePlan plan;
    for (const BucketReport &b : report.buckets) {
        if (b.equal())
            continue;
        plan.extraKept += b.diff.extra.size();
        for (const qint64 t : b.diff.missing)
            plan.toWrite.append(rowAt(source, t));
        for (const qint64 t : b.diff.differ) {
            if (policy == ConflictPolicy::SourceWins)
                plan.toWrite.append(rowAt(source, t));
            else if (policy == ConflictPolicy::LocalWins)
                ++plan.keptLocal;
            else
                plan.findings.append(ReviewFinding{rowAt(local, t), rowAt(source, t)});
        }
    }
    std::sort(plan.toWrite.begin(), plan.toWrite.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    return plan;
}

Result<void> writeBatches(RepairServices &s, const SeriesId &series, WritePlan &plan)
{
    const qint64 total = plan.toWrite.size();
    qint64 runId = s.clock.nowMs() * 1000;
    for (qsizetype at = 0; at < total; at += kBatchRows) {
        if (!s.control.checkpoint())
            return Error::conflict(u"repair job %1: cancelled"_s.arg(s.control.jobId()));
        ingest::IngestRun run;
        run.runId = runId++;
        run.source = u"repair"_s;
        run.jobId = s.control.jobId();
        run.fence = s.control.fence();
        run.add(series, plan.toWrite.mid(at, kBatchRows));
        const ingest::RunReport report = runAndWait(s.writer, run);
        if (auto failed = runFailure(report))
            return *failed;
        for (const ingest::SeriesOutcome &o : report.series) {
            plan.inserted += o.inserted;
            plan.updated += o.updated;
            plan.identical += o.identical;
        }
        s.control.progress(std::min(total, at + kBatchRows), total, u"rows"_s, u"write"_s);
    }
    return {};
}

/// The verify phase of either form: the buckets to repair with their local and source rows.
Result<std::pair<VerifyOutcome, QJsonObject>> findDifferences(RepairServices &s, const RepairRequest &request,
                                                              VerifyRequest &target)
{
    if (!request.verifyJobId) {
        auto outcome = runVerify(s, target);
        if (!outcome)
            return outcome.error();
        QJsonObject json = outcome->report.toJson();
        return std::pair{std::move(*outcome), json};
    }
    auto stored = readVerifyJob(s.reader, *request.verifyJobId);
    if (!stored)
        return stored.error();
    target = stored->request;
    auto days = differingDays(stored->result);
    if (!days)
        return days.error();
    QList<DaySpan> spans;
    for (const DaySpan &span : daySpans(target.from, target.to)) {
        if (days->contains(span.name()))
            spans.append(span);
    }
    s.control.progress(0, spans.size(), u"buckets"_s, u"fetch"_s);
    VerifyOutcome outcome;
    for (const DaySpan &span : spans) { // re-read the local rows of each differing bucket
        auto rows = readLocal(s, target.series, span.from, span.to);
        if (!rows)
            return rows.error();
        outcome.local += *rows;
    }
    auto source = s.source.fetch(target.series, target.source, spans);
    if (!source)
        return source.error();
    outcome.source = std::move(*source);
    outcome.report = compareBuckets(spans, outcome.local, outcome.source);
    s.control.progress(spans.size(), spans.size(), u"buckets"_s, u"fetch"_s);
    return std::pair{std::move(outcome), stored->result};
}

} // namespace

Result<QJsonObject> runRepair(RepairServices &s, const RepairRequest &request)
{
    if (!s.writer)
        return Error::internal(u"repair: no writer; expected the store writer"_s);
    VerifyRequest target = request.target;
    auto found = findDifferences(s, request, target);
    if (!found)
        return found.error();
    auto &[outcome, result] = *found;
    const ConflictPolicy policy = resolvePolicy(request.policy, target.series, request.settings);
    WritePlan plan = planWrites(outcome.report, outcome.local, outcome.source.rows, policy);
    if (auto ok = writeBatches(s, target.series, plan); !ok)
        return ok.error();
    qint64 reviewItems = 0;
    if (!plan.findings.isEmpty()) {
        const QList<ReviewFinding> findings = plan.findings;
        const qint64 jobId = s.control.jobId();
        const qint64 now = s.clock.nowMs();
        const QString sourceText = target.source.text();
        const SeriesId series = target.series;
        auto opened = onWriter(s.writer, [&](store::CandleStore &store) -> Result<QJsonObject> {
            auto n = openReviewItems(store, jobId, series, sourceText, findings, now);
            if (!n)
                return n.error();
            return QJsonObject{{u"opened"_s, double(*n)}};
        });
        if (!opened)
            return opened.error();
        reviewItems = qint64(opened->value(u"opened"_s).toDouble());
    }
    // Recheck (REP-11): re-hash the buckets the job touched against the source rows.
    qint64 residual = 0;
    const qint64 touched = outcome.report.differing();
    s.control.progress(0, touched, u"buckets"_s, u"recheck"_s);
    for (const BucketReport &b : outcome.report.buckets) {
        if (b.equal())
            continue;
        auto rows = readLocal(s, target.series, b.span.from, b.span.to);
        if (!rows)
            return rows.error();
        if (bucketChecksum(*rows) != b.sourceSha256)
            ++residual;
    }
    s.control.progress(touched, touched, u"buckets"_s, u"recheck"_s);
    const qint64 written = plan.inserted + plan.updated;
    result.insert(u"rows_inserted"_s, double(plan.inserted));
    result.insert(u"rows_updated"_s, double(plan.updated));
    result.insert(u"rows_identical"_s, double(plan.identical));
    result.insert(u"kept_local"_s, double(plan.keptLocal));
    result.insert(u"review_items"_s, double(reviewItems));
    result.insert(u"extra_kept"_s, double(plan.extraKept));
    result.insert(u"write_amplification"_s, plan.toWrite.isEmpty() ? QJsonValue(u"n/a"_s)
                                                                   : QJsonValue(double(written) / double(plan.toWrite.size())));
    result.insert(u"residual_buckets"_s, double(residual));
    result.insert(u"policy"_s, policyName(policy));
    result.insert(u"job_id"_s, QString::number(s.control.jobId()));
    return result;
}

} // namespace gapless::repair
