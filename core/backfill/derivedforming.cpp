#include "core/backfill/derivedforming.h"

#include "core/ingest/ingestwriter.h"
#include "core/runtime/logging.h"
#include "core/store/candlestore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::backfill {

namespace {

// The subscribed series of `base`'s instrument whose timeframe rolls up from 1m.
QList<SeriesId> derivedOf(const SeriesId &base, const QList<SeriesId> &subscribed)
{
    QList<SeriesId> out;
    for (const SeriesId &s : subscribed) {
        const qint64 tf = s.timeframe().seconds();
        if (tf > 60 && tf % 60 == 0 && s.exchange() == base.exchange() && s.market() == base.market()
            && s.symbol() == base.symbol())
            out.append(s);
    }
    return out;
}

} // namespace

Candle derivedForming(const CandleList &stored, const Candle &forming, Timeframe target)
{
    const qint64 bucket = target.floor(forming.time);
    Candle out = forming;
    out.time = bucket;
    bool first = true;
    for (const Candle &c : stored) {
        if (c.time < bucket || c.time >= forming.time)
            continue;
        if (first) {
            out = c;
            out.time = bucket;
            first = false;
            continue;
        }
        out.high = std::max(out.high, c.high);
        out.low = std::min(out.low, c.low);
        out.close = c.close;
        out.volume += c.volume;
    }
    if (!first) {
        out.high = std::max(out.high, forming.high);
        out.low = std::min(out.low, forming.low);
        out.close = forming.close;
        out.volume += forming.volume;
    }
    return out;
}

DerivedForming::DerivedForming(ingest::IngestWriter *writer, std::function<QList<SeriesId>()> subscribed,
                               std::function<void(const SeriesId &, const Candle &)> publish, QObject *parent)
    : QObject(parent), m_writer(writer), m_subscribed(std::move(subscribed)), m_publish(std::move(publish))
{
    connect(m_writer, &ingest::IngestWriter::candlesCommitted, this, &DerivedForming::candlesCommitted);
}

void DerivedForming::candlesCommitted(const SeriesId &series, const CandleList &candles)
{
    const auto it = m_latest.constFind(series);
    if (it == m_latest.constEnd() || candles.isEmpty())
        return;
    const Candle latest = *it;
    if (candles.constLast().time >= latest.time) {
        m_latest.erase(it); // closed now: no longer forming
        return;
    }
    const bool settles = std::any_of(candles.cbegin(), candles.cend(),
                                     [&](const Candle &c) { return c.time == latest.time - 60; });
    if (settles)
        formingUpdated(series, latest);
}

void DerivedForming::formingUpdated(const SeriesId &series, const Candle &forming)
{
    if (series.timeframe().seconds() != 60)
        return;
    m_latest.insert(series, forming);
    if (m_reading.contains(series)) {
        m_waiting.insert(series, forming); // the newest one wins
        return;
    }
    derive(series, forming);
}

void DerivedForming::derive(const SeriesId &base, const Candle &forming)
{
    const QList<SeriesId> targets = derivedOf(base, m_subscribed());
    if (targets.isEmpty())
        return;
    qint64 from = forming.time;
    for (const SeriesId &s : targets)
        from = std::min(from, s.timeframe().floor(forming.time));
    m_reading.insert(base);
    m_writer->post([this, base, forming, targets, from](store::CandleStore *store) {
        CandleList minutes;
        if (store && from < forming.time) {
            if (auto rows = store->range(base, from, forming.time - 60))
                minutes = *rows;
            else if (rows.error().code != ErrorCode::NotFound)
                qCWarning(lcBackfill) << "forming of" << base.toString() << ":" << rows.error().message;
        }
        QMetaObject::invokeMethod(this, [this, base, forming, targets, minutes] {
            const qint64 previous = forming.time - 60;
            const bool settled = !minutes.isEmpty() && minutes.constLast().time == previous;
            for (const SeriesId &s : targets) {
                if (settled || previous < s.timeframe().floor(forming.time))
                    m_publish(s, derivedForming(minutes, forming, s.timeframe()));
            }
            m_reading.remove(base);
            if (auto it = m_waiting.find(base); it != m_waiting.end()) {
                const Candle next = *it;
                m_waiting.erase(it);
                derive(base, next);
            }
        }, Qt::QueuedConnection);
    });
}

} // namespace gapless::backfill
