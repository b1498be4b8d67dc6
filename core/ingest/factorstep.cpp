#include "core/ingest/factorstep.h"

#include "core/ingest/factorfingerprint.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

const QString kPen = u"pen"_s;

} // namespace

FactorStep::FactorStep(store::CandleStore &store, const FactorSettings &settings)
    : m_store(store)
    , m_settings(settings)
    , m_fingerprint(FactorFingerprint{settings.pivotWindowMajor, settings.pivotWindowMinor, settings.logicSalt}.hex())
    , m_tables(store)
{
}

Result<FactorOutcome> FactorStep::apply(const SeriesId &series, const store::UpsertResult &upsert, bool moreQueued,
                                        qint64 atMs)
{
    FactorOutcome out;
    auto head = m_store.headTime(series);
    if (!head)
        return head.error();
    if (!*head)
        return out;
    const qint64 upTo = **head;
    auto stored = m_tables.state(series);
    if (!stored)
        return stored.error();

    if (!*stored) {
        // First run: the fingerprint is recorded, nothing to rebuild (FAC-5).
        FactorState state{std::nullopt, QString::fromLatin1(m_fingerprint), std::nullopt};
        if (auto ok = incremental(series, state, upTo, out); !ok)
            return ok.error();
        if (auto ok = m_tables.saveState(series, state, atMs); !ok)
            return ok.error();
        return out;
    }

    FactorState state = **stored;
    const bool mismatch = state.fingerprint != QString::fromLatin1(m_fingerprint);
    out.fingerprintMismatch = mismatch && !m_settings.fingerprintRebuild;

    // FAC-4: a new or changed candle at or before head_time is late data.
    const std::optional<qint64> dirtyBefore = state.dirtyFrom;
    for (const QList<qint64> *times : {&upsert.insertedTimes, &upsert.updatedTimes}) {
        for (const qint64 t : *times) {
            if (state.headTime && t <= *state.headTime)
                state.dirtyFrom = std::min(state.dirtyFrom.value_or(t), t);
        }
    }
    if (state.dirtyFrom && moreQueued) {
        out.deferred = true;
        if (state.dirtyFrom != dirtyBefore) {
            if (auto ok = m_tables.saveState(series, state, atMs); !ok)
                return ok.error();
            out.wrote = true;
        }
        return out;
    }
    if (state.dirtyFrom || (mismatch && m_settings.fingerprintRebuild)) {
        out.rebuildReason = state.dirtyFrom ? u"late_data"_s : u"fingerprint"_s;
        if (auto ok = rebuild(series, state, upTo, out); !ok)
            return ok.error();
        if (auto ok = m_tables.saveState(series, state, atMs); !ok)
            return ok.error();
        return out;
    }
    // FAC-2: nothing newer than head_time, nothing to write.
    if (state.headTime && upTo <= *state.headTime)
        return out;
    if (auto ok = incremental(series, state, upTo, out); !ok)
        return ok.error();
    if (auto ok = m_tables.saveState(series, state, atMs); !ok)
        return ok.error();
    return out;
}

Result<void> FactorStep::incremental(const SeriesId &series, FactorState &state, qint64 upTo, FactorOutcome &out)
{
    FactorEngine engine(series.timeframe(), m_settings.pivotWindowMajor, m_settings.pivotWindowMinor);
    qint64 from = std::numeric_limits<qint64>::min();
    if (state.headTime) {
        auto window = m_store.before(series, *state.headTime + 1, engine.windowCapacity());
        if (!window)
            return window.error();
        auto majors = m_tables.majors(series);
        if (!majors)
            return majors.error();
        engine.restore(*window, *majors);
        from = *state.headTime + 1;
    }
    auto ticks = m_store.range(series, from, upTo);
    if (!ticks)
        return ticks.error();
    for (const Candle &c : std::as_const(*ticks)) {
        const FactorTick tick = engine.feed(c);
        out.pivots += tick.pivots;
        out.pens += tick.pens;
    }
    auto pivots = m_tables.insertPivots(series, out.pivots);
    if (!pivots)
        return pivots.error();
    auto pens = m_tables.insertPens(series, out.pens);
    if (!pens)
        return pens.error();
    auto snapped = snapshotHead(series, engine.head(), upTo);
    if (!snapped)
        return snapped.error();
    state.headTime = std::max(state.headTime.value_or(upTo), upTo);
    out.upTo = upTo;
    out.wrote = true;
    return {};
}

Result<void> FactorStep::rebuild(const SeriesId &series, FactorState &state, qint64 upTo, FactorOutcome &out)
{
    // FAC-6: the full computation over every stored candle; the ledger is made to match it.
    auto all = m_store.range(series, std::numeric_limits<qint64>::min(), upTo);
    if (!all)
        return all.error();
    FactorLedger ledger = computeFactors(*all, series.timeframe(), m_settings.pivotWindowMajor,
                                         m_settings.pivotWindowMinor);
    auto stored = m_tables.events(series);
    if (!stored)
        return stored.error();

    QHash<QString, QByteArray> produced;
    for (const PivotEvent &e : std::as_const(ledger.pivots))
        produced.insert(PivotEvent::factorName() + u'|' + e.key(), e.payloadJson());
    for (const PenEvent &e : std::as_const(ledger.pens))
        produced.insert(PenEvent::factorName() + u'|' + e.key(), e.payloadJson());
    for (auto it = stored->cbegin(); it != stored->cend(); ++it) {
        const auto match = produced.constFind(it.key());
        if (match != produced.cend() && *match == it->payloadJson)
            continue;
        if (auto ok = m_tables.deleteEvent(series, it->factorName, it.key().section(u'|', 1)); !ok)
            return ok;
    }
    if (auto ok = m_tables.insertPivots(series, ledger.pivots); !ok)
        return ok.error();
    if (auto ok = m_tables.insertPens(series, ledger.pens); !ok)
        return ok.error();
    auto snapped = snapshotHead(series, ledger.head, upTo);
    if (!snapped)
        return snapped.error();
    state = FactorState{upTo, QString::fromLatin1(m_fingerprint), std::nullopt};
    out.rebuilt = std::move(ledger);
    out.upTo = upTo;
    out.wrote = true;
    return {};
}

Result<bool> FactorStep::snapshotHead(const SeriesId &series, const PenHead &head, qint64 upTo)
{
    // FAC-11: a new snapshot only when the head changed; seq moves with it.
    auto latest = m_tables.latestHead(series, kPen);
    if (!latest)
        return latest.error();
    const QByteArray json = head.json();
    if (latest->second == json)
        return false;
    if (auto ok = m_tables.insertHead(series, kPen, upTo, latest->first + 1, json); !ok)
        return ok.error();
    return true;
}

} // namespace gapless::ingest
