#include "core/backfill/startupsync.h"

#include "core/domain/timearith.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

QJsonValue optionalValue(std::optional<qint64> v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}

} // namespace

StartupSync::StartupSync(const Clock &clock, GapBackfill &backfill, HeadReader headOf, QObject *parent)
    : QObject(parent), m_clock(clock), m_backfill(backfill), m_headOf(std::move(headOf))
{
}

void StartupSync::start(const QList<SeriesId> &series, int targetCandles, int parallel)
{
    m_queue = series; // SyncSettings gives them canonical, unique and sorted (BF-19)
    m_total = int(series.size());
    m_target = targetCandles;
    m_parallel = std::max(1, parallel);
    m_nowS = m_clock.nowSeconds(); // one `now` for every series
    m_startedMs = m_clock.nowMs();
    if (m_queue.isEmpty()) {
        QMetaObject::invokeMethod(this, &StartupSync::finish, Qt::QueuedConnection);
        return;
    }
    next();
}

void StartupSync::next()
{
    while (m_running < m_parallel && !m_queue.isEmpty()) {
        ++m_running;
        sync(m_queue.takeFirst());
    }
    if (m_running == 0 && m_queue.isEmpty())
        finish();
}

void StartupSync::sync(const SeriesId &series)
{
    const auto target = expectedLatestClosed(m_nowS, series.timeframe().seconds());
    m_headOf(series, [this, series, target](std::optional<qint64> headBefore) {
        auto done = [this, series, target, headBefore](const TailResult &tail) {
            m_headOf(series, [this, series, target, headBefore, tail](std::optional<qint64> headAfter) {
                // BF-20: synced when the head reached the target; else an error or lagging.
                const bool synced = !target || !*target || (headAfter && *headAfter >= **target);
                const QString status = synced ? u"synced"_s : !tail.errors.isEmpty() ? u"error"_s : u"lagging"_s;
                m_results.append(QJsonObject{
                    {u"series_id"_s, series.toString()},
                    {u"target_time"_s, target && *target ? QJsonValue(double(**target)) : QJsonValue()},
                    {u"head_before"_s, optionalValue(headBefore)},
                    {u"head_after"_s, optionalValue(headAfter)},
                    {u"covered"_s, double(tail.covered)},
                    {u"filled"_s, double(tail.filled)},
                    {u"status"_s, status},
                    {u"error"_s, tail.errors.isEmpty() ? QJsonValue() : QJsonValue(tail.errors.join(u"; "_s))}});
                emit seriesDone(series);
                --m_running;
                next();
            });
        };
        if (!target || !*target) {
            done(TailResult{});
            return;
        }
        m_backfill.ensureTailCoverage(series, m_target, **target, done);
    });
}

void StartupSync::finish()
{
    if (!m_report.isEmpty())
        return;
    int synced = 0, lagging = 0, errors = 0;
    for (const QJsonValue &r : std::as_const(m_results)) {
        const QString status = r.toObject().value("status"_L1).toString();
        synced += status == "synced"_L1;
        lagging += status == "lagging"_L1;
        errors += status == "error"_L1;
    }
    m_report = QJsonObject{{u"state"_s, u"done"_s},
                           {u"duration_ms"_s, double(m_clock.nowMs() - m_startedMs)},
                           {u"series_total"_s, m_total},
                           {u"synced"_s, synced},
                           {u"lagging"_s, lagging},
                           {u"errors"_s, errors},
                           {u"results"_s, m_results}};
    emit finished(m_report);
}

} // namespace gapless::backfill
