#include "core/runtime/healthanswer.h"

#include "core/backfill/healthmonitor.h"
#include "core/ingest/ingestwriter.h"
#include "core/jobs/jobscheduler.h"
#include "core/protocol/commandargs.h"
#include "core/protocol/healthfields.h"
#include "core/store/candlestore.h"

#include <QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless {

void followJobClock(const jobs::JobScheduler &scheduler, backfill::HealthMonitor &monitor)
{
    QObject::connect(&scheduler, &jobs::JobScheduler::clockBackwardsChanged, &monitor,
                     &backfill::HealthMonitor::setClockBackwards);
    monitor.setClockBackwards(scheduler.clockBackwards());
}

void readStoredHealth(ingest::IngestWriter &writer, QObject *context, std::function<void(const StoredHealth &)> done)
{
    writer.post([context = QPointer<QObject>(context), done = std::move(done)](store::CandleStore *store) {
        StoredHealth stored;
        if (!store) {
            stored.error = u"store: not open"_s;
        } else if (auto list = store->seriesList(); !list) {
            stored.error = list.error().message;
        } else if (auto counts = protocol::openErrorCounts(*store, std::nullopt); !counts) {
            stored.error = counts.error().message;
        } else {
            for (const store::SeriesInfo &info : std::as_const(*list))
                stored.heads.append({info.id, info.headTime});
            for (auto it = counts->cbegin(); it != counts->cend(); ++it) {
                stored.openTotal += it.value();
                if (const auto series = SeriesId::parse(it.key()))
                    stored.openErrors.insert(*series, it.value());
            }
        }
        if (context)
            QMetaObject::invokeMethod(context, [done, stored] { done(stored); }, Qt::QueuedConnection);
    });
}

Result<QJsonValue> healthAnswer(const backfill::HealthMonitor &monitor, const QJsonObject &args, qint64 nowS,
                                const HealthExtras &extras)
{
    auto filter = protocol::optionalSeriesArg(args);
    if (!filter)
        return filter.error();
    QList<SeriesId> series = monitor.series();
    if (*filter) {
        if (!series.contains(**filter))
            return Error::notFound(
                u"series_id '%1': unknown series; expected one of series_list"_s.arg((*filter)->toString()));
        series = {**filter};
    }
    std::sort(series.begin(), series.end(),
              [](const SeriesId &a, const SeriesId &b) { return a.toString() < b.toString(); });
    QJsonArray items;
    for (const SeriesId &id : std::as_const(series))
        items.append(monitor.health(id));
    return QJsonValue(QJsonObject{
        {u"now"_s, nowS},
        {u"series"_s, items},
        {u"startup_sync"_s, extras.startupSync.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(extras.startupSync)},
        {u"sources"_s, extras.sources},
        {u"counters"_s, extras.counters},
    });
}

} // namespace gapless
