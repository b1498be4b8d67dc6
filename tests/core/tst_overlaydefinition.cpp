#include "core/ingest/overlaydefinition.h"

#include "core/ingest/factorevent.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::OverlayDefinition;
using gapless::PenEvent;
using gapless::PenSegment;
using gapless::PivotEvent;

class TestOverlayDefinition final : public QObject
{
    Q_OBJECT

private slots:
    void marker_data();
    void marker();
    void polyline_data();
    void polyline();
};

void TestOverlayDefinition::marker_data()
{
    QTest::addColumn<PivotEvent>("event");
    QTest::addColumn<QString>("instructionId");
    QTest::addColumn<QByteArray>("def");
    // OVL-1..3: one marker per pivot, ▼ above a resistance, ▲ below a support, size 1|0.5.
    QTest::addRow("major resistance")
        << PivotEvent{true, 1718776920, true, 3027, 1718779920, 50} << u"pivot.major:1718776920:resistance:50"_s
        << R"({"feature":"pivot.major","position":"above","price":3027,"role":"resistance","shape":"triangle_down","size":1,"time":1718776920,"type":"marker"})"_ba;
    QTest::addRow("major support")
        << PivotEvent{true, 1718690340, false, 3019.09, 1718693340, 50} << u"pivot.major:1718690340:support:50"_s
        << R"({"feature":"pivot.major","position":"below","price":3019.09,"role":"support","shape":"triangle_up","size":1,"time":1718690340,"type":"marker"})"_ba;
    QTest::addRow("minor resistance")
        << PivotEvent{false, 360, true, 6.25, 480, 2} << u"pivot.minor:360:resistance:2"_s
        << R"({"feature":"pivot.minor","position":"above","price":6.25,"role":"resistance","shape":"triangle_down","size":0.5,"time":360,"type":"marker"})"_ba;
    QTest::addRow("minor support")
        << PivotEvent{false, 240, false, 1.5, 300, 5} << u"pivot.minor:240:support:5"_s
        << R"({"feature":"pivot.minor","position":"below","price":1.5,"role":"support","shape":"triangle_up","size":0.5,"time":240,"type":"marker"})"_ba;
}

void TestOverlayDefinition::marker()
{
    QFETCH(PivotEvent, event);
    QFETCH(QString, instructionId);
    QFETCH(QByteArray, def);
    const OverlayDefinition overlay = OverlayDefinition::fromPivot(event);
    QCOMPARE(overlay.instructionId, instructionId);
    QCOMPARE(overlay.kind, u"marker"_s);
    QCOMPARE(overlay.visibleTime, event.visibleTime); // OVL-2
    QCOMPARE(overlay.defJson(), def);
}

void TestOverlayDefinition::polyline_data()
{
    QTest::addColumn<PenEvent>("event");
    QTest::addColumn<QString>("instructionId");
    QTest::addColumn<QByteArray>("def");
    // OVL-1..3: one two-point polyline per confirmed pen.
    QTest::addRow("up")
        << PenEvent{PenSegment{1718690340, 3019.09, 1718776920, 3027}, 1718900000}
        << u"pen.confirmed:1718690340:1718776920:1"_s
        << R"({"direction":1,"feature":"pen.confirmed","points":[{"time":1718690340,"value":3019.09},{"time":1718776920,"value":3027}],"type":"polyline"})"_ba;
    QTest::addRow("down")
        << PenEvent{PenSegment{60, 5, 120, 1.25}, 420} << u"pen.confirmed:60:120:-1"_s
        << R"({"direction":-1,"feature":"pen.confirmed","points":[{"time":60,"value":5},{"time":120,"value":1.25}],"type":"polyline"})"_ba;
}

void TestOverlayDefinition::polyline()
{
    QFETCH(PenEvent, event);
    QFETCH(QString, instructionId);
    QFETCH(QByteArray, def);
    const OverlayDefinition overlay = OverlayDefinition::fromPen(event);
    QCOMPARE(overlay.instructionId, instructionId);
    QCOMPARE(overlay.kind, u"polyline"_s);
    QCOMPARE(overlay.visibleTime, event.visibleTime);
    QCOMPARE(overlay.defJson(), def);
}

QTEST_GUILESS_MAIN(TestOverlayDefinition)
#include "tst_overlaydefinition.moc"
