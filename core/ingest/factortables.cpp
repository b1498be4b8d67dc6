#include "core/ingest/factortables.h"

#include "core/store/sqlexec.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

QVariant optionalValue(std::optional<qint64> v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

std::optional<qint64> optionalFrom(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

} // namespace

FactorTables::FactorTables(store::CandleStore &store)
    : m_store(store)
{
}

Result<std::optional<FactorState>> FactorTables::state(const SeriesId &series)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT head_time, fingerprint, dirty_from FROM factor_series_state "
                                     u"WHERE series_id = ?"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    if (!q->next())
        return std::optional<FactorState>();
    return std::optional<FactorState>(
        FactorState{optionalFrom(q->value(0)), q->value(1).toString(), optionalFrom(q->value(2))});
}

Result<void> FactorTables::saveState(const SeriesId &series, const FactorState &state, qint64 atMs)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"INSERT INTO factor_series_state(series_id, head_time, fingerprint, dirty_from, "
                                     u"updated_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (series_id) DO UPDATE SET "
                                     u"head_time = excluded.head_time, fingerprint = excluded.fingerprint, "
                                     u"dirty_from = excluded.dirty_from, updated_at_ms = excluded.updated_at_ms"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, optionalValue(state.headTime));
    q->bindValue(2, state.fingerprint);
    q->bindValue(3, optionalValue(state.dirtyFrom));
    q->bindValue(4, atMs);
    return store::execQuery(*q, ctx);
}

Result<QList<PivotEvent>> FactorTables::majors(const SeriesId &series)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT payload_json FROM factor_events WHERE series_id = ? AND factor_name = "
                                     u"'pivot' AND kind = 'pivot.major'"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    QList<PivotEvent> out;
    while (q->next()) {
        const QJsonObject p = QJsonDocument::fromJson(q->value(0).toByteArray()).object();
        PivotEvent e;
        e.major = true;
        e.pivotTime = p.value(u"pivot_time"_s).toInteger();
        e.resistance = p.value(u"direction"_s).toString() == u"resistance"_s;
        e.price = p.value(u"pivot_price"_s).toDouble();
        e.visibleTime = p.value(u"visible_time"_s).toInteger();
        e.window = p.value(u"window"_s).toInt();
        out.append(e);
    }
    std::sort(out.begin(), out.end(), [](const PivotEvent &a, const PivotEvent &b) {
        return a.pivotTime != b.pivotTime ? a.pivotTime < b.pivotTime : a.resistance > b.resistance;
    });
    return out;
}

Result<QHash<QString, StoredEvent>> FactorTables::events(const SeriesId &series)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT factor_name, event_key, kind, candle_time, payload_json FROM "
                                     u"factor_events WHERE series_id = ?"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    QHash<QString, StoredEvent> out;
    while (q->next()) {
        const QString name = q->value(0).toString();
        out.insert(name + u'|' + q->value(1).toString(),
                   StoredEvent{name, q->value(2).toString(), q->value(3).toLongLong(), q->value(4).toByteArray()});
    }
    return out;
}

Result<qint64> FactorTables::insertEvent(const SeriesId &series, const QString &factorName, const QString &key,
                                         const QString &kind, qint64 candleTime, const QByteArray &payload)
{
    if (!m_insertEvent) {
        QSqlDatabase db = m_store.database();
        auto q = store::prepareQuery(db, u"INSERT INTO factor_events(series_id, factor_name, event_key, kind, "
                                         u"candle_time, payload_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
                                         u"(series_id, factor_name, event_key) DO NOTHING"_s,
                                     m_store.url().redacted());
        if (!q)
            return q.error();
        m_insertEvent.emplace(std::move(*q));
    }
    QSqlQuery &q = *m_insertEvent;
    q.bindValue(0, series.toString());
    q.bindValue(1, factorName);
    q.bindValue(2, key);
    q.bindValue(3, kind);
    q.bindValue(4, candleTime);
    q.bindValue(5, QString::fromUtf8(payload));
    if (auto ok = store::execQuery(q, m_store.url().redacted()); !ok)
        return ok.error();
    return std::max(0, q.numRowsAffected());
}

Result<qint64> FactorTables::insertPivots(const SeriesId &series, const QList<PivotEvent> &events)
{
    qint64 inserted = 0;
    for (const PivotEvent &e : events) {
        auto n = insertEvent(series, PivotEvent::factorName(), e.key(), e.kind(), e.visibleTime, e.payloadJson());
        if (!n)
            return n.error();
        inserted += *n;
    }
    return inserted;
}

Result<qint64> FactorTables::insertPens(const SeriesId &series, const QList<PenEvent> &events)
{
    qint64 inserted = 0;
    for (const PenEvent &e : events) {
        auto n = insertEvent(series, PenEvent::factorName(), e.key(), PenEvent::kind(), e.visibleTime, e.payloadJson());
        if (!n)
            return n.error();
        inserted += *n;
    }
    return inserted;
}

Result<void> FactorTables::deleteEvent(const SeriesId &series, const QString &factorName, const QString &key)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"DELETE FROM factor_events WHERE series_id = ? AND factor_name = ? AND "
                                     u"event_key = ?"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, factorName);
    q->bindValue(2, key);
    return store::execQuery(*q, ctx);
}

Result<std::pair<qint64, QByteArray>> FactorTables::latestHead(const SeriesId &series, const QString &factorName)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT seq, head_json FROM factor_head_snapshots WHERE series_id = ? AND "
                                     u"factor_name = ? ORDER BY seq DESC LIMIT 1"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, factorName);
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    if (!q->next())
        return std::pair<qint64, QByteArray>{0, {}};
    return std::pair<qint64, QByteArray>{q->value(0).toLongLong(), q->value(1).toByteArray()};
}

Result<void> FactorTables::insertHead(const SeriesId &series, const QString &factorName, qint64 candleTime, qint64 seq,
                                      const QByteArray &headJson)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"INSERT INTO factor_head_snapshots(series_id, factor_name, candle_time, seq, "
                                     u"head_json) VALUES (?, ?, ?, ?, ?)"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, factorName);
    q->bindValue(2, candleTime);
    q->bindValue(3, seq);
    q->bindValue(4, QString::fromUtf8(headJson));
    return store::execQuery(*q, ctx);
}

} // namespace gapless::ingest
