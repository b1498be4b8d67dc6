#include "core/domain/numberformat.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using gapless::NumberParse;

Q_DECLARE_METATYPE(gapless::NumberParse)

class TestNumberFormat final : public QObject
{
    Q_OBJECT

private slots:
    void formats_data();
    void formats();
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void roundTrips_data();
    void roundTrips();
};

void TestNumberFormat::formats_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");
    // CLI-10, REP-3: shortest round-trip, -0 as 0
    QTest::addRow("integral price") << 3485.0 << "3485"_ba;
    QTest::addRow("two decimals") << 3020.96 << "3020.96"_ba;
    QTest::addRow("one decimal") << 3488.2 << "3488.2"_ba;
    QTest::addRow("zero") << 0.0 << "0"_ba;
    QTest::addRow("negative zero") << -0.0 << "0"_ba;
    QTest::addRow("negative") << -12.5 << "-12.5"_ba;
    QTest::addRow("tenth") << 0.1 << "0.1"_ba;
    QTest::addRow("round volume stays integral") << 100000.0 << "100000"_ba;
    QTest::addRow("1e15 stays integral") << 1e15 << "1000000000000000"_ba;
    QTest::addRow("2^53 - 1") << 9007199254740991.0 << "9007199254740991"_ba;
    QTest::addRow("2^53 uses to_chars") << 9007199254740992.0 << "9007199254740992"_ba;
    QTest::addRow("1e21 uses to_chars") << 1e21 << "1e+21"_ba;
    QTest::addRow("small uses to_chars") << 1e-7 << "1e-07"_ba;
    QTest::addRow("small decimal") << 0.00001234 << "1.234e-05"_ba;
    QTest::addRow("denormal") << 5e-324 << "5e-324"_ba;
    QTest::addRow("third") << 1.0 / 3 << "0.3333333333333333"_ba;
    QTest::addRow("max") << std::numeric_limits<double>::max() << "1.7976931348623157e+308"_ba;
}

void TestNumberFormat::formats()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(gapless::formatNumber(value), expected);
}

void TestNumberFormat::parses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<double>("expected");
    QTest::addRow("integer") << "3485"_ba << 3485.0;
    QTest::addRow("decimal") << "3020.96"_ba << 3020.96;
    QTest::addRow("negative") << "-0.5"_ba << -0.5;
    QTest::addRow("exponent") << "1e-07"_ba << 1e-7;
    QTest::addRow("upper exponent") << "2.5E+3"_ba << 2500.0;
    QTest::addRow("trailing point") << "5."_ba << 5.0;
    QTest::addRow("leading point") << ".5"_ba << 0.5;
    QTest::addRow("leading zeros") << "00012"_ba << 12.0;
    QTest::addRow("denormal") << "1e-310"_ba << 1e-310;
    QTest::addRow("underflow reads as zero") << "1e-400"_ba << 0.0;
    QTest::addRow("long underflow") << "0.0000000000000000000000000000000000000000001e-300"_ba << 0.0;
    QTest::addRow("max") << "1.7976931348623157e308"_ba << std::numeric_limits<double>::max();
}

void TestNumberFormat::parses()
{
    QFETCH(QByteArray, text);
    QFETCH(double, expected);
    const gapless::ParsedNumber parsed = gapless::parseNumber(text);
    QCOMPARE(parsed.status, NumberParse::Ok);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value, expected);
}

void TestNumberFormat::rejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<NumberParse>("expected");
    // DOM-6: malformed and not_finite are distinct reasons.
    QTest::addRow("empty") << QByteArray() << NumberParse::Malformed;
    QTest::addRow("plus sign") << "+1"_ba << NumberParse::Malformed;
    QTest::addRow("leading space") << " 1"_ba << NumberParse::Malformed;
    QTest::addRow("trailing space") << "1 "_ba << NumberParse::Malformed;
    QTest::addRow("trailing garbage") << "12abc"_ba << NumberParse::Malformed;
    QTest::addRow("hex") << "0x10"_ba << NumberParse::Malformed;
    QTest::addRow("bare minus") << "-"_ba << NumberParse::Malformed;
    QTest::addRow("bare point") << "."_ba << NumberParse::Malformed;
    QTest::addRow("dangling exponent") << "1e"_ba << NumberParse::Malformed;
    QTest::addRow("comma decimal") << "1,5"_ba << NumberParse::Malformed;
    QTest::addRow("two points") << "1.2.3"_ba << NumberParse::Malformed;
    QTest::addRow("partial inf") << "in"_ba << NumberParse::Malformed;
    QTest::addRow("infinity then garbage") << "infinityx"_ba << NumberParse::Malformed;
    QTest::addRow("nan") << "nan"_ba << NumberParse::NotFinite;
    QTest::addRow("NaN") << "NaN"_ba << NumberParse::NotFinite;
    QTest::addRow("inf") << "inf"_ba << NumberParse::NotFinite;
    QTest::addRow("-Inf") << "-Inf"_ba << NumberParse::NotFinite;
    QTest::addRow("INFINITY") << "INFINITY"_ba << NumberParse::NotFinite;
    QTest::addRow("Infinity") << "Infinity"_ba << NumberParse::NotFinite;
    QTest::addRow("overflow") << "1e999"_ba << NumberParse::NotFinite;
    QTest::addRow("negative overflow") << "-1e999"_ba << NumberParse::NotFinite;
    QTest::addRow("long overflow") << (QByteArray(400, '9') + ".5"_ba) << NumberParse::NotFinite;
}

void TestNumberFormat::rejects()
{
    QFETCH(QByteArray, text);
    QFETCH(NumberParse, expected);
    const gapless::ParsedNumber parsed = gapless::parseNumber(text);
    QCOMPARE(parsed.status, expected);
    QVERIFY(!parsed.ok());
}

void TestNumberFormat::roundTrips_data()
{
    QTest::addColumn<double>("value");
    QTest::addRow("price") << 3020.96;
    QTest::addRow("negative zero") << -0.0;
    QTest::addRow("third") << 1.0 / 3;
    QTest::addRow("tiny") << 4.9406564584124654e-324;
    QTest::addRow("huge") << 1.7976931348623157e308;
    QTest::addRow("above 2^53") << 18446744073709551616.0;
    QTest::addRow("round volume") << 100000.0;
    QTest::addRow("negative integral") << -42.0;
}

void TestNumberFormat::roundTrips()
{
    QFETCH(double, value);
    const QByteArray text = gapless::formatNumber(value);
    const gapless::ParsedNumber parsed = gapless::parseNumber(text);
    QVERIFY2(parsed.ok(), text.constData());
    QCOMPARE(parsed.value, value);
}

QTEST_GUILESS_MAIN(TestNumberFormat)
#include "tst_numberformat.moc"
