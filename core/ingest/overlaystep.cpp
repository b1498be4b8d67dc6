#include "core/ingest/overlaystep.h"

#include "core/ingest/overlaydefinition.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

QList<OverlayDefinition> definitions(const QList<PivotEvent> &pivots, const QList<PenEvent> &pens)
{
    QList<OverlayDefinition> out;
    out.reserve(pivots.size() + pens.size());
    for (const PivotEvent &e : pivots)
        out.append(OverlayDefinition::fromPivot(e));
    for (const PenEvent &e : pens)
        out.append(OverlayDefinition::fromPen(e));
    return out;
}

} // namespace

OverlayStep::OverlayStep(store::CandleStore &store)
    : m_store(store)
    , m_tables(store)
{
}

Result<qint64> OverlayStep::apply(const SeriesId &series, const FactorOutcome &factors, qint64 atMs)
{
    auto state = m_tables.state(series);
    if (!state)
        return state.error();
    OverlayState next = *state;
    qint64 written = 0;
    const auto write = [&](const OverlayVersion &version) -> Result<void> {
        auto id = m_tables.insertVersion(series, version);
        if (!id)
            return id.error();
        next.lastVersionId = std::max(next.lastVersionId, *id);
        ++written;
        return {};
    };

    if (factors.rebuilt) {
        // OVL-5: new or changed definitions, and a removal for each one no longer produced.
        auto latest = m_tables.latestDefs(series);
        if (!latest)
            return latest.error();
        QSet<QString> produced;
        for (const OverlayDefinition &d : definitions(factors.rebuilt->pivots, factors.rebuilt->pens)) {
            produced.insert(d.instructionId);
            const auto it = latest->constFind(d.instructionId);
            if (it != latest->cend() && it->defJson == d.defJson())
                continue;
            if (auto ok = write({0, d.instructionId, d.kind, d.visibleTime, d.defJson()}); !ok)
                return ok.error();
        }
        for (const OverlayVersion &v : std::as_const(*latest)) {
            if (produced.contains(v.instructionId) || v.defJson == "null")
                continue;
            if (auto ok = write({0, v.instructionId, v.kind, v.visibleTime, QByteArray("null")}); !ok)
                return ok.error();
        }
    } else {
        // OVL-4: only where no version exists yet or the latest differs.
        for (const OverlayDefinition &d : definitions(factors.pivots, factors.pens)) {
            auto latest = m_tables.latestDef(series, d.instructionId);
            if (!latest)
                return latest.error();
            if (*latest && **latest == d.defJson())
                continue;
            if (auto ok = write({0, d.instructionId, d.kind, d.visibleTime, d.defJson()}); !ok)
                return ok.error();
        }
    }
    if (factors.upTo)
        next.headTime = std::max(next.headTime.value_or(*factors.upTo), *factors.upTo);
    if (!(next == *state)) {
        if (auto ok = m_tables.saveState(series, next, atMs); !ok)
            return ok.error();
    }
    return written;
}

} // namespace gapless::ingest
