#include "core/ingest/overlaytables.h"

#include "core/store/sqlexec.h"

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

OverlayVersion versionFrom(const QSqlQuery &q)
{
    return OverlayVersion{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                          q.value(4).toByteArray()};
}

} // namespace

OverlayTables::OverlayTables(store::CandleStore &store)
    : m_store(store)
{
}

Result<std::optional<QByteArray>> OverlayTables::latestDef(const SeriesId &series, const QString &instructionId)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT def_json FROM overlay_instruction_versions WHERE series_id = ? AND "
                                     u"instruction_id = ? ORDER BY version_id DESC LIMIT 1"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, instructionId);
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    if (!q->next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(q->value(0).toByteArray());
}

Result<QHash<QString, OverlayVersion>> OverlayTables::latestDefs(const SeriesId &series)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT v.version_id, v.instruction_id, v.kind, v.visible_time, v.def_json FROM "
                                     u"overlay_instruction_versions v WHERE v.series_id = ? AND v.version_id = "
                                     u"(SELECT MAX(w.version_id) FROM overlay_instruction_versions w WHERE "
                                     u"w.series_id = v.series_id AND w.instruction_id = v.instruction_id)"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    QHash<QString, OverlayVersion> out;
    while (q->next()) {
        OverlayVersion v = versionFrom(*q);
        out.insert(v.instructionId, v);
    }
    return out;
}

Result<qint64> OverlayTables::insertVersion(const SeriesId &series, const OverlayVersion &version)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    const bool lite = m_store.url().isSqlite();
    // PostgreSQL hands the new id back with RETURNING; SQLite through lastInsertId().
    auto q = store::prepareQuery(db, u"INSERT INTO overlay_instruction_versions(series_id, instruction_id, kind, "
                                     u"visible_time, def_json) VALUES (?, ?, ?, ?, ?)"_s
                                         + (lite ? QString() : u" RETURNING version_id"_s),
                                 ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, version.instructionId);
    q->bindValue(2, version.kind);
    q->bindValue(3, version.visibleTime);
    q->bindValue(4, QString::fromUtf8(version.defJson));
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    if (!lite)
        return q->next() ? q->value(0).toLongLong() : qint64(0);
    return q->lastInsertId().toLongLong();
}

Result<OverlayState> OverlayTables::state(const SeriesId &series)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT head_time, last_version_id FROM overlay_series_state WHERE "
                                     u"series_id = ?"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    OverlayState s;
    if (q->next()) {
        if (!q->value(0).isNull())
            s.headTime = q->value(0).toLongLong();
        s.lastVersionId = q->value(1).toLongLong();
    }
    return s;
}

Result<void> OverlayTables::saveState(const SeriesId &series, const OverlayState &state, qint64 atMs)
{
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"INSERT INTO overlay_series_state(series_id, head_time, last_version_id, "
                                     u"updated_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (series_id) DO UPDATE SET "
                                     u"head_time = excluded.head_time, last_version_id = excluded.last_version_id, "
                                     u"updated_at_ms = excluded.updated_at_ms"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, state.headTime ? QVariant(*state.headTime) : QVariant(QMetaType::fromType<qint64>()));
    q->bindValue(2, state.lastVersionId);
    q->bindValue(3, atMs);
    return store::execQuery(*q, ctx);
}

Result<OverlayDelta> OverlayTables::delta(const SeriesId &series, qint64 cursor, int limit)
{
    auto st = state(series);
    if (!st)
        return st.error();
    if (cursor > st->lastVersionId)
        return Error::conflict(u"overlays of '%1': cursor %2 is past the last version %3; expected a cursor from an "
                               u"earlier delta"_s.arg(series.toString()).arg(cursor).arg(st->lastVersionId));
    QSqlDatabase db = m_store.database();
    const QString ctx = m_store.url().redacted();
    auto q = store::prepareQuery(db, u"SELECT version_id, instruction_id, kind, visible_time, def_json FROM "
                                     u"overlay_instruction_versions WHERE series_id = ? AND version_id > ? "
                                     u"ORDER BY version_id LIMIT ?"_s, ctx);
    if (!q)
        return q.error();
    q->bindValue(0, series.toString());
    q->bindValue(1, cursor);
    q->bindValue(2, limit + 1);
    if (auto ok = store::execQuery(*q, ctx); !ok)
        return ok.error();
    OverlayDelta out;
    out.nextCursor = cursor;
    while (q->next()) {
        if (out.items.size() == limit) {
            out.hasMore = true;
            break;
        }
        out.items.append(versionFrom(*q));
        out.nextCursor = out.items.constLast().versionId;
    }
    return out;
}

} // namespace gapless::ingest
