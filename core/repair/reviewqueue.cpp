#include "core/repair/reviewqueue.h"

#include "core/domain/canonicaljson.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gapless::repair {

namespace {

const QString kColumns = u"id, job_id, series_id, candle_time, local_json, source_json, source, state, created_at_ms, "
                         u"resolved_at_ms, resolved_by, resolve_job_id"_s;

QString context(store::CandleStore &store, const QString &what)
{
    return store.url().redacted() + u": "_s + what;
}

QJsonObject parseObject(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

std::optional<qint64> optionalInt(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

ReviewItem readItem(const QSqlQuery &q)
{
    ReviewItem item;
    item.id = q.value(0).toLongLong();
    item.jobId = q.value(1).toLongLong();
    item.seriesId = q.value(2).toString();
    item.candleTime = q.value(3).toLongLong();
    item.local = parseObject(q.value(4));
    item.source = parseObject(q.value(5));
    item.sourceName = q.value(6).toString();
    item.state = q.value(7).toString();
    item.createdAtMs = q.value(8).toLongLong();
    item.resolvedAtMs = optionalInt(q.value(9));
    item.resolvedBy = q.value(10).toString();
    item.resolveJobId = optionalInt(q.value(11));
    return item;
}

QJsonValue optionalJson(std::optional<qint64> v, bool asString = false)
{
    if (!v)
        return QJsonValue();
    return asString ? QJsonValue(QString::number(*v)) : QJsonValue(double(*v));
}

} // namespace

QJsonObject ReviewItem::toJson() const
{
    return QJsonObject{{u"id"_s, double(id)},
                       {u"job_id"_s, QString::number(jobId)},
                       {u"series_id"_s, seriesId},
                       {u"candle_time"_s, double(candleTime)},
                       {u"local_json"_s, local},
                       {u"source_json"_s, source},
                       {u"source"_s, sourceName},
                       {u"state"_s, state},
                       {u"created_at_ms"_s, double(createdAtMs)},
                       {u"resolved_at_ms"_s, optionalJson(resolvedAtMs)},
                       {u"resolved_by"_s, resolvedBy.isEmpty() ? QJsonValue() : QJsonValue(resolvedBy)},
                       {u"resolve_job_id"_s, optionalJson(resolveJobId, true)}};
}

QJsonObject ohlcvJson(const Candle &c)
{
    return QJsonObject{{u"open"_s, c.open}, {u"high"_s, c.high}, {u"low"_s, c.low}, {u"close"_s, c.close},
                       {u"volume"_s, c.volume}};
}

std::optional<Candle> candleFromOhlcv(qint64 time, const QJsonObject &o)
{
    for (const auto key : {u"open", u"high", u"low", u"close", u"volume"}) {
        if (!o.value(key).isDouble())
            return std::nullopt;
    }
    return Candle{time, o.value(u"open").toDouble(), o.value(u"high").toDouble(), o.value(u"low").toDouble(),
                  o.value(u"close").toDouble(), o.value(u"volume").toDouble()};
}

Result<qint64> openReviewItems(store::CandleStore &store, qint64 jobId, const SeriesId &series, const QString &source,
                               const QList<ReviewFinding> &findings, qint64 nowMs)
{
    if (findings.isEmpty())
        return qint64(0);
    QSqlDatabase db = store.database();
    const QString ctx = context(store, u"review_items"_s);
    auto update = store::prepareQuery(db, u"UPDATE review_items SET job_id = ?, local_json = ?, source_json = ?, "
                                          u"source = ? WHERE series_id = ? AND candle_time = ? AND state = 'open'"_s, ctx);
    auto insert = store::prepareQuery(db, u"INSERT INTO review_items(job_id, series_id, candle_time, local_json, "
                                          u"source_json, source, state, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)"_s,
                                      ctx);
    if (!update)
        return update.error();
    if (!insert)
        return insert.error();
    if (auto ok = store.begin(); !ok)
        return ok.error();
    for (const ReviewFinding &f : findings) {
        const QString local = QString::fromUtf8(canonicalJson(ohlcvJson(f.local)));
        const QString remote = QString::fromUtf8(canonicalJson(ohlcvJson(f.source)));
        for (const QVariant &v : {QVariant(jobId), QVariant(local), QVariant(remote), QVariant(source),
                                  QVariant(series.toString()), QVariant(f.local.time)})
            update->addBindValue(v);
        auto ok = store::execQuery(*update, ctx);
        if (ok && update->numRowsAffected() == 0) {
            for (const QVariant &v : {QVariant(jobId), QVariant(series.toString()), QVariant(f.local.time),
                                      QVariant(local), QVariant(remote), QVariant(source), QVariant(nowMs)})
                insert->addBindValue(v);
            ok = store::execQuery(*insert, ctx);
        }
        if (!ok) {
            (void)store.rollback();
            return ok.error();
        }
    }
    if (auto ok = store.commit(); !ok)
        return ok.error();
    return qint64(findings.size());
}

Result<QList<ReviewItem>> listReviewItems(store::CandleStore &store, const ReviewFilter &filter)
{
    QSqlDatabase db = store.database();
    const QString ctx = context(store, u"review_list"_s);
    QString sql = u"SELECT %1 FROM review_items WHERE id > ?"_s.arg(kColumns);
    QVariantList binds{filter.afterId};
    if (!filter.seriesId.isEmpty()) {
        sql += u" AND series_id = ?"_s;
        binds.append(filter.seriesId);
    }
    if (filter.state != u"all"_s) {
        sql += u" AND state = ?"_s;
        binds.append(filter.state);
    }
    sql += u" ORDER BY id LIMIT ?"_s;
    binds.append(filter.limit);
    auto q = store::runBound(db, sql, binds, ctx);
    if (!q)
        return q.error();
    QList<ReviewItem> items;
    while (q->next())
        items.append(readItem(*q));
    return items;
}

Result<QList<ReviewItem>> loadResolvable(store::CandleStore &store, const QList<qint64> &ids)
{
    QSqlDatabase db = store.database();
    const QString ctx = context(store, u"review_resolve"_s);
    auto q = store::prepareQuery(db, u"SELECT %1 FROM review_items WHERE id = ?"_s.arg(kColumns), ctx);
    if (!q)
        return q.error();
    QList<ReviewItem> items;
    for (const qint64 id : ids) {
        q->addBindValue(id);
        if (auto ok = store::execQuery(*q, ctx); !ok)
            return ok.error();
        if (!q->next())
            return Error::notFound(u"review item %1: no such item; expected an id from review list"_s.arg(id));
        const ReviewItem item = readItem(*q);
        q->finish();
        if (item.state != u"open"_s)
            return Error::conflict(u"review item %1: already %2; expected an open item"_s.arg(id).arg(item.state));
        const auto series = SeriesId::parse(item.seriesId);
        const auto expected = candleFromOhlcv(item.candleTime, item.local);
        if (!series || !expected)
            return Error::internal(u"review item %1: unreadable row; expected a series id and OHLCV"_s.arg(id));
        auto rows = store.range(*series, item.candleTime, item.candleTime);
        if (!rows && rows.error().code != ErrorCode::NotFound)
            return rows.error();
        if (!rows || rows->size() != 1 || !(rows->first() == *expected))
            return Error::conflict(u"review item %1: the local row of %2 at %3 changed since the review opened; "
                                   u"expected it to equal local_json"_s.arg(id).arg(item.seriesId).arg(item.candleTime));
        items.append(item);
    }
    return items;
}

Result<void> markResolved(store::CandleStore &store, const QList<qint64> &ids, const QString &state,
                          const QString &resolvedBy, std::optional<qint64> resolveJobId, qint64 nowMs)
{
    QSqlDatabase db = store.database();
    const QString ctx = context(store, u"review_resolve"_s);
    auto q = store::prepareQuery(db, u"UPDATE review_items SET state = ?, resolved_at_ms = ?, resolved_by = ?, "
                                     u"resolve_job_id = ? WHERE id = ? AND state = 'open'"_s, ctx);
    if (!q)
        return q.error();
    for (const qint64 id : ids) {
        for (const QVariant &v : {QVariant(state), QVariant(nowMs), QVariant(resolvedBy),
                                  resolveJobId ? QVariant(*resolveJobId) : QVariant(),
                                  QVariant(id)})
            q->addBindValue(v);
        if (auto ok = store::execQuery(*q, ctx); !ok)
            return ok.error();
        if (q->numRowsAffected() != 1)
            return Error::conflict(u"review item %1: resolved meanwhile; expected an open item"_s.arg(id));
    }
    return {};
}

} // namespace gapless::repair
