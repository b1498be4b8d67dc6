#include "core/repair/repairrun.h"

#include "core/repair/knownseries.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gapless::repair {

Result<CandleList> readLocal(RepairServices &services, const SeriesId &series, qint64 from, qint64 to)
{
    if (services.known && !services.known->contains(series))
        return Error::notFound(u"series %1: not stored; expected a known series (REP-12)"_s.arg(series.toString()));
    auto rows = services.reader.range(series, from, to - 1);
    if (!rows && rows.error().code == ErrorCode::NotFound && services.known)
        return CandleList{}; // configured but not stored yet: every source row is missing
    if (!rows && rows.error().code == ErrorCode::NotFound)
        return Error::notFound(u"series %1: not stored; expected a known series"_s.arg(series.toString()));
    return rows;
}

Result<VerifyOutcome> runVerify(RepairServices &services, const VerifyRequest &request)
{
    const QList<DaySpan> spans = daySpans(request.from, request.to);
    services.control.progress(0, spans.size(), u"buckets"_s, u"verify"_s);
    auto local = readLocal(services, request.series, request.from, request.to);
    if (!local)
        return local.error();
    if (!services.control.checkpoint())
        return Error::conflict(u"verify: cancelled"_s);
    auto source = services.source.fetch(request.series, request.source, spans);
    if (!source)
        return source.error();
    VerifyOutcome out;
    out.report = compareBuckets(spans, *local, *source);
    out.local = std::move(*local);
    out.source = std::move(*source);
    services.control.progress(spans.size(), spans.size(), u"buckets"_s, u"verify"_s);
    return out;
}

Result<StoredVerify> readVerifyJob(store::CandleStore &store, qint64 jobId)
{
    QSqlDatabase db = store.database();
    const QString ctx = store.url().redacted() + u": jobs"_s;
    auto q = store::prepareQuery(db, u"SELECT kind, series_id, args_json, state, result_json FROM jobs WHERE job_id = ?"_s,
                                 ctx);
    if (!q)
        return q.error();
    q->addBindValue(jobId);
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    if (!q->next())
        return Error::notFound(u"verify job %1: no such job; expected the id of a verify job"_s.arg(jobId));
    if (q->value(0).toString() != u"verify"_s)
        return Error::badRequest(u"verify job %1: a %2 job; expected a verify job"_s.arg(jobId).arg(q->value(0).toString()));
    if (q->value(3).toString() != u"succeeded"_s)
        return Error::conflict(u"verify job %1: %2; expected a succeeded verify job"_s.arg(jobId).arg(q->value(3).toString()));
    const QJsonObject args = QJsonDocument::fromJson(q->value(2).toString().toUtf8()).object();
    const QJsonObject result = QJsonDocument::fromJson(q->value(4).toString().toUtf8()).object();
    const auto series = SeriesId::parse(args.value(u"series_id"_s).toString(q->value(1).toString()));
    auto source = SourceSpec::parse(args.value(u"source"_s).toString());
    if (!series || !source || !args.value(u"from"_s).isDouble() || !args.value(u"to"_s).isDouble())
        return Error::badRequest(u"verify job %1: unreadable args_json; expected series_id, from, to and source"_s.arg(jobId));
    VerifyRequest request{*series, qint64(args.value(u"from"_s).toDouble()), qint64(args.value(u"to"_s).toDouble()),
                          *source};
    return StoredVerify{request, result};
}

} // namespace gapless::repair
