#include "core/domain/timeframe.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::Timeframe;

class TestTimeframe final : public QObject
{
    Q_OBJECT

private slots:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void floorsNegativeTimes();
};

void TestTimeframe::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("canonical");
    // DOM-4
    QTest::addRow("1m") << u"1m"_s << qint64(60) << u"1m"_s;
    QTest::addRow("5m") << u"5m"_s << qint64(300) << u"5m"_s;
    QTest::addRow("60m is 1h") << u"60m"_s << qint64(3600) << u"1h"_s;
    QTest::addRow("90m stays") << u"90m"_s << qint64(5400) << u"90m"_s;
    QTest::addRow("1440m is 1d") << u"1440m"_s << qint64(86400) << u"1d"_s;
    QTest::addRow("24h is 1d") << u"24h"_s << qint64(86400) << u"1d"_s;
    QTest::addRow("168h is 7d") << u"168h"_s << qint64(604800) << u"7d"_s;
    QTest::addRow("7d upper bound") << u"7d"_s << qint64(604800) << u"7d"_s;
}

void TestTimeframe::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    QFETCH(QString, canonical);
    const auto tf = Timeframe::parse(text);
    QVERIFY2(tf.ok(), qPrintable(tf.ok() ? QString() : tf.error().message));
    QCOMPARE(tf->seconds(), seconds);
    QCOMPARE(tf->toString(), canonical);
}

void TestTimeframe::rejectsInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // DOM-4: no seconds, no weeks or months, no leading zero, bounded.
    QTest::addRow("seconds") << u"30s"_s << u"timeframe '30s': not a timeframe"_s;
    QTest::addRow("weeks") << u"1w"_s << u"timeframe '1w': not a timeframe"_s;
    QTest::addRow("months") << u"1M"_s << u"timeframe '1M': not a timeframe"_s;
    QTest::addRow("leading zero") << u"05m"_s << u"timeframe '05m': not a timeframe"_s;
    QTest::addRow("empty") << QString() << u"timeframe '': not a timeframe"_s;
    QTest::addRow("above 7d") << u"8d"_s << u"timeframe '8d': out of range; expected 60 s to 604800 s"_s;
    QTest::addRow("seven digits") << u"1000000m"_s << u"timeframe '1000000m': not a timeframe"_s;
    QTest::addRow("inner space") << u"1 m"_s << u"timeframe '1 m': not a timeframe"_s;
}

void TestTimeframe::rejectsInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto tf = Timeframe::parse(text);
    QVERIFY(!tf.ok());
    QCOMPARE(tf.error().code, gapless::ErrorCode::BadRequest);
    QVERIFY2(tf.error().message.startsWith(expected), qPrintable(tf.error().message));
}

void TestTimeframe::floorsNegativeTimes()
{
    const Timeframe m1 = *Timeframe::parse(u"1m");
    QCOMPARE(m1.floor(1735689665), qint64(1735689660));
    QCOMPARE(m1.floor(-1), qint64(-60));
    QCOMPARE(m1.floor(-60), qint64(-60));
    QCOMPARE(m1.floor(0), qint64(0));
}

QTEST_GUILESS_MAIN(TestTimeframe)
#include "tst_timeframe.moc"
