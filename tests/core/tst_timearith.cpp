#include "core/domain/timearith.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

class TestTimeArith final : public QObject
{
    Q_OBJECT

private slots:
    void floors_data();
    void floors();
    void expectedLatestClosed_data();
    void expectedLatestClosed();
    void rejectsTimeframe_data();
    void rejectsTimeframe();
};

void TestTimeArith::floors_data()
{
    QTest::addColumn<qint64>("t");
    QTest::addColumn<qint64>("tf");
    QTest::addColumn<qint64>("floored");
    // C-1: floor_tf is the mathematical floor, also below zero.
    QTest::addRow("aligned") << qint64(1735689600) << qint64(60) << qint64(1735689600);
    QTest::addRow("inside") << qint64(1735689665) << qint64(60) << qint64(1735689660);
    QTest::addRow("last second") << qint64(3599) << qint64(3600) << qint64(0);
    QTest::addRow("zero") << qint64(0) << qint64(300) << qint64(0);
    QTest::addRow("minus one") << qint64(-1) << qint64(60) << qint64(-60);
    QTest::addRow("negative aligned") << qint64(-120) << qint64(60) << qint64(-120);
    QTest::addRow("negative inside") << qint64(-121) << qint64(60) << qint64(-180);
}

void TestTimeArith::floors()
{
    QFETCH(qint64, t);
    QFETCH(qint64, tf);
    QFETCH(qint64, floored);
    QCOMPARE(gapless::floorTo(t, tf), floored);
    QCOMPARE(gapless::floorDiv(t, tf) * tf, floored);
}

void TestTimeArith::expectedLatestClosed_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("tf");
    QTest::addColumn<qint64>("expected"); // -1 = none
    // DOM-9, its five examples first.
    QTest::addRow("1735689665, 60") << qint64(1735689665) << qint64(60) << qint64(1735689600);
    QTest::addRow("1700000100, 300") << qint64(1700000100) << qint64(300) << qint64(1699999800);
    QTest::addRow("1200, 3600 none") << qint64(1200) << qint64(3600) << qint64(-1);
    QTest::addRow("0, 60 none") << qint64(0) << qint64(60) << qint64(-1);
    QTest::addRow("exactly at a boundary") << qint64(1735689600) << qint64(60) << qint64(1735689540);
    QTest::addRow("first bar just closed") << qint64(120) << qint64(60) << qint64(60);
    QTest::addRow("a equals tf") << qint64(119) << qint64(60) << qint64(0);
    QTest::addRow("a below tf") << qint64(59) << qint64(60) << qint64(-1);
    QTest::addRow("negative now") << qint64(-61) << qint64(60) << qint64(-1);
    QTest::addRow("minimum now") << std::numeric_limits<qint64>::min() << qint64(60) << qint64(-1);
    QTest::addRow("one-second tf") << qint64(10) << qint64(1) << qint64(9);
}

void TestTimeArith::expectedLatestClosed()
{
    QFETCH(qint64, now);
    QFETCH(qint64, tf);
    QFETCH(qint64, expected);
    const auto latest = gapless::expectedLatestClosed(now, tf);
    QVERIFY2(latest.ok(), qPrintable(latest.ok() ? QString() : latest.error().message));
    QCOMPARE(*latest, expected < 0 ? std::nullopt : std::optional<qint64>(expected));
}

void TestTimeArith::rejectsTimeframe_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("tf");
    QTest::addColumn<QString>("message");
    // DOM-9: tf <= 0 → bad_request; DOM-13 message.
    QTest::addRow("4000, 0") << qint64(4000) << qint64(0)
                             << u"timeframe 0 s: not positive; expected a timeframe of at least 1 s"_s;
    QTest::addRow("negative tf") << qint64(4000) << qint64(-60)
                                 << u"timeframe -60 s: not positive; expected a timeframe of at least 1 s"_s;
}

void TestTimeArith::rejectsTimeframe()
{
    QFETCH(qint64, now);
    QFETCH(qint64, tf);
    QFETCH(QString, message);
    const auto latest = gapless::expectedLatestClosed(now, tf);
    QVERIFY(!latest.ok());
    QCOMPARE(latest.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(latest.error().message, message);
}

QTEST_GUILESS_MAIN(TestTimeArith)
#include "tst_timearith.moc"
