#include "app/commands/verifycommand.h"

#include "app/commandline.h"
#include "app/exitcode.h"
#include "app/jobrunner.h"
#include "core/repair/repairrun.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis = u"verify --series ID --from T --to T [--source exchange|file:PATH] "
                          u"[--connect ws://H:P [--token T]]"_s;

void printSummary(const CommandContext &ctx, const QJsonObject &r)
{
    ctx.out.line(u"%1 buckets: %2 equal, %3 differ; %4 local rows, %5 source rows, %6 rejected"_s
                     .arg(r.value(u"buckets_total"_s).toInteger())
                     .arg(r.value(u"buckets_equal"_s).toInteger())
                     .arg(r.value(u"buckets_differ"_s).toInteger())
                     .arg(r.value(u"rows_local"_s).toInteger())
                     .arg(r.value(u"rows_source"_s).toInteger())
                     .arg(r.value(u"source_rejected"_s).toInteger()));
}

} // namespace

PhaseProgress::PhaseProgress(const CommandContext &ctx)
    : m_ctx(ctx)
{
}

PhaseProgress::~PhaseProgress()
{
    if (m_bar)
        m_bar->finish();
}

void PhaseProgress::update(qint64 done, std::optional<qint64> total, const QString &unit, const QString &phase)
{
    if (m_ctx.options.noProgress || !total || *total <= 0)
        return;
    if (phase != m_phase) {
        if (m_bar)
            m_bar->finish();
        m_bar.reset();
        m_phase = phase;
        m_lastTenth = -1;
        if (ProgressBar::wanted(false))
            m_bar = std::make_unique<ProgressBar>(phase, unit, true);
    }
    if (m_bar) {
        m_bar->update(done, *total);
        return;
    }
    const int tenth = int(std::min<qint64>(10, done * 10 / *total));
    if (tenth == m_lastTenth)
        return;
    m_lastTenth = tenth;
    m_ctx.out.warning(u"%1: %2% (%3/%4 %5)"_s.arg(phase).arg(tenth * 10).arg(done).arg(*total).arg(unit));
}

void PhaseProgress::updateFrom(const QJsonObject &progress)
{
    const QJsonValue total = progress.value("total"_L1);
    update(progress.value("done"_L1).toInteger(), total.isDouble() ? std::optional(total.toInteger()) : std::nullopt,
           progress.value("unit"_L1).toString(), progress.value("note"_L1).toString());
}

void printDifferingBuckets(const CommandContext &ctx, const QJsonObject &result)
{
    for (const QJsonValue &v : result.value(u"buckets"_s).toArray()) {
        const QJsonObject b = v.toObject();
        if (b.value(u"local_sha256"_s) == b.value(u"source_sha256"_s))
            continue;
        ctx.out.line(u"%1 local %2 source %3 missing %4 extra %5 differ %6"_s.arg(b.value(u"day"_s).toString())
                         .arg(b.value(u"local_count"_s).toInteger())
                         .arg(b.value(u"source_count"_s).toInteger())
                         .arg(b.value(u"missing"_s).toInteger())
                         .arg(b.value(u"extra"_s).toInteger())
                         .arg(b.value(u"differ"_s).toInteger()));
    }
    for (const QJsonValue &m : result.value(u"source_rejected_messages"_s).toArray())
        ctx.out.warning(m.toString());
}

Result<std::pair<qint64, qint64>> parseRange(const CommandLine &line)
{
    auto fromText = line.required(u"from"_s);
    if (!fromText)
        return fromText.error();
    auto toText = line.required(u"to"_s);
    if (!toText)
        return toText.error();
    auto from = parseTimeArgument(u"--from"_s, *fromText);
    if (!from)
        return from.error();
    auto to = parseTimeArgument(u"--to"_s, *toText);
    if (!to)
        return to.error();
    return std::pair{*from, *to};
}

void addRangeOptions(CommandLine &line, const QString &what)
{
    line.addOption({u"series"_s}, what, u"ID"_s);
    line.addOption({u"from"_s}, u"First bar (s or ISO-8601, aligned)"_s, u"T"_s);
    line.addOption({u"to"_s}, u"End of the range, exclusive (aligned)"_s, u"T"_s);
    line.addOption({u"source"_s}, u"exchange (default) or file:PATH"_s, u"S"_s);
}

int runVerify(const CommandContext &ctx)
{
    QStringList arguments = ctx.options.arguments;
    const auto route = takeJobRoute(ctx, &arguments);
    if (!route)
        return ctx.out.fail(route.error(), ExitUsage);
    CommandLine line(u"verify"_s, kSynopsis);
    addRangeOptions(line, u"The series to verify"_s);
    if (auto parsed = line.parse(arguments); !parsed)
        return ctx.out.fail(parsed.error(), ExitUsage);
    if (!line.positional().isEmpty())
        return ctx.out.fail(line.usage(u"unexpected argument '%1'"_s.arg(line.positional().constFirst())), ExitUsage);
    const auto id = line.required(u"series"_s);
    if (!id)
        return ctx.out.fail(id.error(), ExitUsage);
    const auto series = SeriesId::parse(*id);
    if (!series)
        return ctx.out.fail(Error::badRequest(u"--series: "_s + series.error().message), ExitUsage);
    const auto range = parseRange(line);
    if (!range)
        return ctx.out.fail(range.error(), ExitUsage);
    const auto request = repair::makeVerifyRequest(*series, range->first, range->second, line.value(u"source"_s),
                                                   ctx.clock.nowSeconds());
    if (!request)
        return ctx.out.fail(Error::badRequest(u"verify: "_s + request.error().message), ExitUsage);
    QJsonObject args{{u"series_id"_s, series->toString()},
                     {u"from"_s, double(range->first)},
                     {u"to"_s, double(range->second)}};
    if (line.isSet(u"source"_s))
        args.insert(u"source"_s, line.value(u"source"_s));
    PhaseProgress progress(ctx);
    const JobOutcome outcome = runJob(ctx, *route, u"verify"_s, args,
                                      [&progress](const QJsonObject &p) { progress.updateFrom(p); });
    return finishJob(ctx, outcome, [&](const QJsonObject &result) {
        if (ctx.options.json) {
            ctx.out.document(result);
        } else {
            printDifferingBuckets(ctx, result);
            printSummary(ctx, result);
        }
        return result.value("buckets_differ"_L1).toInteger() > 0 ? ExitProblems : ExitOk;
    });
}

} // namespace gapless::app
