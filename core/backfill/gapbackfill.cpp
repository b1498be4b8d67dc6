#include "core/backfill/gapbackfill.h"

#include "core/backfill/gapbackfilloperation.h"
#include "core/backfill/progresstracker.h"
#include "core/domain/rollup.h"
#include "core/domain/timearith.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/logging.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/binance/klinerows.h"
#include "core/store/candlestore.h"

#include <QPointer>
#include <QSet>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

GapBackfill::GapBackfill(const Clock &clock, ingest::IngestWriter *writer, sources::BinanceRestClient *rest,
                         sources::FileSource files, ProgressTracker *tracker, const BackfillSettings &settings,
                         QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_writer(writer)
    , m_rest(rest)
    , m_files(std::move(files))
    , m_tracker(tracker)
    , m_settings(settings)
{
    qRegisterMetaType<gapless::backfill::GapResult>();
    connect(m_writer, &ingest::IngestWriter::runFinished, this, &GapBackfill::onRunFinished);
    if (m_rest) {
        connect(m_rest, &sources::BinanceRestClient::windowFetched, this, &GapBackfill::onWindow);
        connect(m_rest, &sources::BinanceRestClient::rangeFinished, this, [this](quint64 id, const QStringList &errors) {
            const auto op = m_restRequests.take(id);
            if (!op)
                return;
            for (const QString &e : errors)
                op->result.errors.append(u"rest: "_s + e);
            if (--op->restPending == 0)
                op->restDone = true;
            afterRest(op);
        });
    }
}

GapBackfill::~GapBackfill() = default;

qint64 GapBackfill::nextRunId()
{
    return m_clock.nowMs() * 1000 + (++m_runCounter % 1000);
}

bool GapBackfill::hasNetworkSource(const SeriesId &series) const
{
    return m_rest && series.exchange() == "binance"_L1
           && (series.market() == "spot"_L1 || series.market() == "futures"_L1);
}

bool GapBackfill::isKnownSourceMissing(const SeriesId &series, qint64 slot) const
{
    const auto it = m_sourceMissing.constFind(series);
    return it != m_sourceMissing.constEnd() && it->value(slot, 0) > m_clock.nowMs();
}

bool GapBackfill::canHeal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime) const
{
    // BF-4
    const qint64 tf = series.timeframe().seconds();
    const qint64 count = actualTime > expectedNextTime ? (actualTime - expectedNextTime) / tf : 0;
    if (!m_settings.gapEnabled || count <= 0 || count > m_settings.gapHealMaxBars)
        return false;
    const auto e = expectedLatestClosed(m_clock.nowSeconds(), tf);
    if (!e || !*e || actualTime - tf > **e)
        return false;
    if (!hasNetworkSource(series) && !m_files.locate(series))
        return false;
    for (qint64 t = expectedNextTime; t < actualTime; t += tf) {
        if (!isKnownSourceMissing(series, t))
            return true;
    }
    return false;
}

void GapBackfill::heal(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, int, QObject *context,
                       std::function<void()> done)
{
    QPointer<QObject> guard(context);
    run(series, expectedNextTime, actualTime, [guard, done](const GapResult &) {
        if (guard)
            done();
    });
}

void GapBackfill::run(const SeriesId &series, qint64 expectedNext, qint64 actual, Done done, RunTag tag)
{
    if (auto running = m_running.value(series)) {
        if (running->expectedNext == expectedNext && running->actual == actual) {
            running->waiters.append(std::move(done)); // BF-1: an identical request joins
            return;
        }
    }
    auto op = std::make_shared<Operation>();
    op->series = series;
    op->expectedNext = expectedNext;
    op->actual = actual;
    op->tag = std::move(tag);
    op->from = expectedNext;
    op->to = actual - series.timeframe().seconds();
    op->waiters.append(std::move(done));
    if (op->to < op->from) {
        QMetaObject::invokeMethod(this, [this, op] { finish(op); }, Qt::QueuedConnection);
        return;
    }
    start(op);
}

void GapBackfill::start(const std::shared_ptr<Operation> &op)
{
    op->result.slotCount = (op->to - op->from) / op->tf() + 1;
    m_running.insert(op->series, op);
    readMissing(op, [this, op] {
        op->result.presentBefore = op->result.slotCount - op->missing.size();
        if (m_tracker && !op->missing.isEmpty())
            m_tracker->begin(op->series, op->reason, op->missing.size());
        levelFiles(op);
    });
}

void GapBackfill::ensureTailCoverage(const SeriesId &series, int count, std::optional<qint64> toTime, TailDone done)
{
    const Timeframe tf = series.timeframe();
    const auto latest = expectedLatestClosed(m_clock.nowSeconds(), tf.seconds());
    TailResult empty;
    if (count <= 0 || !latest || !*latest || m_running.contains(series)) {
        QMetaObject::invokeMethod(this, [done, empty] { done(empty); }, Qt::QueuedConnection);
        return;
    }
    const qint64 end = toTime ? tf.floor(std::min(*toTime, **latest)) : **latest;
    auto op = std::make_shared<Operation>();
    op->series = series;
    op->from = std::max<qint64>(0, end - qint64(count - 1) * tf.seconds());
    op->to = end;
    op->expectedNext = op->from;
    op->actual = end + tf.seconds();
    op->reason = u"tail_coverage"_s;
    op->allowRest = toTime.has_value() || m_settings.restOnRead;
    op->waiters.append([done, from = op->from, end](const GapResult &r) {
        TailResult t{from, end, r.slotCount, 0, r.filled, r.sourceMissing, r.stillMissing, {}, r.errors};
        t.covered = r.slotCount - r.sourceMissing - r.stillMissing;
        t.note = t.missing == 0       ? u"tail_coverage_done"_s
                 : t.errors.isEmpty() ? u"tail_coverage_partial"_s
                                      : u"tail_coverage_best_effort_failed"_s;
        done(t);
    });
    start(op);
}

void GapBackfill::coverTail(const SeriesId &series, int count, int, QObject *context, std::function<void()> done)
{
    QPointer<QObject> guard(context);
    if (!m_settings.tailAuto) {
        QMetaObject::invokeMethod(context, done, Qt::QueuedConnection);
        return;
    }
    ensureTailCoverage(series, std::min(count, m_settings.maxCandlesPerRequest), std::nullopt,
                       [guard, done](const TailResult &) {
                           if (guard)
                               done();
                       });
}

void GapBackfill::readMissing(const std::shared_ptr<Operation> &op, std::function<void()> next)
{
    // Reads go through the writer's connection: they see every committed row, in order.
    m_writer->post([this, op, next = std::move(next)](store::CandleStore *store) {
        QList<qint64> missing;
        QString error;
        if (!store) {
            error = u"store: not open"_s;
        } else if (auto rows = store->range(op->series, op->from, op->to); rows || rows.error().code == ErrorCode::NotFound) {
            QSet<qint64> present;
            if (rows)
                for (const Candle &c : *rows)
                    present.insert(c.time);
            for (qint64 t = op->from; t <= op->to; t += op->tf()) {
                if (!present.contains(t))
                    missing.append(t);
            }
        } else {
            error = rows.error().message;
        }
        QMetaObject::invokeMethod(this, [op, missing, error, next] {
            if (!error.isEmpty())
                op->result.errors.append(u"store: "_s + error);
            else
                op->missing = missing;
            next();
        }, Qt::QueuedConnection);
    });
}

} // namespace gapless::backfill
