#include "core/sources/replay/replayfaults.h"

#include "core/sources/replay/replaytape.h"

#include <algorithm>

namespace gapless::sources {

ReplayFaults::ReplayFaults(quint64 seed)
    : m_random(seed)
{
}

void ReplayFaults::add(const ReplayFaultItem &item, qint64 wallMs, qint64 minuteTime)
{
    m_texts << item.text;
    switch (item.kind) {
    case ReplayFaultKind::Latency:
        m_latency = item;
        return;
    case ReplayFaultKind::Weights:
        m_weights = item;
        return;
    case ReplayFaultKind::Cutoff:
        m_cutoff = item;
        return;
    case ReplayFaultKind::Disconnect:
    case ReplayFaultKind::Stall:
        m_timed.append({item, item.everyMs ? wallMs + *item.everyMs : wallMs});
        return;
    case ReplayFaultKind::Drop:
        m_drops.append({item, minuteTime});
        return;
    case ReplayFaultKind::Hole:
        m_holes.append({item, minuteTime});
        return;
    case ReplayFaultKind::Http429:
    case ReplayFaultKind::Http5xx:
        m_counted.append({item, m_restRequests, false});
        return;
    case ReplayFaultKind::Malformed:
        m_counted.append({item, item.streamTarget ? m_streamMessages : m_restRequests, false});
        return;
    }
}

bool ReplayFaults::fires(Counted &counted, qint64 occurrence)
{
    if (counted.spent)
        return false;
    const qint64 n = occurrence - counted.base;
    if (!counted.item.everyCount) {
        counted.spent = n >= 1;
        return counted.spent;
    }
    return n >= 1 && n % *counted.item.everyCount == 0;
}

ReplayFaults::RestFault ReplayFaults::nextRestRequest()
{
    ++m_restRequests;
    RestFault fault;
    for (Counted &counted : m_counted) {
        const ReplayFaultItem &item = counted.item;
        if (item.kind == ReplayFaultKind::Malformed && item.streamTarget)
            continue;
        if (!fires(counted, m_restRequests))
            continue;
        if (item.kind == ReplayFaultKind::Malformed) {
            fault.malformed = true;
        } else if (item.kind == ReplayFaultKind::Http429 && fault.status != 429) {
            fault.status = 429;
            fault.retryAfterS = item.retryAfterS;
        } else if (item.kind == ReplayFaultKind::Http5xx && fault.status == 0) {
            fault.status = item.status;
        }
    }
    if (m_latency) {
        const auto span = quint64(m_latency->maxMs - m_latency->minMs) + 1;
        fault.delayMs = m_latency->minMs + qint64(m_random() % span);
    }
    return fault;
}

bool ReplayFaults::nextStreamMessageMalformed()
{
    ++m_streamMessages;
    bool malformed = false;
    for (Counted &counted : m_counted) {
        if (counted.item.kind == ReplayFaultKind::Malformed && counted.item.streamTarget)
            malformed = fires(counted, m_streamMessages) || malformed;
    }
    return malformed;
}

bool ReplayFaults::covers(const Barred &barred, const ReplayTape &tape, qint64 ordinal)
{
    const qint64 base = tape.ordinalAtOrAfter(barred.minuteTime);
    const qint64 m = ordinal - base + 1; // 1 = the first bar counted
    const ReplayFaultItem &item = barred.item;
    const qint64 len = item.kind == ReplayFaultKind::Hole ? item.len : 1;
    if (!item.everyCount)
        return m >= 1 && m <= len;
    const qint64 every = *item.everyCount;
    return m >= every && m % every < len;
}

bool ReplayFaults::isHidden(const ReplayTape &tape, qint64 ordinal) const
{
    return std::any_of(m_holes.cbegin(), m_holes.cend(),
                       [&](const Barred &hole) { return covers(hole, tape, ordinal); });
}

bool ReplayFaults::isDropped(const ReplayTape &tape, qint64 ordinal) const
{
    return std::any_of(m_drops.cbegin(), m_drops.cend(),
                       [&](const Barred &drop) { return covers(drop, tape, ordinal); });
}

QList<ReplayFaultItem> ReplayFaults::fireDue(qint64 wallMs)
{
    QList<ReplayFaultItem> disconnects;
    for (auto it = m_timed.begin(); it != m_timed.end();) {
        if (wallMs < it->nextAtMs) {
            ++it;
            continue;
        }
        const ReplayFaultItem &item = it->item;
        if (item.kind == ReplayFaultKind::Disconnect) {
            m_refusingUntilMs = std::max(m_refusingUntilMs, wallMs + item.forMs);
            disconnects.append(item);
        } else {
            m_stalledUntilMs = std::max(m_stalledUntilMs, wallMs + item.forMs);
        }
        if (!item.everyMs) {
            it = m_timed.erase(it);
            continue;
        }
        // A late tick fires once, not once per period missed.
        while (it->nextAtMs <= wallMs)
            it->nextAtMs += *item.everyMs;
        ++it;
    }
    return disconnects;
}

std::optional<qint64> ReplayFaults::cutoffMs() const
{
    if (m_cutoff)
        return m_cutoff->afterMs;
    return std::nullopt;
}

} // namespace gapless::sources
