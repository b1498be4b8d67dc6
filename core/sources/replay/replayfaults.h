#pragma once

#include "core/sources/replay/replayfaultspec.h"

#include <QList>
#include <QStringList>

#include <optional>
#include <random>

namespace gapless::sources {

class ReplayTape;

/// The armed faults of a replay exchange and their schedules (SRC-18). An `every` item counts
/// from the moment it is added: the Nth, 2Nth … occurrence fires, exactly. An item without
/// `every` fires once, on the next occasion (the next request, message or closing bar; timed
/// kinds at once). Bars are counted per tape from the first bar at or after the V-minute the
/// item was added in, so history already served never changes. The seed drives every random
/// draw (latency), so a run replays identically.
class ReplayFaults
{
public:
    explicit ReplayFaults(quint64 seed);

    /// Arms `item` at wall time `wallMs` and virtual minute `minuteTime` (seconds). A standing
    /// item (latency, weights, cutoff) replaces the previous one of its kind.
    void add(const ReplayFaultItem &item, qint64 wallMs, qint64 minuteTime);

    /// What happens to the next REST request (any endpoint but `/_replay/*`), which this counts.
    struct RestFault
    {
        int status = 0;        ///< 0: answer normally; else 429 or the http5xx status
        int retryAfterS = -1;  ///< with 429
        bool malformed = false; ///< body cut to half
        qint64 delayMs = 0;    ///< latency
    };
    [[nodiscard]] RestFault nextRestRequest();
    /// Counts the next stream message; true if it goes out cut to half.
    [[nodiscard]] bool nextStreamMessageMalformed();

    /// The bar `ordinal` of `tape` is gone from stream and REST (hole).
    [[nodiscard]] bool isHidden(const ReplayTape &tape, qint64 ordinal) const;
    /// The bar's `x:true` is omitted from the stream (drop); REST keeps it.
    [[nodiscard]] bool isDropped(const ReplayTape &tape, qint64 ordinal) const;

    /// Fires the timed items due at `wallMs` (disconnect, stall), opening their windows, and
    /// returns the disconnects among them: the caller closes its streams.
    [[nodiscard]] QList<ReplayFaultItem> fireDue(qint64 wallMs);
    [[nodiscard]] bool isStalled(qint64 wallMs) const { return wallMs < m_stalledUntilMs; }
    [[nodiscard]] bool refusesUpgrades(qint64 wallMs) const { return wallMs < m_refusingUntilMs; }
    [[nodiscard]] const std::optional<ReplayFaultItem> &weights() const { return m_weights; }
    [[nodiscard]] std::optional<qint64> cutoffMs() const;

    /// The items added so far, as written, in order.
    [[nodiscard]] QStringList texts() const { return m_texts; }
    [[nodiscard]] qint64 restRequests() const { return m_restRequests; }
    [[nodiscard]] qint64 streamMessages() const { return m_streamMessages; }

private:
    struct Counted
    {
        ReplayFaultItem item;
        qint64 base = 0; ///< occurrences before the item was added (requests, messages)
        bool spent = false;
    };
    struct Barred
    {
        ReplayFaultItem item;
        qint64 minuteTime = 0;
    };
    struct Timed
    {
        ReplayFaultItem item;
        qint64 nextAtMs = 0;
    };

    [[nodiscard]] static bool fires(Counted &counted, qint64 occurrence);
    [[nodiscard]] static bool covers(const Barred &barred, const ReplayTape &tape, qint64 ordinal);

    std::mt19937_64 m_random;
    QList<Counted> m_counted;
    QList<Barred> m_holes;
    QList<Barred> m_drops;
    QList<Timed> m_timed;
    std::optional<ReplayFaultItem> m_latency;
    std::optional<ReplayFaultItem> m_weights;
    std::optional<ReplayFaultItem> m_cutoff;
    QStringList m_texts;
    qint64 m_restRequests = 0;
    qint64 m_streamMessages = 0;
    qint64 m_stalledUntilMs = 0;
    qint64 m_refusingUntilMs = 0;
};

} // namespace gapless::sources
