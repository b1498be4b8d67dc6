#include "app/commands/repaircommand.h"

#include "app/commands/verifycommand.h"
#include "app/exitcode.h"
#include "app/jobrunner.h"
#include "core/repair/repairrun.h"

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"repair (--series ID --from T --to T [--source S] | --verify-job ID) "
                          u"[--policy source-wins|local-wins|manual-review] [--connect ws://H:P [--token T]]"_s;

/// CLI-14 spells the policies with hyphens.
Result<std::optional<ConflictPolicy>> parseCliPolicy(const CommandLine &line)
{
    if (!line.isSet(u"policy"_s))
        return std::optional<ConflictPolicy>();
    const QString text = line.value(u"policy"_s);
    for (const ConflictPolicy p : {ConflictPolicy::SourceWins, ConflictPolicy::LocalWins, ConflictPolicy::ManualReview}) {
        if (text == repair::policyName(p).replace(u'_', u'-'))
            return std::optional<ConflictPolicy>(p);
    }
    return Error::badRequest(u"repair: --policy '%1': unknown policy; expected source-wins, local-wins or "
                             u"manual-review"_s.arg(text));
}

/// REP-6's args from the options, checked here so that bad ones exit 2 before any job.
Result<QJsonObject> repairArgs(const CommandContext &ctx, const CommandLine &line)
{
    QJsonObject args;
    auto policy = parseCliPolicy(line);
    if (!policy)
        return policy.error();
    if (*policy)
        args.insert(u"policy"_s, repair::policyName(**policy));
    const bool rangeForm = line.isSet(u"series"_s) || line.isSet(u"from"_s) || line.isSet(u"to"_s)
                           || line.isSet(u"source"_s);
    if (line.isSet(u"verify-job"_s)) {
        if (rangeForm)
            return line.usage(u"--verify-job takes no --series, --from, --to or --source"_s);
        bool ok = false;
        const qint64 id = line.value(u"verify-job"_s).toLongLong(&ok);
        if (!ok || id <= 0)
            return Error::badRequest(u"repair: --verify-job '%1': not a job id; expected a positive integer"_s.arg(
                line.value(u"verify-job"_s)));
        args.insert(u"verify_job_id"_s, QString::number(id));
        return args;
    }
    const auto id = line.required(u"series"_s);
    if (!id)
        return id.error();
    const auto series = SeriesId::parse(*id);
    if (!series)
        return Error::badRequest(u"--series: "_s + series.error().message);
    const auto range = parseRange(line);
    if (!range)
        return range.error();
    auto target = repair::makeVerifyRequest(*series, range->first, range->second, line.value(u"source"_s),
                                            ctx.clock.nowSeconds());
    if (!target)
        return Error::badRequest(u"repair: "_s + target.error().message);
    args.insert(u"series_id"_s, series->toString());
    args.insert(u"from"_s, double(range->first));
    args.insert(u"to"_s, double(range->second));
    if (line.isSet(u"source"_s))
        args.insert(u"source"_s, line.value(u"source"_s));
    return args;
}

void printSummary(const CommandContext &ctx, const QJsonObject &r)
{
    const QJsonValue wa = r.value(u"write_amplification"_s);
    ctx.out.line(u"%1 buckets differ: %2 rows inserted, %3 updated, %4 kept local, %5 review items, %6 extra kept; "
                 u"write amplification %7; %8 residual buckets"_s.arg(r.value(u"buckets_differ"_s).toInteger())
                     .arg(r.value(u"rows_inserted"_s).toInteger())
                     .arg(r.value(u"rows_updated"_s).toInteger())
                     .arg(r.value(u"kept_local"_s).toInteger())
                     .arg(r.value(u"review_items"_s).toInteger())
                     .arg(r.value(u"extra_kept"_s).toInteger())
                     .arg(wa.isString() ? wa.toString() : QString::number(wa.toDouble(), 'f', 2))
                     .arg(r.value(u"residual_buckets"_s).toInteger()));
}

} // namespace

int runRepair(const CommandContext &ctx)
{
    QStringList arguments = ctx.options.arguments;
    const auto route = takeJobRoute(ctx, &arguments);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    CommandLine line(u"repair"_s, kSynopsis);
    addRangeOptions(line, u"The series to repair"_s);
    line.addOption({u"verify-job"_s}, u"Repair the differing days of this verify job"_s, u"ID"_s);
    line.addOption({u"policy"_s}, u"source-wins, local-wins or manual-review (default: the settings)"_s, u"P"_s);
    if (auto parsed = line.parse(arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    if (!line.positional().isEmpty())
        return ctx.out.fail(line.usage(u"unexpected argument '%1'"_s.arg(line.positional().constFirst())), ExitUsage);
    const auto args = repairArgs(ctx, line);
    if (!args)
        return ctx.out.fail(args.error(), ExitUsage);
    PhaseProgress progress(ctx);
    const JobOutcome outcome = runJob(ctx, *route, u"repair"_s, *args,
                                      [&progress](const QJsonObject &p) { progress.updateFrom(p); });
    return finishJob(ctx, outcome, [&](const QJsonObject &result) {
        if (ctx.options.json) {
            ctx.out.document(result);
        } else {
            printDifferingBuckets(ctx, result);
            printSummary(ctx, result);
        }
        const bool findings = result.value(u"residual_buckets"_s).toInteger() > 0
                              || result.value(u"review_items"_s).toInteger() > 0;
        return findings ? ExitProblems : ExitOk;
    });
}

} // namespace gapless::app
