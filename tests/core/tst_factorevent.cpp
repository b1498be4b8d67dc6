#include "core/ingest/factorevent.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::PenEvent;
using gapless::PenHead;
using gapless::PenSegment;
using gapless::PivotEvent;

class TestFactorEvent final : public QObject
{
    Q_OBJECT

private slots:
    void pivot_data();
    void pivot();
    void pen_data();
    void pen();
    void head_data();
    void head();
};

void TestFactorEvent::pivot_data()
{
    QTest::addColumn<PivotEvent>("event");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("payload");
    // FAC-12: key major:{pivot_time}:{direction}:{W} / minor:…:{w}; payload keys sorted (C-3).
    QTest::addRow("major resistance")
        << PivotEvent{true, 1718776920, true, 3027, 1718779920, 50} << u"pivot.major"_s
        << u"major:1718776920:resistance:50"_s
        << R"({"direction":"resistance","pivot_price":3027,"pivot_time":1718776920,"visible_time":1718779920,"window":50})"_ba;
    QTest::addRow("major support")
        << PivotEvent{true, 1718690340, false, 3019.09, 1718693340, 50} << u"pivot.major"_s
        << u"major:1718690340:support:50"_s
        << R"({"direction":"support","pivot_price":3019.09,"pivot_time":1718690340,"visible_time":1718693340,"window":50})"_ba;
    QTest::addRow("minor support")
        << PivotEvent{false, 1718690040, false, 0.1, 1718690340, 5} << u"pivot.minor"_s
        << u"minor:1718690040:support:5"_s
        << R"({"direction":"support","pivot_price":0.1,"pivot_time":1718690040,"visible_time":1718690340,"window":5})"_ba;
}

void TestFactorEvent::pivot()
{
    QFETCH(PivotEvent, event);
    QFETCH(QString, kind);
    QFETCH(QString, key);
    QFETCH(QByteArray, payload);
    QCOMPARE(PivotEvent::factorName(), u"pivot"_s);
    QCOMPARE(event.kind(), kind);
    QCOMPARE(event.key(), key);
    QCOMPARE(event.payloadJson(), payload);
}

void TestFactorEvent::pen_data()
{
    QTest::addColumn<PenEvent>("event");
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("payload");
    // FAC-10: +1 if end_price > start_price, else -1; FAC-12 key and payload.
    QTest::addRow("up")
        << PenEvent{PenSegment{1718690340, 3019.09, 1718776920, 3027}, 1718900000} << 1
        << u"confirmed:1718690340:1718776920:1"_s
        << R"({"direction":1,"end_price":3027,"end_time":1718776920,"start_price":3019.09,"start_time":1718690340,"visible_time":1718900000})"_ba;
    QTest::addRow("down")
        << PenEvent{PenSegment{60, 5, 120, 1.25}, 420} << -1 << u"confirmed:60:120:-1"_s
        << R"({"direction":-1,"end_price":1.25,"end_time":120,"start_price":5,"start_time":60,"visible_time":420})"_ba;
    QTest::addRow("flat is down")
        << PenEvent{PenSegment{60, 5, 120, 5}, 420} << -1 << u"confirmed:60:120:-1"_s
        << R"({"direction":-1,"end_price":5,"end_time":120,"start_price":5,"start_time":60,"visible_time":420})"_ba;
}

void TestFactorEvent::pen()
{
    QFETCH(PenEvent, event);
    QFETCH(int, direction);
    QFETCH(QString, key);
    QFETCH(QByteArray, payload);
    QCOMPARE(PenEvent::factorName(), u"pen"_s);
    QCOMPARE(PenEvent::kind(), u"pen.confirmed"_s);
    QCOMPARE(event.direction(), direction);
    QCOMPARE(event.key(), key);
    QCOMPARE(event.payloadJson(), payload);
}

void TestFactorEvent::head_data()
{
    QTest::addColumn<PenHead>("head");
    QTest::addColumn<QByteArray>("json");
    // FAC-11
    QTest::addRow("none") << PenHead{} << R"({"extending":null})"_ba;
    QTest::addRow("extending")
        << PenHead{PenSegment{120, 1.5, 300, 4}}
        << R"({"extending":{"direction":1,"end_price":4,"end_time":300,"start_price":1.5,"start_time":120}})"_ba;
}

void TestFactorEvent::head()
{
    QFETCH(PenHead, head);
    QFETCH(QByteArray, json);
    QCOMPARE(head.json(), json);
}

QTEST_GUILESS_MAIN(TestFactorEvent)
#include "tst_factorevent.moc"
