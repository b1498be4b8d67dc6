#include "core/store/storequeries.h"

#include "core/store/sqlexec.h"

using namespace Qt::StringLiterals;

namespace gapless::store {

Result<GapReport> queryGaps(QSqlDatabase &db, const QString &context, const SeriesId &series, qint64 from, qint64 to)
{
    GapReport report;
    auto extent = prepareQuery(db, u"SELECT COUNT(*), MIN(candle_time), MAX(candle_time) FROM candles "
                                     u"WHERE series_id = ? AND candle_time >= ? AND candle_time <= ?"_s,
                               context);
    if (!extent)
        return extent.error();
    extent->bindValue(0, series.toString());
    extent->bindValue(1, from);
    extent->bindValue(2, to);
    if (auto ok = execQuery(*extent, context); !ok)
        return ok.error();
    if (extent->next()) {
        report.rows = extent->value(0).toLongLong();
        if (!extent->value(1).isNull()) {
            report.firstTime = extent->value(1).toLongLong();
            report.lastTime = extent->value(2).toLongLong();
        }
    }
    // Every consecutive pair further apart than one bar, computed by the database (STORE-10).
    auto holes = prepareQuery(db, u"SELECT prev_time, candle_time FROM (SELECT candle_time, "
                                    u"LAG(candle_time) OVER (ORDER BY candle_time) AS prev_time FROM candles "
                                    u"WHERE series_id = ? AND candle_time >= ? AND candle_time <= ?) AS ordered "
                                    u"WHERE candle_time - prev_time > ? ORDER BY candle_time"_s,
                              context);
    if (!holes)
        return holes.error();
    const qint64 tf = series.timeframe().seconds();
    holes->bindValue(0, series.toString());
    holes->bindValue(1, from);
    holes->bindValue(2, to);
    holes->bindValue(3, tf);
    if (auto ok = execQuery(*holes, context); !ok)
        return ok.error();
    while (holes->next()) {
        const qint64 prev = holes->value(0).toLongLong();
        const qint64 next = holes->value(1).toLongLong();
        report.gaps.append(Gap{prev, next, (next - prev) / tf - 1});
    }
    return report;
}

Result<QList<SeriesInfo>> querySeriesList(QSqlDatabase &db, const QString &context)
{
    auto query = prepareQuery(db, u"SELECT s.series_id, COUNT(c.candle_time), MIN(c.candle_time), "
                                    u"MAX(c.candle_time) FROM series s LEFT JOIN candles c ON c.series_id = "
                                    u"s.series_id GROUP BY s.series_id ORDER BY s.series_id"_s,
                              context);
    if (!query)
        return query.error();
    if (auto ok = execQuery(*query, context); !ok)
        return ok.error();
    QList<SeriesInfo> out;
    while (query->next()) {
        auto id = SeriesId::parse(query->value(0).toString());
        if (!id)
            continue; // a row written by hand with an invalid id is not a series
        SeriesInfo info;
        info.id = *id;
        info.count = query->value(1).toLongLong();
        if (!query->value(2).isNull()) {
            info.firstTime = query->value(2).toLongLong();
            info.headTime = query->value(3).toLongLong();
        }
        out.append(info);
    }
    return out;
}

Result<QList<SeriesId>> querySeriesIds(QSqlDatabase &db, const QString &context)
{
    auto query = prepareQuery(db, u"SELECT series_id FROM series ORDER BY series_id"_s, context);
    if (!query)
        return query.error();
    if (auto ok = execQuery(*query, context); !ok)
        return ok.error();
    QList<SeriesId> out;
    while (query->next()) {
        if (auto id = SeriesId::parse(query->value(0).toString()))
            out.append(*id);
    }
    return out;
}

} // namespace gapless::store
