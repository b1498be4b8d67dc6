#include "core/domain/canonicaljson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

class TestCanonicalJson final : public QObject
{
    Q_OBJECT

private slots:
    void canonicalizesText_data();
    void canonicalizesText();
    void canonicalizesValues_data();
    void canonicalizesValues();
    void sortsKeysByUtf8Bytes();
    void overloadsAgree();
    void sha256_data();
    void sha256();
};

void TestCanonicalJson::canonicalizesText_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    // C-3: sorted keys, no spaces, integers without '.', shortest round-trip numbers.
    QTest::addRow("empty object") << "{ }"_ba << "{}"_ba;
    QTest::addRow("empty array") << "[ ]"_ba << "[]"_ba;
    QTest::addRow("sorted keys, no spaces") << R"({ "b": 1, "a": 2 })"_ba << R"({"a":2,"b":1})"_ba;
    QTest::addRow("nested objects sorted")
        << R"({"z": [1, {"y": null, "x": true}], "a": {"d": false, "c": "s"}})"_ba
        << R"({"a":{"c":"s","d":false},"z":[1,{"x":true,"y":null}]})"_ba;
    QTest::addRow("array order kept") << "[3, 1, 2]"_ba << "[3,1,2]"_ba;
    QTest::addRow("STORE-12 notify payload")
        << R"({"to": 1718332200, "series_id": "file:cn:000001.SH:1m", "from": 1718328600})"_ba
        << R"({"from":1718328600,"series_id":"file:cn:000001.SH:1m","to":1718332200})"_ba;
    QTest::addRow("FAC-5 fingerprint shape")
        << R"({"salt":"s","pivot":{"minor":5,"major":50,"logic":"v1"},"pen":{"logic":"v1"}})"_ba
        << R"({"pen":{"logic":"v1"},"pivot":{"logic":"v1","major":50,"minor":5},"salt":"s"})"_ba;
    QTest::addRow("millisecond integer") << "[1718328600000]"_ba << "[1718328600000]"_ba;
    QTest::addRow("integral double loses its point") << "[1.0, 100.00, 1e2, -0.0]"_ba << "[1,100,100,0]"_ba;
    QTest::addRow("int64 max") << "[9223372036854775807]"_ba << "[9223372036854775807]"_ba;
    QTest::addRow("above 2^53 stays exact") << "[9007199254740993]"_ba << "[9007199254740993]"_ba;
    // to_chars picks the shorter of fixed and scientific notation.
    QTest::addRow("above int64 is a double") << "[18446744073709551615]"_ba << "[18446744073709551616]"_ba;
    QTest::addRow("large double") << "[1e22, 1.5e300]"_ba << "[1e+22,1.5e+300]"_ba;
    QTest::addRow("fractions shortest") << "[3020.96, 0.1, 2.50, -1.5]"_ba << "[3020.96,0.1,2.5,-1.5]"_ba;
    QTest::addRow("small and large") << "[1e-7, 1e300]"_ba << "[1e-07,1e+300]"_ba;
    QTest::addRow("escapes") << R"(["a\"b\\c\/d", "\n\r\t\b\f", "\u0001\u001f"])"_ba
                             << R"(["a\"b\\c/d","\n\r\t\b\f","\u0001\u001f"])"_ba;
    QTest::addRow("non-ASCII raw") << R"(["\u00e9\u6e2f", "\ud83d\ude00", "\u007f"])"_ba
                                   << "[\"\xc3\xa9\xe6\xb8\xaf\",\"\xf0\x9f\x98\x80\",\"\x7f\"]"_ba;
    QTest::addRow("escaped key") << R"({"a\nb": 1})"_ba << R"({"a\nb":1})"_ba;
    QTest::addRow("literals") << "[true, false, null]"_ba << "[true,false,null]"_ba;
}

void TestCanonicalJson::canonicalizesText()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(input, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QByteArray actual = doc.isObject() ? gapless::canonicalJson(doc.object()) : gapless::canonicalJson(doc.array());
    QCOMPARE(actual, expected);
    // Canonical text is a fixed point.
    const QJsonDocument again = QJsonDocument::fromJson(actual);
    QCOMPARE(again.isObject() ? gapless::canonicalJson(again.object()) : gapless::canonicalJson(again.array()),
             expected);
}

void TestCanonicalJson::canonicalizesValues_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("qint64 ms") << QJsonValue(qint64(1718328600000)) << "1718328600000"_ba;
    QTest::addRow("qint64 above 2^53") << QJsonValue(qint64(9007199254740993)) << "9007199254740993"_ba;
    QTest::addRow("qint64 min") << QJsonValue(std::numeric_limits<qint64>::min()) << "-9223372036854775808"_ba;
    QTest::addRow("integral double") << QJsonValue(3485.0) << "3485"_ba;
    QTest::addRow("double 2^63") << QJsonValue(9223372036854775808.0) << "9223372036854775808"_ba;
    QTest::addRow("double -2^63") << QJsonValue(-9223372036854775808.0) << "-9223372036854775808"_ba;
    QTest::addRow("negative zero") << QJsonValue(-0.0) << "0"_ba;
    QTest::addRow("price") << QJsonValue(3020.96) << "3020.96"_ba;
    QTest::addRow("third") << QJsonValue(1.0 / 3) << "0.3333333333333333"_ba;
    QTest::addRow("nan is null") << QJsonValue(std::nan("")) << "null"_ba;
    QTest::addRow("infinity is null") << QJsonValue(std::numeric_limits<double>::infinity()) << "null"_ba;
    QTest::addRow("minus infinity is null") << QJsonValue(-std::numeric_limits<double>::infinity()) << "null"_ba;
    QTest::addRow("string") << QJsonValue(u"BTC/USDT"_s) << "\"BTC/USDT\""_ba;
    QTest::addRow("empty string") << QJsonValue(QString()) << "\"\""_ba;
    QTest::addRow("null") << QJsonValue(QJsonValue::Null) << "null"_ba;
    QTest::addRow("undefined") << QJsonValue(QJsonValue::Undefined) << "null"_ba;
    QTest::addRow("true") << QJsonValue(true) << "true"_ba;
    QTest::addRow("object") << QJsonValue(QJsonObject{{u"b"_s, 1}, {u"a"_s, QJsonArray{1.5, u"x"_s}}})
                            << R"({"a":[1.5,"x"],"b":1})"_ba;
}

void TestCanonicalJson::canonicalizesValues()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(gapless::canonicalJson(value), expected);
}

void TestCanonicalJson::sortsKeysByUtf8Bytes()
{
    // U+FF01 (UTF-8 EF BC 81) sorts before U+1F600 (F0 9F 98 80) by UTF-8 bytes, after it by
    // UTF-16 code units (FF01 > D83D), which is QJsonObject's own order.
    const QString fullwidth(QChar(0xFF01));
    const QString emoji = QString::fromUtf8("\xf0\x9f\x98\x80");
    const QJsonObject object{{emoji, 2}, {fullwidth, 1}, {u"a"_s, 0}, {u"Z"_s, -1}};
    QCOMPARE(gapless::canonicalJson(object),
             "{\"Z\":-1,\"a\":0,\"\xef\xbc\x81\":1,\"\xf0\x9f\x98\x80\":2}"_ba);
}

void TestCanonicalJson::overloadsAgree()
{
    const QJsonObject object{{u"name"_s, u"backfill"_s}, {u"args"_s, QJsonObject{{u"to"_s, 1}}}};
    const QJsonArray array{object, 2};
    QCOMPARE(gapless::canonicalJson(QJsonValue(object)), gapless::canonicalJson(object));
    QCOMPARE(gapless::canonicalJson(QJsonValue(array)), gapless::canonicalJson(array));
}

void TestCanonicalJson::sha256_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex");
    // REP-3: the empty bucket's checksum.
    QTest::addRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba;
    // IDEM-3: fingerprint of a canonical {"args":ARGS,"name":NAME} (checked with Python's hashlib).
    QTest::addRow("IDEM-3 fingerprint")
        << R"({"args":{"from":1718328600,"series_id":"binance:spot:BTC/USDT:1m","to":1718332200},"name":"backfill"})"_ba
        << "c6bcf1dd5d0298c9f397ad43b49aeb14f240aa17e2ab73bb1af1cec978f456f2"_ba;
}

void TestCanonicalJson::sha256()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    QCOMPARE(gapless::sha256Hex(data), hex);
}

QTEST_GUILESS_MAIN(TestCanonicalJson)
#include "tst_canonicaljson.moc"
