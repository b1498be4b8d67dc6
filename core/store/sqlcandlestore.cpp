#include "core/store/sqlcandlestore.h"

#include "core/store/sqlexec.h"
#include "core/store/storequeries.h"

#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::store {

namespace {

constexpr qint64 kNoLimit = std::numeric_limits<qint64>::max();
constexpr int kColumns = 7;

const QString kCandleColumns = u"candle_time, open, high, low, close, volume"_s;

QString insertSql(int rows)
{
    QString sql = u"INSERT INTO candles(series_id, candle_time, open, high, low, close, volume) VALUES "_s;
    sql.reserve(sql.size() + rows * 16);
    for (int i = 0; i < rows; ++i)
        sql += i == 0 ? u"(?,?,?,?,?,?,?)"_s : u",(?,?,?,?,?,?,?)"_s;
    return sql;
}

bool isSavepointName(const QString &name)
{
    static const QRegularExpression pattern(u"^[a-z_]{1,32}$"_s);
    return pattern.match(name).hasMatch();
}

} // namespace

SqlCandleStore::SqlCandleStore(const StoreUrl &url, SqlDialect dialect, int maxRowsPerInsert)
    : m_url(url)
    , m_dialect(dialect)
    , m_maxRowsPerInsert(maxRowsPerInsert)
    , m_connectionName(u"gapless-store-%1"_s.arg(quintptr(this), 0, 16))
{
}

SqlCandleStore::~SqlCandleStore()
{
    releaseQueries();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void SqlCandleStore::releaseQueries()
{
    m_selectExisting.reset();
    m_insertChunk.reset();
    m_insertSeries.reset();
    m_updateCandle.reset();
    m_insertRevision.reset();
    m_hasSeries.reset();
    m_prepared.clear();
}

Result<QSqlQuery *> SqlCandleStore::prepared(const QString &sql)
{
    return cached(m_prepared[sql], sql);
}

Result<void> SqlCandleStore::prepareSchema(bool readOnly)
{
    if (!readOnly) {
        auto version = migrate(m_db, m_dialect, context(), QDateTime::currentMSecsSinceEpoch());
        if (!version)
            return version.error();
        m_schemaVersion = *version;
        return {};
    }
    auto query = prepareQuery(m_db, u"SELECT MAX(version) FROM schema_migrations"_s, context());
    if (!query || !query->exec() || !query->next())
        return Error::notFound(u"%1: no gapless schema; expected a database written by gapless"_s.arg(context()));
    m_schemaVersion = query->value(0).toInt();
    const int known = migrations().constLast().version;
    if (m_schemaVersion > known)
        return Error::conflict(u"%1: schema version %2 is newer than this build's %3; expected a database written "
                               u"by this or an older version of gapless"_s.arg(context()).arg(m_schemaVersion).arg(known));
    return {};
}

Result<void> SqlCandleStore::begin()
{
    return execFixed(m_db, m_dialect == SqlDialect::Sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s, context());
}

Result<void> SqlCandleStore::commit()
{
    return execFixed(m_db, u"COMMIT"_s, context());
}

Result<void> SqlCandleStore::rollback()
{
    return execFixed(m_db, u"ROLLBACK"_s, context());
}

Result<void> SqlCandleStore::savepoint(const QString &name)
{
    if (!isSavepointName(name))
        return Error::internal(u"savepoint '%1': invalid name; expected [a-z_]{1,32}"_s.arg(name));
    return execFixed(m_db, u"SAVEPOINT "_s + name, context());
}

Result<void> SqlCandleStore::rollbackTo(const QString &name)
{
    if (!isSavepointName(name))
        return Error::internal(u"savepoint '%1': invalid name; expected [a-z_]{1,32}"_s.arg(name));
    return execFixed(m_db, u"ROLLBACK TO SAVEPOINT "_s + name, context());
}

Result<void> SqlCandleStore::reconnect()
{
    releaseQueries();
    beforeDisconnect();
    m_db.close();
    if (!m_db.open())
        return sqlError(context(), m_db.lastError());
    return afterConnect();
}

Result<QSqlQuery *> SqlCandleStore::cached(std::optional<QSqlQuery> &slot, const QString &sql)
{
    if (!slot) {
        auto query = prepareQuery(m_db, sql, context());
        if (!query)
            return query.error();
        slot.emplace(std::move(*query));
    }
    return &*slot;
}

Result<bool> SqlCandleStore::hasSeries(const SeriesId &series)
{
    auto query = cached(m_hasSeries, u"SELECT 1 FROM series WHERE series_id = ?"_s);
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.bindValue(0, series.toString());
    if (auto ok = execQuery(q, context()); !ok)
        return ok.error();
    const bool found = q.next();
    q.finish();
    return found;
}

Result<void> SqlCandleStore::requireSeries(const SeriesId &series)
{
    auto found = hasSeries(series);
    if (!found)
        return found.error();
    if (!*found)
        return Error::notFound(u"series '%1': not in the store %2; expected a series that has been imported or "
                               u"ingested"_s.arg(series.toString(), context()));
    return {};
}

Result<UpsertResult> SqlCandleStore::upsert(const SeriesId &series, const CandleList &candles,
                                            const RevisionContext &revision)
{
    UpsertResult result;
    if (candles.isEmpty())
        return result;
    auto stored = readStored(series, candles.constFirst().time, candles.constLast().time);
    if (!stored)
        return stored.error();

    // Both sides ascend by time: one merge pass classifies every row (STORE-8, ING-5).
    CandleList toInsert;
    QList<std::pair<Candle, Candle>> toUpdate;
    qsizetype i = 0;
    const qsizetype n = candles.size();
    for (const Candle &old : std::as_const(*stored)) {
        while (i < n && candles.at(i).time < old.time)
            toInsert.append(candles.at(i++));
        if (i < n && candles.at(i).time == old.time) {
            if (candles.at(i) == old)
                ++result.identical;
            else
                toUpdate.append({old, candles.at(i)});
            ++i;
        }
    }
    while (i < n)
        toInsert.append(candles.at(i++));

    if (!toInsert.isEmpty()) {
        if (auto ok = ensureSeriesRow(series, revision.atMs); !ok)
            return ok.error();
        if (auto ok = insertRows(series, toInsert); !ok)
            return ok.error();
    }
    for (const auto &[old, now] : std::as_const(toUpdate)) {
        if (auto ok = updateRow(series, old, now, revision); !ok)
            return ok.error();
    }
    result.inserted = toInsert.size();
    result.updated = toUpdate.size();
    result.insertedTimes.reserve(toInsert.size());
    for (const Candle &c : std::as_const(toInsert))
        result.insertedTimes.append(c.time);
    for (const auto &pair : std::as_const(toUpdate))
        result.updatedTimes.append(pair.second.time);
    return result;
}

Result<CandleList> SqlCandleStore::readStored(const SeriesId &series, qint64 from, qint64 to)
{
    auto select = cached(m_selectExisting, u"SELECT "_s + kCandleColumns
                                               + u" FROM candles WHERE series_id = ? AND candle_time >= ? "
                                                 u"AND candle_time <= ? ORDER BY candle_time"_s);
    if (!select)
        return select.error();
    QSqlQuery &q = **select;
    q.bindValue(0, series.toString());
    q.bindValue(1, from);
    q.bindValue(2, to);
    return readCandles(q, false);
}

Result<void> SqlCandleStore::ensureSeriesRow(const SeriesId &series, qint64 atMs)
{
    auto query = cached(m_insertSeries, u"INSERT INTO series(series_id, tf_s, created_at_ms) VALUES (?, ?, ?) "
                                        u"ON CONFLICT (series_id) DO NOTHING"_s);
    if (!query)
        return query.error();
    QSqlQuery &q = **query;
    q.bindValue(0, series.toString());
    q.bindValue(1, series.timeframe().seconds());
    q.bindValue(2, atMs);
    return execQuery(q, context());
}

Result<void> SqlCandleStore::insertRows(const SeriesId &series, const CandleList &rows)
{
    const QString id = series.toString();
    for (qsizetype start = 0; start < rows.size(); start += m_maxRowsPerInsert) {
        const int count = int(std::min<qsizetype>(m_maxRowsPerInsert, rows.size() - start));
        std::optional<QSqlQuery> partial;
        QSqlQuery *query = nullptr;
        if (count == m_maxRowsPerInsert) {
            auto full = cached(m_insertChunk, insertSql(count));
            if (!full)
                return full.error();
            query = *full;
        } else {
            auto prepared = prepareQuery(m_db, insertSql(count), context());
            if (!prepared)
                return prepared.error();
            partial.emplace(std::move(*prepared));
            query = &*partial;
        }
        int pos = 0;
        for (int k = 0; k < count; ++k) {
            const Candle &c = rows.at(start + k);
            query->bindValue(pos++, id);
            query->bindValue(pos++, c.time);
            query->bindValue(pos++, c.open);
            query->bindValue(pos++, c.high);
            query->bindValue(pos++, c.low);
            query->bindValue(pos++, c.close);
            query->bindValue(pos++, c.volume);
        }
        Q_ASSERT(pos == count * kColumns);
        if (auto ok = execQuery(*query, context()); !ok)
            return ok;
    }
    return {};
}

Result<void> SqlCandleStore::updateRow(const SeriesId &series, const Candle &old, const Candle &now,
                                       const RevisionContext &revision)
{
    auto update = cached(m_updateCandle, u"UPDATE candles SET open = ?, high = ?, low = ?, close = ?, volume = ? "
                                         u"WHERE series_id = ? AND candle_time = ?"_s);
    if (!update)
        return update.error();
    QSqlQuery &u = **update;
    u.bindValue(0, now.open);
    u.bindValue(1, now.high);
    u.bindValue(2, now.low);
    u.bindValue(3, now.close);
    u.bindValue(4, now.volume);
    u.bindValue(5, series.toString());
    u.bindValue(6, now.time);
    if (auto ok = execQuery(u, context()); !ok)
        return ok;

    auto insert = cached(m_insertRevision,
                         u"INSERT INTO candle_revisions(series_id, candle_time, old_open, old_high, old_low, "
                         u"old_close, old_volume, new_open, new_high, new_low, new_close, new_volume, cause, run_id, "
                         u"job_id, request_id, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    if (!insert)
        return insert.error();
    QSqlQuery &r = **insert;
    const QVariantList values{series.toString(), now.time,  old.open,       old.high,  old.low,    old.close,
                              old.volume,        now.open,  now.high,       now.low,   now.close,  now.volume,
                              revision.cause,    revision.runId,
                              revision.jobId ? QVariant(*revision.jobId) : QVariant(QMetaType::fromType<qint64>()),
                              revision.requestId.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                           : QVariant(revision.requestId),
                              revision.atMs};
    for (int k = 0; k < values.size(); ++k)
        r.bindValue(k, values.at(k));
    return execQuery(r, context());
}

Result<CandleList> SqlCandleStore::readCandles(QSqlQuery &query, bool descending)
{
    if (auto ok = execQuery(query, context()); !ok)
        return ok.error();
    CandleList out;
    while (query.next()) {
        out.append(Candle{query.value(0).toLongLong(), query.value(1).toDouble(), query.value(2).toDouble(),
                          query.value(3).toDouble(), query.value(4).toDouble(), query.value(5).toDouble()});
    }
    query.finish();
    if (descending)
        std::reverse(out.begin(), out.end());
    return out;
}

Result<CandleList> SqlCandleStore::selectCandles(const SeriesId &series, const QString &condition, bool newestFirst,
                                                 const QVariantList &values, qint64 limit)
{
    if (auto ok = requireSeries(series); !ok)
        return ok.error();
    // `condition` is fixed text from this file; every value is bound (SEC-3).
    auto query = prepareQuery(m_db, u"SELECT "_s + kCandleColumns + u" FROM candles WHERE series_id = ?"_s + condition
                                        + (newestFirst ? u" ORDER BY candle_time DESC"_s : u" ORDER BY candle_time"_s)
                                        + u" LIMIT ?"_s,
                              context());
    if (!query)
        return query.error();
    int pos = 0;
    query->bindValue(pos++, series.toString());
    for (const QVariant &v : values)
        query->bindValue(pos++, v);
    query->bindValue(pos, limit < 0 ? kNoLimit : limit);
    return readCandles(*query, newestFirst);
}

Result<CandleList> SqlCandleStore::range(const SeriesId &series, qint64 from, qint64 to, qint64 limit)
{
    return selectCandles(series, u" AND candle_time >= ? AND candle_time <= ?"_s, false, {from, to}, limit);
}

Result<CandleList> SqlCandleStore::tail(const SeriesId &series, qint64 count)
{
    return selectCandles(series, QString(), true, {}, std::max<qint64>(0, count));
}

Result<CandleList> SqlCandleStore::after(const SeriesId &series, qint64 time, qint64 limit)
{
    return selectCandles(series, u" AND candle_time > ?"_s, false, {time}, limit);
}

Result<CandleList> SqlCandleStore::before(const SeriesId &series, qint64 time, qint64 limit)
{
    return selectCandles(series, u" AND candle_time < ?"_s, true, {time}, limit);
}

Result<std::optional<qint64>> SqlCandleStore::headTime(const SeriesId &series)
{
    if (auto ok = requireSeries(series); !ok)
        return ok.error();
    auto query = prepareQuery(m_db, u"SELECT MAX(candle_time) FROM candles WHERE series_id = ?"_s, context());
    if (!query)
        return query.error();
    query->bindValue(0, series.toString());
    if (auto ok = execQuery(*query, context()); !ok)
        return ok.error();
    std::optional<qint64> head;
    if (query->next() && !query->value(0).isNull())
        head = query->value(0).toLongLong();
    return head;
}

Result<GapReport> SqlCandleStore::gaps(const SeriesId &series, qint64 from, qint64 to)
{
    if (auto ok = requireSeries(series); !ok)
        return ok.error();
    return queryGaps(m_db, context(), series, from, to);
}

Result<QList<SeriesInfo>> SqlCandleStore::seriesList()
{
    return querySeriesList(m_db, context());
}

Result<QList<SeriesId>> SqlCandleStore::seriesIds()
{
    return querySeriesIds(m_db, context());
}

} // namespace gapless::store
