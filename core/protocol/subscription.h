#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/protocol/serverframes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>

namespace gapless::protocol {

/// A page the server asks a reader to fetch for one subscription (PROTO-13/14).
struct PageRequest
{
    SeriesId series;
    quint64 ticket = 0;           ///< unique in the process: matches only the answer to this read
    std::optional<qint64> after;  ///< exclusive lower bound; nullopt = the newest `limit` (tail)
    int limit = 0;
};

/// A reader's answer to a PageRequest. An unknown series is an empty page without a head.
struct PageResult
{
    quint64 ticket = 0;
    std::optional<qint64> head;
    CandleList candles; ///< ascending
    QString error;      ///< a store failure; the catch-up retries
    SeriesId series;    ///< of the request: the subscription it goes to
};

/// The server's state for one (connection, series) pair (PROTO-9) and the frames it produces.
/// Pure logic, no I/O: the connection feeds it pages and commits in arrival order on the
/// protocol thread (PROTO-20) and sends the frames it appends.
///
/// The cursor is only ever raised (PROTO-10); a closed candle passes only if newer than it.
/// Holes between consecutive candles of D (the anchor, then every candle sent) are announced
/// by a `gap` frame just before the candle after them (PROTO-15), and remembered as open
/// holes until commits fill them (PROTO-19).
class Subscription
{
public:
    enum class Mode { CatchingUp, Live };
    static constexpr int kMaxOpenHoles = 1024;
    static constexpr int kMaxPendingCommits = 100000;

    /// Whether a hole [expectedNextTime, actualTime) should be healed before it is announced.
    using HealPolicy = std::function<bool(qint64 expectedNextTime, qint64 actualTime)>;
    /// A hole to heal: the catch-up waits for finishHeal().
    struct HealRequest
    {
        qint64 expectedNextTime = 0;
        qint64 actualTime = 0;
    };

    Subscription(const SeriesId &series, int catchupLimit);
    void setHealPolicy(HealPolicy policy) { m_healPolicy = std::move(policy); }

    [[nodiscard]] const SeriesId &series() const { return m_series; }
    [[nodiscard]] Mode mode() const { return m_mode; }
    [[nodiscard]] std::optional<qint64> cursor() const { return m_cursor; }
    [[nodiscard]] bool isReading() const { return m_reading; }
    /// A read or a heal is in flight: no new read is issued.
    [[nodiscard]] bool isBusy() const { return m_reading || m_healing; }
    [[nodiscard]] int openHoleCount() const { return int(m_holes.size()); }

    /// PROTO-11/12: (re)starts a catch-up from `since` (null = tail). Any read in flight is
    /// forgotten; the cursor is set on the first page, once the head is known.
    void subscribe(std::optional<qint64> since, bool supportsBatch);
    /// PROTO-22: back to catching_up from the cursor; forming is dropped.
    void resync();
    void setCatchupLimit(int limit) { m_catchupLimit = limit; }

    /// The next read of this catch-up; marks a read in flight and clears `dirty`.
    [[nodiscard]] PageRequest nextRead();
    enum class PageOutcome {
        Stale,    ///< the answer to an older read: ignored
        Failed,   ///< the read failed: read again later
        More,     ///< read the next page
        Heal,     ///< sent up to a hole; heal healRequest(), then finishHeal() (PROTO-16)
        CaughtUp, ///< `caught_up` appended; the mode is live
    };
    /// Applies the answer to nextRead() and appends the frames to send.
    PageOutcome applyPage(const PageResult &page, qint64 nowS, QList<OutFrame> &out);
    /// The same with the frames as JSON objects.
    PageOutcome applyPage(const PageResult &page, qint64 nowS, QList<QJsonObject> &out);

    [[nodiscard]] const HealRequest &healRequest() const { return m_healRequest; }
    /// The heal of healRequest() ended (or timed out): the catch-up reads the store again and
    /// announces what is still missing before that hole's end.
    void finishHeal(qint64 actualTime);

    /// PROTO-13: the first page waits for tail coverage; no read is issued until endTailWait().
    void beginTailWait() { m_healing = true; }
    void endTailWait() { m_healing = false; }
    [[nodiscard]] bool isTail() const { return !m_since && m_cursorPending; }

    /// PROTO-19/21: rows committed by the pipeline, ascending. Rows at or below the cursor heal
    /// open holes or rewrite history; newer rows go out when live, else mark the catch-up dirty.
    void applyCommitted(const CandleList &rows, QList<OutFrame> &out);
    void applyCommitted(const CandleList &rows, QList<QJsonObject> &out);

    /// PROTO-23: whether a forming candle may go out now; it never moves the cursor.
    [[nodiscard]] bool acceptsForming(const Candle &forming) const;

private:
    struct Hole
    {
        qint64 prev = 0;
        qint64 next = 0;
        qint64 missing = 0;
        QSet<qint64> filled;
    };

    void initCursor(const std::optional<qint64> &head, qint64 nowS);
    void sendClosed(const Candle *first, qsizetype count, QList<OutFrame> &out);
    /// The index of the first candle after a hole that should be healed first, or -1.
    [[nodiscard]] qsizetype firstHealable(const Candle *first, qsizetype count) const;
    [[nodiscard]] bool healTried(qint64 actualTime) const;
    void flushRun(const Candle *first, qsizetype count, QList<OutFrame> &out) const;
    /// Rows newer than the cursor committed while catching up: the catch-up reads again, and
    /// rows committed during a read are checked against its page (PROTO-20).
    void remember(CandleList::const_iterator first, CandleList::const_iterator last);
    void reconcilePending(const CandleList &page, QList<OutFrame> &out);
    /// Rows at or below the cursor: heal (PROTO-19) or collect a rewrite.
    void applyOld(const CandleList &rows, QList<OutFrame> &out);
    [[nodiscard]] qint64 tf() const;

    SeriesId m_series;
    int m_catchupLimit;
    Mode m_mode = Mode::CatchingUp;
    bool m_supportsBatch = false;
    std::optional<qint64> m_cursor;     ///< -1 stands for "before time 0" (since: 0)
    std::optional<qint64> m_prev;       ///< newest element of D
    std::optional<qint64> m_firstSent;
    std::optional<qint64> m_anchor;     ///< since' of a subscribe with since > 0, on the timeframe
    std::optional<qint64> m_since;      ///< of the subscribe being applied
    bool m_cursorPending = false;       ///< the next page applies PROTO-11/12
    bool m_reading = false;
    bool m_dirty = false;
    quint64 m_ticket = 0;
    qint64 m_sentThisCatchUp = 0;
    std::optional<qint64> m_head;
    QList<Hole> m_holes;                ///< ascending by prev
    CandleList m_pending;               ///< newer rows committed while a read was in flight
    bool m_pendingOverflow = false;
    HealPolicy m_healPolicy;
    QList<HealRequest> m_healTried;     ///< holes healed once: what is left of them is announced
    HealRequest m_healRequest;
    bool m_healing = false;
};

} // namespace gapless::protocol
