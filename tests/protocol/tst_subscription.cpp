// Subscription (PROTO-9..20) driven step by step: pages and commits arrive in a chosen
// order, so the catch-up / live race is deterministic. Every frame list is checked for the
// PROTO-18 invariants: closed candles strictly ascending, each once, a gap frame right before
// the candle after its hole.
#include "core/protocol/serverframes.h"
#include "core/protocol/subscription.h"
#include "tests/support/testcore.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::protocol;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:SUB:1m");
constexpr qint64 kT0 = 1699999980; // a multiple of 60
constexpr qint64 kNowS = kT0 + 100000;

qint64 at(int i)
{
    return kT0 + 60 * qint64(i);
}

CandleList candles(int from, int count)
{
    return test::syntheticCandles(at(from), count);
}

// What a client would see: closed candles and gap frames in order.
struct Seen
{
    CandleList closed;
    QList<QJsonObject> gaps;
    QList<QJsonObject> system;
    QStringList order; ///< "c:T", "g:EXPECTED:ACTUAL:MISSING:HEALED", "s:EVENT"
};

Seen see(const QList<QJsonObject> &frames)
{
    Seen seen;
    for (const QJsonObject &f : frames) {
        const QString type = f.value("type"_L1).toString();
        if (type == "candle_closed"_L1) {
            const Candle c = *candleFromJson(f.value("candle"_L1));
            seen.closed.append(c);
            seen.order << u"c:%1"_s.arg(c.time);
        } else if (type == "candles_batch"_L1) {
            const CandleList batch = *candlesFromJson(f.value("candles"_L1));
            for (const Candle &c : batch) {
                seen.closed.append(c);
                seen.order << u"c:%1"_s.arg(c.time);
            }
        } else if (type == "gap"_L1) {
            seen.gaps.append(f);
            seen.order << u"g:%1:%2:%3:%4"_s.arg(qint64(f.value("expected_next_time"_L1).toDouble()))
                              .arg(qint64(f.value("actual_time"_L1).toDouble()))
                              .arg(qint64(f.value("missing_bars"_L1).toDouble()))
                              .arg(f.value("healed"_L1).toBool() ? 1 : 0);
        } else {
            seen.system.append(f);
            seen.order << u"s:"_s + f.value("event"_L1).toString();
        }
    }
    return seen;
}

bool strictlyAscending(const CandleList &list)
{
    for (qsizetype i = 1; i < list.size(); ++i) {
        if (list.at(i).time <= list.at(i - 1).time) {
            qWarning() << "not ascending at" << i << list.at(i - 1).time << list.at(i).time;
            return false;
        }
    }
    return true;
}

PageResult pageFor(const PageRequest &request, const CandleList &store)
{
    PageResult page{request.ticket, store.isEmpty() ? std::nullopt : std::optional(store.last().time), {}, {},
                    request.series};
    if (!request.after) {
        page.candles = store.mid(std::max<qsizetype>(0, store.size() - request.limit));
        return page;
    }
    for (const Candle &c : store) {
        if (c.time > *request.after && page.candles.size() < request.limit)
            page.candles.append(c);
    }
    return page;
}

// Runs a whole catch-up against `store` with no interference.
QList<QJsonObject> catchUp(Subscription &sub, const CandleList &store)
{
    QList<QJsonObject> out;
    for (int guard = 0; guard < 1000; ++guard) {
        const PageRequest request = sub.nextRead();
        if (sub.applyPage(pageFor(request, store), kNowS, out) == Subscription::PageOutcome::CaughtUp)
            break;
    }
    return out;
}

} // namespace

class TestSubscription : public QObject
{
    Q_OBJECT

private slots:
    void catchUpAnnouncesEveryHole_data();
    void catchUpAnnouncesEveryHole();
    void batchesNeverSpanAHole();
    void commitDuringReadIsSentOnceAfterThePage();
    void commitIntoAnnouncedHoleDuringReadIsHealed();
    void commitSeenByThePageIsNotRewritten();
    void liveCommitsExtendAndAnnounce();
    void healingCountsDownToZero();
    void rewriteBelowCursor();
    void rewriteBelowAnchorOfAResume();
    void resubscribeNeverMovesCursorBack();
    void staleAnswersAreIgnored();
    void answerToAnEarlierSubscriptionIsStale();
    void formingOnlyAboveCursorWhenLive();
    void holeIsHealedBeforeItIsAnnounced();
    void holeStillMissingAfterHealIsAnnounced();
    void liveHoleIsHealedThroughCatchUp();
};

void TestSubscription::catchUpAnnouncesEveryHole_data()
{
    QTest::addColumn<QJsonValue>("since");
    QTest::addColumn<QStringList>("expectedGaps");
    QTest::addColumn<int>("expectedCount");
    QTest::addColumn<qint64>("expectedCursor");

    // Stored: 0..249, hole of 3 bars, 253..399 (147) → 397 candles.
    const qint64 head = at(399);
    QTest::addRow("since null: newest page") << QJsonValue() << QStringList() << 100 << head;
    QTest::addRow("since 0: from the start")
        << QJsonValue(0) << QStringList{u"g:%1:%2:3:0"_s.arg(at(250)).arg(at(253))} << 397 << head;
    QTest::addRow("since inside")
        << QJsonValue(double(at(10))) << QStringList{u"g:%1:%2:3:0"_s.arg(at(250)).arg(at(253))} << 386 << head;
    QTest::addRow("since before the range: leading hole")
        << QJsonValue(double(at(-10)))
        << QStringList{u"g:%1:%2:9:0"_s.arg(at(-9)).arg(at(0)), u"g:%1:%2:3:0"_s.arg(at(250)).arg(at(253))} << 397
        << head;
    QTest::addRow("since after the range: clamped, nothing sent")
        << QJsonValue(double(kNowS + 86400)) << QStringList() << 0 << (kNowS - kNowS % 60 - 60);
}

void TestSubscription::catchUpAnnouncesEveryHole()
{
    QFETCH(QJsonValue, since);
    QFETCH(QStringList, expectedGaps);
    QFETCH(int, expectedCount);
    QFETCH(qint64, expectedCursor);

    CandleList store = candles(0, 250) + candles(253, 147);
    Subscription sub(kSeries, 100);
    sub.subscribe(since.isNull() ? std::nullopt : std::optional(qint64(since.toDouble())), true);
    const Seen seen = see(catchUp(sub, store));

    QCOMPARE(seen.closed.size(), expectedCount);
    QVERIFY(strictlyAscending(seen.closed));
    if (expectedCount > 0)
        QCOMPARE(seen.closed.last(), store.last());
    QStringList gaps;
    for (const QString &item : seen.order) {
        if (item.startsWith(u"g:"_s))
            gaps << item;
    }
    QCOMPARE(gaps, expectedGaps);
    // Each gap frame directly precedes the candle at its actual_time (PROTO-18).
    for (qsizetype i = 0; i < seen.order.size(); ++i) {
        if (seen.order.at(i).startsWith(u"g:"_s))
            QCOMPARE(seen.order.at(i + 1), u"c:"_s + seen.order.at(i).section(u':', 2, 2));
    }
    QCOMPARE(seen.order.last(), u"s:caught_up"_s);
    const QJsonObject data = seen.system.last().value("data"_L1).toObject();
    QCOMPARE(qint64(data.value("sent"_L1).toDouble()), qint64(expectedCount));
    QCOMPARE(qint64(data.value("cursor"_L1).toDouble()), expectedCursor);
    QCOMPARE(sub.mode(), Subscription::Mode::Live);
}

void TestSubscription::batchesNeverSpanAHole()
{
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    const QList<QJsonObject> frames = catchUp(sub, candles(0, 5) + candles(6, 1) + candles(8, 3));
    QStringList kinds;
    for (const QJsonObject &f : frames)
        kinds << f.value("type"_L1).toString();
    QCOMPARE(kinds, (QStringList{u"candles_batch"_s, u"gap"_s, u"candle_closed"_s, u"gap"_s, u"candles_batch"_s,
                                 u"system"_s}));
    Subscription plain(kSeries, 100);
    plain.subscribe(0, false);
    const Seen seen = see(catchUp(plain, candles(0, 5)));
    QCOMPARE(seen.closed.size(), 5);
}

void TestSubscription::commitDuringReadIsSentOnceAfterThePage()
{
    // The race of PROTO-20: a page is read, rows are committed and notified before the page
    // arrives. They must be sent once, after the page, and never overtake it.
    CandleList store = candles(0, 50);
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    QList<QJsonObject> out;
    const PageRequest first = sub.nextRead();
    const PageResult page = pageFor(first, store); // read before the commit
    store += candles(50, 5);
    sub.applyCommitted(candles(50, 5), out);
    QVERIFY(out.isEmpty());
    QCOMPARE(sub.applyPage(page, kNowS, out), Subscription::PageOutcome::More); // dirty: read again
    const PageRequest second = sub.nextRead();
    QCOMPARE(*second.after, at(49));
    QCOMPARE(sub.applyPage(pageFor(second, store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    const Seen seen = see(out);
    QCOMPARE(seen.closed, store);
    QVERIFY(seen.gaps.isEmpty());
    // Live now: a later commit goes straight out, an old one is filtered by the cursor.
    out.clear();
    sub.applyCommitted(candles(55, 1), out);
    QCOMPARE(see(out).closed, candles(55, 1));
    QCOMPARE(*sub.cursor(), at(55));
}

void TestSubscription::commitIntoAnnouncedHoleDuringReadIsHealed()
{
    CandleList store = candles(0, 10) + candles(15, 10);
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    QList<QJsonObject> out;
    const PageRequest request = sub.nextRead();
    const PageResult page = pageFor(request, store); // sees the hole 10..14
    sub.applyCommitted(candles(10, 2), out);          // fills two of its bars
    QCOMPARE(sub.applyPage(page, kNowS, out), Subscription::PageOutcome::More);
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    const Seen seen = see(out);
    QCOMPARE(seen.order.count(u"g:%1:%2:5:0"_s.arg(at(10)).arg(at(15))), 1);
    QVERIFY(seen.order.contains(u"g:%1:%2:3:1"_s.arg(at(10)).arg(at(15))));
    QCOMPARE(sub.openHoleCount(), 1);
}

void TestSubscription::commitSeenByThePageIsNotRewritten()
{
    const CandleList store = candles(0, 20);
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    QList<QJsonObject> out;
    const PageRequest request = sub.nextRead();
    sub.applyCommitted(candles(19, 1), out); // committed before the read ran: the page has it
    sub.applyPage(pageFor(request, store), kNowS, out);
    sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out);
    const Seen seen = see(out);
    QCOMPARE(seen.closed, store);
    for (const QJsonObject &f : seen.system)
        QVERIFY(f.value("event"_L1) != "history_rewritten"_L1);
}

void TestSubscription::liveCommitsExtendAndAnnounce()
{
    Subscription sub(kSeries, 100);
    sub.subscribe(std::nullopt, true);
    QList<QJsonObject> out;
    catchUp(sub, {}); // empty series: live with no cursor
    QVERIFY(!sub.cursor());
    sub.applyCommitted(candles(0, 3), out);
    sub.applyCommitted(candles(6, 2), out);
    const Seen seen = see(out);
    QCOMPARE(seen.order, (QStringList{u"c:%1"_s.arg(at(0)), u"c:%1"_s.arg(at(1)), u"c:%1"_s.arg(at(2)),
                                      u"g:%1:%2:3:0"_s.arg(at(3)).arg(at(6)), u"c:%1"_s.arg(at(6)),
                                      u"c:%1"_s.arg(at(7))}));
}

void TestSubscription::healingCountsDownToZero()
{
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    catchUp(sub, candles(0, 2) + candles(5, 2));
    QCOMPARE(sub.openHoleCount(), 1);
    QList<QJsonObject> out;
    sub.applyCommitted(candles(2, 1), out);
    // The same row again is a change of history already healed, not one more bar healed.
    sub.applyCommitted(candles(2, 1), out);
    sub.applyCommitted(candles(3, 2), out);
    QStringList order = see(out).order;
    QCOMPARE(order, (QStringList{u"g:%1:%2:2:1"_s.arg(at(2)).arg(at(5)), u"s:history_rewritten"_s,
                                 u"g:%1:%2:0:1"_s.arg(at(2)).arg(at(5))}));
    QCOMPARE(sub.openHoleCount(), 0);
}

void TestSubscription::rewriteBelowCursor()
{
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    catchUp(sub, candles(0, 10));
    QList<QJsonObject> out;
    CandleList changed = candles(3, 2);
    changed[0].close += 1;
    changed[1].close += 1;
    sub.applyCommitted(changed, out);
    const Seen seen = see(out);
    QVERIFY(seen.closed.isEmpty());
    QCOMPARE(seen.system.size(), 1);
    QCOMPARE(seen.system.first().value("event"_L1).toString(), u"history_rewritten"_s);
    const QJsonObject data = seen.system.first().value("data"_L1).toObject();
    QCOMPARE(qint64(data.value("from_time"_L1).toDouble()), at(3));
    QCOMPARE(qint64(data.value("to_time"_L1).toDouble()), at(4));
}

void TestSubscription::rewriteBelowAnchorOfAResume()
{
    // A client resuming from at(10) holds older bars the server never sent on this connection;
    // a commit among them (a hole it knew of being healed) must still be told.
    Subscription sub(kSeries, 100);
    sub.subscribe(at(10), true);
    catchUp(sub, candles(0, 20));
    QList<QJsonObject> out;
    sub.applyCommitted(candles(4, 2), out);
    const Seen seen = see(out);
    QCOMPARE(seen.order, QStringList{u"s:history_rewritten"_s});
    const QJsonObject data = seen.system.first().value("data"_L1).toObject();
    QCOMPARE(qint64(data.value("from_time"_L1).toDouble()), at(4));
    QCOMPARE(qint64(data.value("to_time"_L1).toDouble()), at(5));
}

void TestSubscription::resubscribeNeverMovesCursorBack()
{
    const CandleList store = candles(0, 30);
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    catchUp(sub, store);
    QCOMPARE(*sub.cursor(), at(29));
    sub.subscribe(at(5), true); // older since: effective_since = cursor (PROTO-12)
    const Seen seen = see(catchUp(sub, store));
    QVERIFY(seen.closed.isEmpty());
    QCOMPARE(*sub.cursor(), at(29));
    QCOMPARE(seen.order, QStringList{u"s:caught_up"_s});
}

void TestSubscription::staleAnswersAreIgnored()
{
    const CandleList store = candles(0, 10);
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    const PageRequest old = sub.nextRead();
    sub.subscribe(at(4), true); // a re-subscribe forgets the read in flight
    QList<QJsonObject> out;
    QCOMPARE(sub.applyPage(pageFor(old, store), kNowS, out), Subscription::PageOutcome::Stale);
    QVERIFY(out.isEmpty());
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    QCOMPARE(see(out).closed, candles(5, 5));
}

void TestSubscription::answerToAnEarlierSubscriptionIsStale()
{
    // An unsubscribe drops a subscription with its read in flight; the next one of the series
    // must not take that read's answer, which starts after the old since.
    const CandleList store = candles(0, 10);
    Subscription before(kSeries, 100);
    before.subscribe(at(4), true);
    const PageRequest old = before.nextRead();
    Subscription after(kSeries, 100);
    after.subscribe(0, true);
    const PageRequest current = after.nextRead();
    QVERIFY(old.ticket != current.ticket);
    QList<QJsonObject> out;
    QCOMPARE(after.applyPage(pageFor(old, store), kNowS, out), Subscription::PageOutcome::Stale);
    QVERIFY(out.isEmpty());
    QCOMPARE(after.applyPage(pageFor(current, store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    QCOMPARE(see(out).closed, store);
}

void TestSubscription::formingOnlyAboveCursorWhenLive()
{
    Subscription sub(kSeries, 100);
    sub.subscribe(0, true);
    QVERIFY(!sub.acceptsForming(candles(10, 1).first())); // still catching up
    catchUp(sub, candles(0, 10));
    QVERIFY(!sub.acceptsForming(candles(9, 1).first()));
    QVERIFY(sub.acceptsForming(candles(10, 1).first()));
}

void TestSubscription::holeIsHealedBeforeItIsAnnounced()
{
    CandleList store = candles(0, 10) + candles(15, 5);
    Subscription sub(kSeries, 100);
    QList<std::pair<qint64, qint64>> asked;
    sub.setHealPolicy([&](qint64 e, qint64 a) {
        asked.append({e, a});
        return true;
    });
    sub.subscribe(0, true);
    QList<QJsonObject> out;
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::Heal);
    QCOMPARE(sub.healRequest().expectedNextTime, at(10));
    QCOMPARE(sub.healRequest().actualTime, at(15));
    QVERIFY(sub.isBusy());
    QCOMPARE(see(out).closed, candles(0, 10)); // sent up to the hole, nothing announced
    store = candles(0, 20);                     // the healer filled it
    sub.finishHeal(at(15));
    QVERIFY(!sub.isBusy());
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    const Seen seen = see(out);
    QCOMPARE(seen.closed, store);
    QVERIFY(seen.gaps.isEmpty());
    QCOMPARE(asked.size(), 1);
}

void TestSubscription::holeStillMissingAfterHealIsAnnounced()
{
    CandleList store = candles(0, 10) + candles(15, 5);
    Subscription sub(kSeries, 100);
    sub.setHealPolicy([](qint64, qint64) { return true; });
    sub.subscribe(0, true);
    QList<QJsonObject> out;
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::Heal);
    store = candles(0, 12) + candles(15, 5); // only two bars came
    sub.finishHeal(at(15));
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    const Seen seen = see(out);
    QCOMPARE(seen.closed, store);
    QCOMPARE(seen.order.filter(u"g:"_s), QStringList{u"g:%1:%2:3:0"_s.arg(at(12)).arg(at(15))});
}

void TestSubscription::liveHoleIsHealedThroughCatchUp()
{
    CandleList store = candles(0, 5);
    Subscription sub(kSeries, 100);
    sub.setHealPolicy([](qint64, qint64) { return true; });
    sub.subscribe(0, true);
    catchUp(sub, store);
    QList<QJsonObject> out;
    store += candles(8, 1);
    sub.applyCommitted(candles(8, 1), out); // a live hole: nothing goes out before the heal
    QVERIFY(out.isEmpty());
    QCOMPARE(sub.mode(), Subscription::Mode::CatchingUp);
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::Heal);
    store = candles(0, 9);
    sub.finishHeal(at(8));
    QCOMPARE(sub.applyPage(pageFor(sub.nextRead(), store), kNowS, out), Subscription::PageOutcome::CaughtUp);
    const Seen seen = see(out);
    QCOMPARE(seen.closed, candles(5, 4));
    QVERIFY(seen.gaps.isEmpty());
}

QTEST_GUILESS_MAIN(TestSubscription)
#include "tst_subscription.moc"
