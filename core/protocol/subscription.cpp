#include "core/protocol/subscription.h"

#include "core/domain/timearith.h"
#include "core/protocol/serverframes.h"

#include <algorithm>
#include <atomic>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

bool byTime(const Candle &c, qint64 t)
{
    return c.time < t;
}

// Unique in the process, so that an answer matches only the read that asked for it: not a read
// of another series, nor one of a later subscription to the same series after an unsubscribe.
quint64 nextTicket()
{
    static std::atomic<quint64> last{0};
    return ++last;
}

} // namespace

Subscription::Subscription(const SeriesId &series, int catchupLimit)
    : m_series(series), m_catchupLimit(catchupLimit)
{
}

qint64 Subscription::tf() const
{
    return m_series.timeframe().seconds();
}

void Subscription::subscribe(std::optional<qint64> since, bool supportsBatch)
{
    m_supportsBatch = supportsBatch;
    m_since = since;
    m_cursorPending = true;
    resync();
}

void Subscription::resync()
{
    m_mode = Mode::CatchingUp;
    m_reading = false;
    m_healing = false;
    m_dirty = false;
    m_sentThisCatchUp = 0;
    m_ticket = nextTicket(); // an answer to an earlier read is now stale
}

PageRequest Subscription::nextRead()
{
    m_ticket = nextTicket();
    PageRequest request{m_series, m_ticket, std::nullopt, m_catchupLimit};
    // The bound of the first page is max(since, cursor): rows between since' and since cannot
    // exist, because since' < since only when since' is at or past the head (PROTO-11).
    std::optional<qint64> bound = m_cursor;
    if (m_cursorPending && m_since)
        bound = std::max(bound.value_or(-1), *m_since == 0 ? qint64(-1) : *m_since);
    request.after = bound;
    m_reading = true;
    m_dirty = false;
    return request;
}

void Subscription::initCursor(const std::optional<qint64> &head, qint64 nowS)
{
    m_cursorPending = false;
    if (!m_since)
        return; // tail: the cursor stays as it is (null for a new subscription)
    std::optional<qint64> bound = head;
    if (const auto e = expectedLatestClosed(nowS, tf()); e && *e)
        bound = std::max(bound.value_or(**e), **e);
    const qint64 since = bound ? std::min(*m_since, *bound) : *m_since;
    const qint64 cursor = since == 0 ? -1 : since;
    if (!m_cursor || cursor > *m_cursor) {
        m_cursor = cursor;
        // The client holds everything up to `since`: it anchors hole detection (PROTO-15).
        if (since > 0) {
            m_prev = std::max(m_prev.value_or(0), m_series.timeframe().floor(since));
            m_anchor = m_prev;
        }
    }
}

Subscription::PageOutcome Subscription::applyPage(const PageResult &page, qint64 nowS, QList<OutFrame> &out)
{
    if (page.ticket != m_ticket || !m_reading)
        return PageOutcome::Stale;
    m_reading = false;
    if (!page.error.isEmpty()) {
        m_dirty = true;
        return PageOutcome::Failed;
    }
    if (m_cursorPending)
        initCursor(page.head, nowS);
    m_head = page.head;
    const qint64 bound = m_cursor.value_or(std::numeric_limits<qint64>::min());
    const auto first = std::upper_bound(page.candles.begin(), page.candles.end(), bound,
                                        [](qint64 t, const Candle &c) { return t < c.time; });
    const qsizetype count = page.candles.end() - first;
    const qsizetype heal = firstHealable(&*first, count);
    sendClosed(&*first, heal < 0 ? count : heal, out);
    reconcilePending(page.candles, out);
    if (heal >= 0) {
        m_healRequest = {*m_prev + tf(), first[heal].time};
        m_healing = true;
        return PageOutcome::Heal;
    }
    if (page.candles.size() >= m_catchupLimit || m_dirty)
        return PageOutcome::More;
    m_mode = Mode::Live;
    QJsonObject data{{u"cursor"_s, m_cursor && *m_cursor >= 0 ? QJsonValue(double(*m_cursor)) : QJsonValue()},
                     {u"head_time"_s, m_head ? QJsonValue(double(*m_head)) : QJsonValue()},
                     {u"sent"_s, double(m_sentThisCatchUp)}};
    out.append(serverframe::system(u"caught_up"_s, m_series, u"caught up"_s, data));
    return PageOutcome::CaughtUp;
}

Subscription::PageOutcome Subscription::applyPage(const PageResult &page, qint64 nowS, QList<QJsonObject> &out)
{
    QList<OutFrame> frames;
    const PageOutcome outcome = applyPage(page, nowS, frames);
    for (const OutFrame &frame : std::as_const(frames))
        out.append(frame.json());
    return outcome;
}

qsizetype Subscription::firstHealable(const Candle *first, qsizetype count) const
{
    if (!m_healPolicy)
        return -1;
    std::optional<qint64> prev = m_prev;
    for (qsizetype i = 0; i < count; ++i) {
        const qint64 t = first[i].time;
        if (prev && t - *prev > tf() && !healTried(t) && m_healPolicy(*prev + tf(), t))
            return i;
        prev = t;
    }
    return -1;
}

bool Subscription::healTried(qint64 actualTime) const
{
    // A partial heal leaves a smaller hole ending inside the one tried: announce it.
    return std::any_of(m_healTried.begin(), m_healTried.end(), [actualTime](const HealRequest &r) {
        return r.expectedNextTime < actualTime && actualTime <= r.actualTime;
    });
}

void Subscription::finishHeal(qint64 actualTime)
{
    if (m_healRequest.actualTime == actualTime)
        m_healTried.append(m_healRequest);
    else
        m_healTried.append({actualTime - 1, actualTime});
    m_healing = false;
    m_dirty = true;
}

void Subscription::sendClosed(const Candle *first, qsizetype count, QList<OutFrame> &out)
{
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const qint64 t = first[i].time;
        if (m_prev && t - *m_prev > tf()) {
            flushRun(first + runStart, i - runStart, out);
            runStart = i;
            const qint64 missing = (t - *m_prev) / tf() - 1;
            out.append(serverframe::gap(m_series, *m_prev + tf(), t, missing, false));
            if (m_holes.size() >= kMaxOpenHoles)
                m_holes.removeFirst();
            m_holes.append(Hole{*m_prev, t, missing, {}});
        }
        m_prev = t;
        m_cursor = std::max(m_cursor.value_or(t), t);
        if (!m_firstSent)
            m_firstSent = t;
        ++m_sentThisCatchUp;
    }
    flushRun(first + runStart, count - runStart, out);
}

void Subscription::flushRun(const Candle *first, qsizetype count, QList<OutFrame> &out) const
{
    if (!m_supportsBatch) {
        for (qsizetype i = 0; i < count; ++i)
            out.append(serverframe::candleClosed(m_series, first[i]));
        return;
    }
    for (qsizetype done = 0; done < count;) {
        const qsizetype n = std::min<qsizetype>(count - done, m_catchupLimit);
        if (n == 1)
            out.append(serverframe::candleClosed(m_series, first[done]));
        else
            out.append(OutFrame::fromText(serverframe::candlesBatchText(m_series, first + done, n)));
        done += n;
    }
}

void Subscription::applyCommitted(const CandleList &rows, QList<OutFrame> &out)
{
    if (m_cursorPending) {
        // The cursor is set by the first page; until then every row waits for it.
        remember(rows.begin(), rows.end());
        return;
    }
    const auto split = !m_cursor ? rows.begin()
                                 : std::upper_bound(rows.begin(), rows.end(), *m_cursor,
                                                    [](qint64 t, const Candle &c) { return t < c.time; });
    applyOld(CandleList(rows.begin(), split), out);
    if (split == rows.end())
        return;
    if (m_mode == Mode::Live) {
        if (firstHealable(&*split, rows.end() - split) < 0) {
            sendClosed(&*split, rows.end() - split, out);
            return;
        }
        // A live hole to heal first: the catch-up reads these rows, heals, then announces.
        resync();
    }
    remember(split, rows.end());
}

void Subscription::applyCommitted(const CandleList &rows, QList<QJsonObject> &out)
{
    QList<OutFrame> frames;
    applyCommitted(rows, frames);
    for (const OutFrame &frame : std::as_const(frames))
        out.append(frame.json());
}

void Subscription::remember(CandleList::const_iterator first, CandleList::const_iterator last)
{
    m_dirty = true;
    if (!m_reading)
        return; // no read in flight: the next one is issued after these commits
    if (m_pending.size() + (last - first) > kMaxPendingCommits)
        m_pendingOverflow = true;
    else
        m_pending.append(CandleList(first, last));
}

void Subscription::reconcilePending(const CandleList &page, QList<OutFrame> &out)
{
    if (m_pendingOverflow && m_firstSent && m_cursor) {
        QJsonObject data{{u"from_time"_s, double(*m_firstSent)}, {u"to_time"_s, double(*m_cursor)}};
        out.append(serverframe::system(u"history_rewritten"_s, m_series, u"history rewritten"_s, data));
    }
    m_pendingOverflow = false;
    if (m_pending.isEmpty())
        return;
    std::sort(m_pending.begin(), m_pending.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    // Rows committed while the page was read: the page holds them (same values: nothing to
    // do), or they landed in a hole the page just announced, or they changed a row sent earlier.
    CandleList old;
    for (const Candle &c : std::as_const(m_pending)) {
        if (!m_cursor || c.time > *m_cursor)
            continue; // the next page reads them
        const auto it = std::lower_bound(page.begin(), page.end(), c.time, byTime);
        if (it != page.end() && it->time == c.time && *it == c)
            continue;
        old.append(c);
    }
    m_pending.clear();
    applyOld(old, out);
}

void Subscription::applyOld(const CandleList &rows, QList<OutFrame> &out)
{
    std::optional<qint64> rewriteFrom;
    qint64 rewriteTo = 0;
    QList<int> healed;
    for (const Candle &c : rows) {
        const auto hole = std::find_if(m_holes.begin(), m_holes.end(),
                                       [t = c.time](const Hole &h) { return h.prev < t && t < h.next; });
        if (hole != m_holes.end() && !hole->filled.contains(c.time)) {
            hole->filled.insert(c.time);
            if (const int index = int(hole - m_holes.begin()); !healed.contains(index))
                healed.append(index);
            continue;
        }
        // Below the anchor lies what the client held before it subscribed (a resume): a change
        // there is history too, or a hole it knew of from an earlier connection stays silent.
        if ((m_firstSent && c.time >= *m_firstSent) || (m_anchor && c.time <= *m_anchor)) {
            rewriteFrom = std::min(rewriteFrom.value_or(c.time), c.time);
            rewriteTo = std::max(rewriteTo, c.time);
        }
    }
    std::sort(healed.begin(), healed.end());
    QList<int> closedHoles;
    for (int index : std::as_const(healed)) {
        const Hole &h = m_holes.at(index);
        const qint64 missing = std::max<qint64>(0, h.missing - h.filled.size());
        out.append(serverframe::gap(m_series, h.prev + tf(), h.next, missing, true));
        if (missing == 0)
            closedHoles.append(index);
    }
    std::sort(closedHoles.begin(), closedHoles.end(), std::greater<>());
    for (int index : std::as_const(closedHoles))
        m_holes.removeAt(index);
    if (rewriteFrom) {
        QJsonObject data{{u"from_time"_s, double(*rewriteFrom)}, {u"to_time"_s, double(rewriteTo)}};
        out.append(serverframe::system(u"history_rewritten"_s, m_series, u"history rewritten"_s, data));
    }
}

bool Subscription::acceptsForming(const Candle &forming) const
{
    return m_mode == Mode::Live && (!m_cursor || forming.time > *m_cursor);
}

} // namespace gapless::protocol
