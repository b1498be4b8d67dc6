// UI-12 / OVL-3, OVL-6: overlay deltas applied in order become pivot markers and pen segments.
#include "ui/chart/overlayset.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::ui::OverlaySet;

namespace {

QJsonArray items(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

} // namespace

class TestOverlaySet final : public QObject
{
    Q_OBJECT

private slots:
    void markersAndSegmentsFromDefs();
    void laterVersionsReplaceAndNullRemoves();
    void skipsMalformedItems_data();
    void skipsMalformedItems();
};

void TestOverlaySet::markersAndSegmentsFromDefs()
{
    OverlaySet set;
    QCOMPARE(set.apply(items(R"([
        {"version_id":1,"instruction_id":"pivot.major:600:1:5","kind":"marker","visible_time":900,
         "def":{"feature":"pivot.major","position":"above","price":105.5,"role":"resistance",
                "shape":"triangle_down","size":1,"time":600,"type":"marker"}},
        {"version_id":2,"instruction_id":"pivot.minor:300:-1:2","kind":"marker","visible_time":420,
         "def":{"feature":"pivot.minor","position":"below","price":99,"role":"support",
                "shape":"triangle_up","size":0.5,"time":300,"type":"marker"}},
        {"version_id":3,"instruction_id":"pen.confirmed:300:600:1","kind":"polyline","visible_time":900,
         "def":{"direction":1,"feature":"pen.confirmed","points":[{"time":300,"value":99},{"time":600,"value":105.5}],
                "type":"polyline"}}])")),
             0);
    const auto markers = set.markers();
    QCOMPARE(markers.size(), 2);
    QCOMPARE(markers.at(0).time, 300);
    QVERIFY(!markers.at(0).above); // ▲ below the low
    QCOMPARE(markers.at(0).size, 0.5);
    QCOMPARE(markers.at(1).time, 600);
    QVERIFY(markers.at(1).above); // ▼ above the high
    QCOMPARE(markers.at(1).price, 105.5);
    const auto segments = set.segments();
    QCOMPARE(segments.size(), 1);
    QCOMPARE(segments.at(0).fromTime, 300);
    QCOMPARE(segments.at(0).toValue, 105.5);
}

void TestOverlaySet::laterVersionsReplaceAndNullRemoves()
{
    OverlaySet set;
    set.apply(items(R"([{"instruction_id":"a","def":{"type":"marker","time":60,"price":1,"position":"below"}},
                        {"instruction_id":"b","def":{"type":"marker","time":120,"price":2,"position":"above"}}])"));
    set.apply(items(R"([{"instruction_id":"a","def":{"type":"marker","time":60,"price":3,"position":"below"}},
                        {"instruction_id":"b","def":null}])"));
    QCOMPARE(set.size(), 1);
    QCOMPARE(set.markers().constFirst().price, 3.0);
}

void TestOverlaySet::skipsMalformedItems_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addRow("no instruction_id") << QByteArray(R"([{"def":{"type":"marker"}}])");
    QTest::addRow("def is a number") << QByteArray(R"([{"instruction_id":"x","def":5}])");
    QTest::addRow("item is a string") << QByteArray(R"(["marker"])");
}

void TestOverlaySet::skipsMalformedItems()
{
    QFETCH(QByteArray, json);
    OverlaySet set;
    QCOMPARE(set.apply(items(json.constData())), 1);
    QCOMPARE(set.size(), 0);
}

QTEST_GUILESS_MAIN(TestOverlaySet)
#include "tst_overlayset.moc"
