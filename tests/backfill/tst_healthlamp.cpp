// HLT-3: every row of the lamp table, first match wins, with the default windows
// F = 2, S = 5, R = 120 s.
#include "core/backfill/healthlamp.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::backfill;

namespace {

constexpr qint64 kNow = 1800000000;

HealthInputs liveWithLag(qint64 lag)
{
    HealthInputs in;
    in.live = true;
    in.head = kNow - 600;
    in.lagCandles = lag;
    return in;
}

} // namespace

Q_DECLARE_METATYPE(gapless::backfill::HealthInputs)

class TestHealthLamp : public QObject
{
    Q_OBJECT

private slots:
    void table_data();
    void table();
};

void TestHealthLamp::table_data()
{
    QTest::addColumn<HealthInputs>("in");
    QTest::addColumn<QString>("lamp");
    QTest::addColumn<QString>("reason");

    HealthInputs in = liveWithLag(0);
    in.storeUnwritable = true;
    in.live = false;
    QTest::addRow("1 store unwritable beats everything") << in << u"red"_s << u"store_unwritable"_s;
    in = liveWithLag(0);
    in.live = false;
    QTest::addRow("2 not live") << in << u"gray"_s << u"not_live"_s;
    in = HealthInputs{};
    in.live = true;
    in.trackerRunning = true;
    QTest::addRow("3 no head, backfilling") << in << u"yellow"_s << u"lagging_backfilling"_s;
    in.trackerRunning = false;
    QTest::addRow("4 no head") << in << u"red"_s << u"no_data"_s;
    in = liveWithLag(0);
    in.sourceDown = true;
    in.openErrors = 3;
    QTest::addRow("5 fresh, source down") << in << u"yellow"_s << u"source_down"_s;
    in.sourceDown = false;
    in.clockBackwards = true;
    QTest::addRow("6 fresh, open errors") << in << u"yellow"_s << u"ingest_errors"_s;
    in.openErrors = 0;
    QTest::addRow("7 fresh, clock backwards") << in << u"yellow"_s << u"clock_backwards"_s;
    QTest::addRow("8 fresh") << liveWithLag(0) << u"green"_s << u"fresh"_s;
    in = liveWithLag(40);
    in.trackerRunning = true;
    in.sourceDown = true;
    QTest::addRow("9 lagging while backfilling") << in << u"yellow"_s << u"lagging_backfilling"_s;
    in.trackerRunning = false;
    QTest::addRow("10 lagging, source down") << in << u"red"_s << u"source_down"_s;
    QTest::addRow("11 lag below F") << liveWithLag(1) << u"yellow"_s << u"lagging"_s;
    in = liveWithLag(4);
    in.trackerSucceededAtS = kNow - 120;
    QTest::addRow("12 lag below S, recent backfill") << in << u"yellow"_s << u"lagging_recent_backfill"_s;
    in.trackerSucceededAtS = kNow - 121;
    QTest::addRow("13 backfill too long ago") << in << u"red"_s << u"stale"_s;
    in = liveWithLag(5);
    in.trackerSucceededAtS = kNow;
    QTest::addRow("13 lag at S") << in << u"red"_s << u"stale"_s;
    QTest::addRow("13 lag at F, no backfill") << liveWithLag(2) << u"red"_s << u"stale"_s;
}

void TestHealthLamp::table()
{
    QFETCH(HealthInputs, in);
    QFETCH(QString, lamp);
    QFETCH(QString, reason);
    const HealthLamp got = evaluateLamp(in, HealthSettings{}, kNow);
    QCOMPARE(got.lamp, lamp);
    QCOMPARE(got.reason, reason);
}

QTEST_GUILESS_MAIN(TestHealthLamp)
#include "tst_healthlamp.moc"
