#include "core/jobs/reviewcommands.h"

#include "core/domain/seriesid.h"
#include "core/protocol/clientframe.h"
#include "core/repair/reviewqueue.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

constexpr double kMaxId = 9007199254740991.0; // 2^53 − 1: exact in JSON

Result<qint64> wholeArg(const QJsonObject &args, QStringView field, double min, double max, qint64 fallback)
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return fallback;
    const double d = v.toDouble(min - 1);
    if (!v.isDouble() || d != std::floor(d) || d < min || d > max)
        return Error::badRequest(protocol::gotExpected(
            field, v, u"a whole number in %1..%2"_s.arg(QString::number(min, 'f', 0), QString::number(max, 'f', 0))));
    return qint64(d);
}

} // namespace

Result<QList<qint64>> parseReviewIds(const QJsonValue &value)
{
    const Error bad = Error::badRequest(protocol::gotExpected(u"ids", value, u"a non-empty array of item ids"));
    if (!value.isArray() || value.toArray().isEmpty())
        return bad;
    QList<qint64> ids;
    for (const QJsonValue &v : value.toArray()) {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || d < 1 || d > kMaxId)
            return bad;
        ids.append(qint64(d));
    }
    return ids;
}

Result<QString> reviewActor(const QJsonObject &args)
{
    const QJsonValue v = args.value("actor"_L1);
    if (v.isUndefined() || v.isNull())
        return u"ws:client"_s;
    if (!v.isString() || v.toString().isEmpty())
        return Error::badRequest(protocol::gotExpected(u"actor", v, u"a non-empty string naming who resolves"));
    return v.toString();
}

QJsonObject withActor(const QJsonObject &args, const QString &origin)
{
    const QJsonValue v = args.value("actor"_L1);
    if (origin.isEmpty() || !(v.isUndefined() || v.isNull()))
        return args;
    QJsonObject out = args;
    out.insert(u"actor"_s, origin);
    return out;
}

bool isKeepLocal(const QJsonObject &args)
{
    return args.value("action"_L1) == "keep_local"_L1;
}

Result<QJsonValue> keepLocal(store::CandleStore &store, const QJsonObject &args, qint64 nowMs)
{
    const auto ids = parseReviewIds(args.value("ids"_L1));
    if (!ids)
        return ids.error();
    const auto actor = reviewActor(args);
    if (!actor)
        return actor.error();
    if (auto items = repair::loadResolvable(store, *ids); !items)
        return items.error();
    if (auto ok = repair::markResolved(store, *ids, u"kept_local"_s, *actor, std::nullopt, nowMs); !ok)
        return ok.error();
    QJsonArray list;
    for (const qint64 id : *ids)
        list.append(double(id));
    return QJsonValue(QJsonObject{{u"ids"_s, list},
                                  {u"action"_s, u"keep_local"_s},
                                  {u"resolved"_s, double(ids->size())},
                                  {u"rows_inserted"_s, 0},
                                  {u"rows_updated"_s, 0}});
}

Result<QJsonValue> reviewList(store::CandleStore &store, const QJsonObject &args)
{
    repair::ReviewFilter filter;
    const QJsonValue series = args.value("series_id"_L1);
    if (!series.isUndefined() && !series.isNull()) {
        const auto parsed = SeriesId::parse(series.toString());
        if (!series.isString() || !parsed)
            return Error::badRequest(protocol::gotExpected(u"series_id", series, u"a series id (DOM-3)"));
        filter.seriesId = parsed->toString();
    }
    const QJsonValue state = args.value("state"_L1);
    if (!state.isUndefined() && !state.isNull()) {
        const QStringList states{u"open"_s, u"accepted_source"_s, u"kept_local"_s, u"all"_s};
        if (!states.contains(state.toString()))
            return Error::badRequest(
                protocol::gotExpected(u"state", state, u"one of open, accepted_source, kept_local, all"));
        filter.state = state.toString();
    }
    const auto after = wholeArg(args, u"after_id", 0, kMaxId, 0);
    const auto limit = wholeArg(args, u"limit", 1, 1000, 100);
    if (!after || !limit)
        return !after ? after.error() : limit.error();
    filter.afterId = *after;
    filter.limit = *limit + 1;
    auto items = repair::listReviewItems(store, filter);
    if (!items)
        return items.error();
    QJsonArray list;
    for (qsizetype i = 0; i < std::min<qsizetype>(items->size(), *limit); ++i)
        list.append(items->at(i).toJson());
    return QJsonValue(QJsonObject{{u"items"_s, list}, {u"has_more"_s, items->size() > *limit}});
}

} // namespace gapless::jobs
