#include "core/protocol/healthfields.h"

#include "core/backfill/healthlamp.h"
#include "core/domain/timearith.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

QJsonValue optionalInteger(std::optional<qint64> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

std::optional<qint64> latestClosed(qint64 nowS, qint64 tf)
{
    // tf comes from a valid Timeframe, so DOM-9's tf <= 0 error cannot occur.
    auto e = expectedLatestClosed(nowS, tf);
    return e ? *e : std::nullopt;
}

} // namespace

LagFigures lagFigures(qint64 nowS, Timeframe timeframe, std::optional<qint64> head, qint64 closeGraceS)
{
    const qint64 tf = timeframe.seconds();
    LagFigures f;
    f.expectedLatestClosed = latestClosed(nowS, tf);
    if (!head)
        return f;
    const auto graced = latestClosed(nowS - closeGraceS, tf);
    f.lagCandles = graced ? std::max<qint64>(0, floorDiv(*graced - *head, tf)) : 0;
    f.lagSeconds = *f.lagCandles * tf;
    return f;
}

QJsonObject notLiveHealth(const SeriesId &series, qint64 nowS, std::optional<qint64> head,
                          const HealthSettings &health, qint64 openErrors)
{
    const LagFigures lag = lagFigures(nowS, series.timeframe(), head, health.closeGraceS);
    backfill::HealthInputs inputs;
    inputs.head = head;
    inputs.lagCandles = lag.lagCandles;
    inputs.openErrors = openErrors;
    const backfill::HealthLamp lamp = backfill::evaluateLamp(inputs, health, nowS);
    return QJsonObject{
        {u"series_id"_s, series.toString()},
        {u"lamp"_s, lamp.lamp},
        {u"reason"_s, lamp.reason},
        {u"now"_s, nowS},
        {u"tf"_s, series.timeframe().seconds()},
        {u"head_time"_s, optionalInteger(head)},
        {u"expected_latest_closed"_s, optionalInteger(lag.expectedLatestClosed)},
        {u"lag_candles"_s, optionalInteger(lag.lagCandles)},
        {u"lag_seconds"_s, optionalInteger(lag.lagSeconds)},
        {u"source_state"_s, u"none"_s},
        {u"backfill"_s, QJsonObject{{u"state"_s, u"idle"_s}, {u"progress_pct"_s, QJsonValue(QJsonValue::Null)}}},
        {u"open_errors"_s, openErrors},
        {u"owner_node"_s, QJsonValue(QJsonValue::Null)},
    };
}

Result<QHash<QString, qint64>> openErrorCounts(store::CandleStore &store, const std::optional<SeriesId> &series)
{
    QSqlDatabase db = store.database();
    const QString context = store.url().redacted();
    // Fixed text; the status and the series id are bound (SEC-3).
    const QString sql = u"SELECT series_id, COUNT(*) FROM ingest_errors WHERE status = ?"_s
                        + (series ? u" AND series_id = ?"_s : QString()) + u" GROUP BY series_id"_s;
    auto query = store::prepareQuery(db, sql, context);
    if (!query)
        return query.error();
    query->bindValue(0, u"open"_s);
    if (series)
        query->bindValue(1, series->toString());
    if (auto ok = store::execQuery(*query, context); !ok)
        return ok.error();
    QHash<QString, qint64> counts;
    while (query->next())
        counts.insert(query->value(0).toString(), query->value(1).toLongLong());
    return counts;
}

} // namespace gapless::protocol
