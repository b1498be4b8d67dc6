#include "app/commands/repaircommand.h"

#include "app/commands/verifycommand.h"
#include "app/exitcode.h"
#include "app/storeaccess.h"
#include "app/writersession.h"
#include "core/repair/repairrun.h"
#include "core/sources/binance/binancerestclient.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"repair (--series ID --from T --to T [--source S] | --verify-job ID) "
                          u"[--policy source-wins|local-wins|manual-review]"_s;

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

Result<repair::RepairRequest> parseRequest(const CommandContext &ctx, const CommandLine &line)
{
    repair::RepairRequest request;
    auto policy = parseCliPolicy(line);
    if (!policy)
        return policy.error();
    request.policy = *policy;
    request.settings = RepairSettings::from(ctx.settings);
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
        request.verifyJobId = id;
        return request;
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
    request.target = *target;
    return request;
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
    CommandLine line(u"repair"_s, kSynopsis);
    line.addOption({u"series"_s}, u"The series to repair"_s, u"ID"_s);
    line.addOption({u"from"_s}, u"First bar (s or ISO-8601, aligned)"_s, u"T"_s);
    line.addOption({u"to"_s}, u"End of the range, exclusive (aligned)"_s, u"T"_s);
    line.addOption({u"source"_s}, u"exchange (default) or file:PATH"_s, u"S"_s);
    line.addOption({u"verify-job"_s}, u"Repair the differing days of this verify job"_s, u"ID"_s);
    line.addOption({u"policy"_s}, u"source-wins, local-wins or manual-review (default: the settings)"_s, u"P"_s);
    if (auto parsed = line.parse(ctx.options.arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    if (!line.positional().isEmpty())
        return ctx.out.fail(line.usage(u"unexpected argument '%1'"_s.arg(line.positional().constFirst())), ExitUsage);
    const auto request = parseRequest(ctx, line);
    if (!request)
        return ctx.out.fail(request.error(), ExitUsage);

    WriterSession session(ctx);
    if (auto ok = session.open(); !ok)
        return ctx.out.fail(ok.error(), ExitFailure);
    auto store = openReadOnlyStore(ctx);
    if (!store)
        return ctx.out.fail(store.error(), ExitFailure);
    sources::BinanceRestClient rest(SourceSettings::from(ctx.settings), ctx.clock,
                                    [] { return QRandomGenerator::global()->generateDouble(); });
    repair::SourceFetcher fetcher(&rest, ctx.clock);
    PhaseProgress progress(ctx);
    auto control = progress.control(**store);
    if (!control)
        return ctx.out.fail(control.error(), ExitFailure);
    repair::RepairServices services{**store, fetcher, **control, ctx.clock, session.writer()};
    auto result = repair::runRepair(services, *request);
    if (!result)
        return ctx.out.fail(result.error(), ExitFailure);
    if (ctx.options.json) {
        ctx.out.document(*result);
    } else {
        printDifferingBuckets(ctx, *result);
        printSummary(ctx, *result);
    }
    const bool findings = result->value(u"residual_buckets"_s).toInteger() > 0
                          || result->value(u"review_items"_s).toInteger() > 0;
    return findings ? ExitProblems : ExitOk;
}

} // namespace gapless::app
