#include "core/ingest/pentracker.h"

#include "tests/core/factortestutil.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::PenEvent;
using gapless::PenTracker;
using gapless::PivotEvent;
using gapless::test::describeAll;

using PivotList = QList<PivotEvent>;

namespace {

// Majors with W = 2 on 1m bars: visible two minutes after the pivot.
PivotEvent res(qint64 time, double price)
{
    return PivotEvent{true, time, true, price, time + 120, 2};
}

PivotEvent sup(qint64 time, double price)
{
    return PivotEvent{true, time, false, price, time + 120, 2};
}

} // namespace

class TestPenTracker final : public QObject
{
    Q_OBJECT

private slots:
    void buildsPens_data();
    void buildsPens();
    void ignoresMinors();
    void restoresFromTheTail_data();
    void restoresFromTheTail();
    void replayEqualsFeeding();
};

void TestPenTracker::buildsPens_data()
{
    QTest::addColumn<PivotList>("majors");
    QTest::addColumn<QStringList>("pens");
    QTest::addColumn<QByteArray>("head");
    // FAC-10 list rules and FAC-11 head; pens as `key start>end @visible_time`.
    QTest::addRow("empty") << PivotList{} << QStringList{} << R"({"extending":null})"_ba;
    QTest::addRow("one pivot: no head") << PivotList{res(60, 5)} << QStringList{} << R"({"extending":null})"_ba;
    QTest::addRow("two pivots: head, no pen")
        << PivotList{res(60, 5), sup(120, 1)} << QStringList{}
        << R"({"extending":{"direction":-1,"end_price":1,"end_time":120,"start_price":5,"start_time":60}})"_ba;
    QTest::addRow("higher resistance replaces")
        << PivotList{res(60, 5), res(120, 6), sup(180, 1)} << QStringList{}
        << R"({"extending":{"direction":-1,"end_price":1,"end_time":180,"start_price":6,"start_time":120}})"_ba;
    QTest::addRow("equal resistance is ignored")
        << PivotList{res(60, 5), res(120, 5), sup(180, 1)} << QStringList{}
        << R"({"extending":{"direction":-1,"end_price":1,"end_time":180,"start_price":5,"start_time":60}})"_ba;
    QTest::addRow("lower resistance is ignored")
        << PivotList{res(60, 5), res(120, 4), sup(180, 1)} << QStringList{}
        << R"({"extending":{"direction":-1,"end_price":1,"end_time":180,"start_price":5,"start_time":60}})"_ba;
    QTest::addRow("lower support replaces, higher and equal ignored")
        << PivotList{sup(60, 3), sup(120, 2), sup(180, 2.5), sup(240, 2), res(300, 7)} << QStringList{}
        << R"({"extending":{"direction":1,"end_price":7,"end_time":300,"start_price":2,"start_time":120}})"_ba;
    // |L| = 3 after the append: L[-3]→L[-2] is confirmed, visible at the third pivot's tick.
    QTest::addRow("third pivot confirms the first pen")
        << PivotList{res(60, 5), sup(120, 1), res(300, 4)} << QStringList{u"confirmed:60:120:-1 5>1 @420"_s}
        << R"({"extending":{"direction":1,"end_price":4,"end_time":300,"start_price":1,"start_time":120}})"_ba;
    QTest::addRow("replacing the last pivot moves only the head")
        << PivotList{res(60, 5), sup(120, 1), res(300, 4), res(360, 4.5), sup(480, 2)}
        << QStringList{u"confirmed:60:120:-1 5>1 @420"_s, u"confirmed:120:360:1 1>4.5 @600"_s}
        << R"({"extending":{"direction":-1,"end_price":2,"end_time":480,"start_price":4.5,"start_time":360}})"_ba;
    // Both pivots of one outside bar arrive at one tick, resistance first: two pens at once.
    QTest::addRow("resistance and support at one bar")
        << PivotList{res(60, 5), sup(120, 1), res(240, 6), sup(240, 0.5)}
        << QStringList{u"confirmed:60:120:-1 5>1 @360"_s, u"confirmed:120:240:1 1>6 @360"_s}
        << R"({"extending":{"direction":-1,"end_price":0.5,"end_time":240,"start_price":6,"start_time":240}})"_ba;
    // Direction follows the prices, not the pivot roles.
    QTest::addRow("support above the resistance")
        << PivotList{res(60, 5), sup(120, 6), res(180, 7)} << QStringList{u"confirmed:60:120:1 5>6 @300"_s}
        << R"({"extending":{"direction":1,"end_price":7,"end_time":180,"start_price":6,"start_time":120}})"_ba;
}

void TestPenTracker::buildsPens()
{
    QFETCH(PivotList, majors);
    QFETCH(QStringList, pens);
    QFETCH(QByteArray, head);
    PenTracker tracker;
    QList<PenEvent> confirmed;
    for (const PivotEvent &major : std::as_const(majors)) {
        if (auto pen = tracker.add(major))
            confirmed.append(*pen);
    }
    QCOMPARE(describeAll(confirmed), pens);
    QCOMPARE(tracker.head().json(), head);
}

void TestPenTracker::ignoresMinors()
{
    PenTracker tracker;
    QCOMPARE(tracker.add(res(60, 5)), std::nullopt);
    QCOMPARE(tracker.add(PivotEvent{false, 120, false, 1, 180, 1}), std::nullopt);
    QCOMPARE(tracker.add(PivotEvent{false, 180, true, 9, 240, 1}), std::nullopt);
    QCOMPARE(tracker.tail(), PivotList{res(60, 5)});
    QVERIFY(!tracker.head().extending);
}

void TestPenTracker::restoresFromTheTail_data()
{
    QTest::addColumn<int>("split");
    for (int split = 0; split <= 8; ++split)
        QTest::addRow("restart after %d majors", split) << split;
}

void TestPenTracker::restoresFromTheTail()
{
    // FAC-3: the last two elements of L are the whole state.
    QFETCH(int, split);
    const PivotList majors{res(60, 5), sup(120, 1), sup(180, 0.5), res(300, 4),
                           res(360, 4.5), sup(480, 2), res(600, 3), sup(720, 2.5)};
    PenTracker full;
    QList<PenEvent> expected;
    for (const PivotEvent &major : majors) {
        if (auto pen = full.add(major))
            expected.append(*pen);
    }
    QCOMPARE(expected.size(), 4);

    PenTracker before;
    QList<PenEvent> pens;
    for (qsizetype i = 0; i < split; ++i) {
        if (auto pen = before.add(majors.at(i)))
            pens.append(*pen);
    }
    QVERIFY(before.tail().size() <= 2);
    PenTracker after = PenTracker::fromTail(before.tail());
    QCOMPARE(after.head(), before.head());
    for (qsizetype i = split; i < majors.size(); ++i) {
        if (auto pen = after.add(majors.at(i)))
            pens.append(*pen);
    }
    QCOMPARE(describeAll(pens), describeAll(expected));
    QCOMPARE(after.head(), full.head());
}

void TestPenTracker::replayEqualsFeeding()
{
    const PivotList majors{res(60, 5), sup(120, 1), res(300, 4), res(360, 4.5), sup(480, 2)};
    PenTracker fed;
    for (const PivotEvent &major : majors)
        fed.add(major);
    const PenTracker replayed = PenTracker::replay(majors);
    QCOMPARE(replayed.tail(), fed.tail());
    QCOMPARE(replayed.tail(), (PivotList{res(360, 4.5), sup(480, 2)}));
    QCOMPARE(replayed.head(), fed.head());
}

QTEST_GUILESS_MAIN(TestPenTracker)
#include "tst_pentracker.moc"
