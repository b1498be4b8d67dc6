#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

namespace gapless::store {
class CandleStore;
}

namespace gapless::protocol {

/// The read-only commands of PROTO §1.7: series_list, candles, gaps, overlays and health.
/// Lives on a reader thread and uses only that thread's read connection (STORE-5); never
/// writes. Arguments are validated here: a bad one is bad_request naming the argument
/// (`limit: got 0; expected an integer in 1..5000`); an unknown series is not_found.
class QueryCommands final
{
public:
    QueryCommands(store::CandleStore &store, const Clock &clock, const HealthSettings &health);
    Q_DISABLE_COPY_MOVE(QueryCommands)

    /// Whether `name` is one of the commands run here.
    [[nodiscard]] static bool handles(QStringView name);

    /// Runs `name` with `args` (an object; the caller has checked it is one) and returns `data`.
    [[nodiscard]] Result<QJsonValue> run(const QString &name, const QJsonObject &args);

    /// PROTO-26 `ingest_errors` watch: the open journal rows, newest first, at most 200,
    /// each as an `ingest_error` frame's fields (STORE-7 row less batch_json).
    [[nodiscard]] Result<QList<QJsonObject>> openIngestErrors(const QString &seriesFilter);

    void setHealthSettings(const HealthSettings &health) { m_health = health; }

private:
    [[nodiscard]] Result<QJsonValue> seriesList();
    [[nodiscard]] Result<QJsonValue> candles(const QJsonObject &args);
    [[nodiscard]] Result<QJsonValue> gaps(const QJsonObject &args);
    [[nodiscard]] Result<QJsonValue> overlays(const QJsonObject &args);
    [[nodiscard]] Result<QJsonValue> health(const QJsonObject &args);
    /// not_found unless the series has a `series` row.
    [[nodiscard]] Result<void> requireKnown(const SeriesId &series);

    store::CandleStore &m_store;
    const Clock &m_clock;
    HealthSettings m_health;
};

} // namespace gapless::protocol
