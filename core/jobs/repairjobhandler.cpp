#include "core/jobs/repairjobhandler.h"

#include "core/jobs/idempotencykey.h"
#include "core/jobs/repairworkers.h"
#include "core/jobs/reviewcommands.h"
#include "core/protocol/clientframe.h"
#include "core/repair/conflictpolicy.h"
#include "core/repair/reviewresolve.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

Result<SeriesId> seriesArg(const QJsonObject &args)
{
    const QJsonValue v = args.value("series_id"_L1);
    if (!v.isString())
        return Error::badRequest(protocol::gotExpected(u"series_id", v, u"a series id (DOM-3)"));
    return SeriesId::parse(v.toString());
}

Result<qint64> secondsArg(const QJsonObject &args, QStringView field)
{
    const QJsonValue v = args.value(field);
    const double d = v.toDouble(-1.5);
    if (!v.isDouble() || d != std::floor(d) || d < 0 || d > 1e11)
        return Error::badRequest(protocol::gotExpected(field, v, u"whole seconds since 1970 (C-1)"));
    return qint64(d);
}

Result<QString> optionalString(const QJsonObject &args, QStringView field, QStringView expected)
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return QString();
    if (!v.isString())
        return Error::badRequest(protocol::gotExpected(field, v, expected));
    return v.toString();
}

/// REP-1's range form: series_id, from, to and source, checked and clipped to closed bars.
Result<repair::VerifyRequest> verifyArgs(const QJsonObject &args, qint64 nowSeconds)
{
    const auto series = seriesArg(args);
    if (!series)
        return series.error();
    const auto from = secondsArg(args, u"from");
    if (!from)
        return from.error();
    const auto to = secondsArg(args, u"to");
    if (!to)
        return to.error();
    const auto source = optionalString(args, u"source", u"exchange or file:PATH (REP-1)");
    if (!source)
        return source.error();
    return repair::makeVerifyRequest(*series, *from, *to, *source, nowSeconds);
}

} // namespace

RepairJobHandler::RepairJobHandler(QString kind, const Clock &clock, RepairWorkers *workers,
                                   std::function<RepairSettings()> settings)
    : m_kind(std::move(kind))
    , m_clock(clock)
    , m_workers(workers)
    , m_settings(std::move(settings))
{
}

void RepairJobHandler::run(JobContext &context)
{
    if (m_kind == "verify"_L1)
        runVerify(context);
    else if (m_kind == "repair"_L1)
        runRepair(context);
    else
        runResolve(context);
}

void RepairJobHandler::runVerify(JobContext &context)
{
    auto request = verifyArgs(context.args(), m_clock.nowSeconds());
    if (!request) {
        context.fail(request.error());
        return;
    }
    context.progress(0, std::nullopt, u"buckets"_s, u"verify"_s);
    m_workers->start(context, [request = *request](repair::RepairServices &services) -> Result<QJsonObject> {
        auto outcome = repair::runVerify(services, request);
        if (!outcome)
            return outcome.error();
        return outcome->report.toJson();
    });
}

void RepairJobHandler::runRepair(JobContext &context)
{
    const QJsonObject &args = context.args();
    repair::RepairRequest request;
    request.settings = m_settings ? m_settings() : RepairSettings{};
    const auto policy = optionalString(args, u"policy", u"source_wins, local_wins or manual_review (REP-8)");
    if (!policy) {
        context.fail(policy.error());
        return;
    }
    if (!policy->isEmpty()) {
        const auto parsed = repair::parsePolicy(*policy);
        if (!parsed) {
            context.fail(parsed.error());
            return;
        }
        request.policy = *parsed;
    }
    const bool rangeForm = args.contains("series_id"_L1) || args.contains("from"_L1) || args.contains("to"_L1)
                           || args.contains("source"_L1);
    if (args.contains("verify_job_id"_L1)) {
        if (rangeForm) {
            context.fail(Error::badRequest(u"repair: verify_job_id with series_id, from, to or source; expected "
                                           u"one form of REP-6"_s));
            return;
        }
        const auto id = parseJobId(args.value("verify_job_id"_L1), u"verify_job_id");
        if (!id) {
            context.fail(id.error());
            return;
        }
        request.verifyJobId = *id;
    } else {
        auto target = verifyArgs(args, m_clock.nowSeconds());
        if (!target) {
            context.fail(target.error());
            return;
        }
        request.target = *target;
    }
    context.progress(0, std::nullopt, u"buckets"_s, u"verify"_s);
    m_workers->start(context, [request](repair::RepairServices &services) {
        return repair::runRepair(services, request);
    });
}

void RepairJobHandler::runResolve(JobContext &context)
{
    const QJsonObject &args = context.args();
    const QJsonValue action = args.value("action"_L1);
    const auto parsed = repair::parseReviewAction(action.toString());
    if (!parsed || *parsed != repair::ReviewAction::AcceptSource) {
        context.fail(Error::badRequest(protocol::gotExpected(u"action", action, u"accept_source for a job (REP-10)")));
        return;
    }
    const auto ids = parseReviewIds(args.value("ids"_L1));
    const auto actor = reviewActor(args);
    if (!ids || !actor) {
        context.fail(!ids ? ids.error() : actor.error());
        return;
    }
    const QList<qint64> idList = *ids;
    const QString resolvedBy = *actor;
    context.progress(0, idList.size(), u"rows"_s, u"write"_s);
    const Clock *clock = &m_clock;
    m_workers->start(context, [idList, resolvedBy, clock](repair::RepairServices &services) {
        return repair::resolveReview(services.writer, services.control, *clock, idList,
                                     repair::ReviewAction::AcceptSource, resolvedBy);
    });
}

} // namespace gapless::jobs
