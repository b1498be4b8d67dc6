#include "core/ingest/factorfingerprint.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::FactorFingerprint;

class TestFactorFingerprint final : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void canonicalText_data();
    void canonicalText();
    void everyInputChangesIt_data();
    void everyInputChangesIt();
};

void TestFactorFingerprint::defaults()
{
    // FAC-5 with the default settings (W 50, w 5, salt "") and logic versions 1. The hex was
    // computed outside Gapless: printf '%s' '<json>' | sha256sum.
    const FactorFingerprint fingerprint;
    QCOMPARE(gapless::kPivotLogicVersion, 1);
    QCOMPARE(gapless::kPenLogicVersion, 1);
    QCOMPARE(fingerprint.json(), R"({"pen":{"logic":1},"pivot":{"logic":1,"major":50,"minor":5},"salt":""})"_ba);
    QCOMPARE(fingerprint.hex(), "13c773fa1c2ec2b3d105e0a071e228016d18ca01a9ecc4d963e8cb79bb0c39a4"_ba);
}

void TestFactorFingerprint::canonicalText_data()
{
    QTest::addColumn<int>("majorWindow");
    QTest::addColumn<int>("minorWindow");
    QTest::addColumn<QString>("salt");
    QTest::addColumn<QByteArray>("json");
    // FAC-5, canonical per C-3: sorted keys, no spaces; the salt is escaped as a JSON string.
    QTest::addRow("defaults") << 50 << 5 << QString()
                              << R"({"pen":{"logic":1},"pivot":{"logic":1,"major":50,"minor":5},"salt":""})"_ba;
    QTest::addRow("other windows") << 120 << 12 << QString()
                                   << R"({"pen":{"logic":1},"pivot":{"logic":1,"major":120,"minor":12},"salt":""})"_ba;
    QTest::addRow("salt with quote and non-ASCII")
        << 50 << 5 << u"v2 \"réglé\""_s
        << R"({"pen":{"logic":1},"pivot":{"logic":1,"major":50,"minor":5},"salt":"v2 \"réglé\""})"_ba;
}

void TestFactorFingerprint::canonicalText()
{
    QFETCH(int, majorWindow);
    QFETCH(int, minorWindow);
    QFETCH(QString, salt);
    QFETCH(QByteArray, json);
    const FactorFingerprint fingerprint{majorWindow, minorWindow, salt};
    QCOMPARE(fingerprint.json(), json);
    // The hash is checked against Qt's own SHA-256 of the literal text, not of json().
    QCOMPARE(fingerprint.hex(), QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex());
}

void TestFactorFingerprint::everyInputChangesIt_data()
{
    QTest::addColumn<FactorFingerprint>("changed");
    FactorFingerprint fingerprint;
    fingerprint.majorWindow = 51;
    QTest::addRow("W") << fingerprint;
    fingerprint = {};
    fingerprint.minorWindow = 4;
    QTest::addRow("w") << fingerprint;
    fingerprint = {};
    fingerprint.salt = u"rebuild-2024-09"_s;
    QTest::addRow("salt") << fingerprint;
    fingerprint = {};
    fingerprint.pivotLogic = 2;
    QTest::addRow("pivot logic") << fingerprint;
    fingerprint = {};
    fingerprint.penLogic = 2;
    QTest::addRow("pen logic") << fingerprint;
}

void TestFactorFingerprint::everyInputChangesIt()
{
    QFETCH(FactorFingerprint, changed);
    const QByteArray hex = changed.hex();
    QCOMPARE(hex.size(), 64);
    QVERIFY(hex != FactorFingerprint().hex());
}

QTEST_GUILESS_MAIN(TestFactorFingerprint)
#include "tst_factorfingerprint.moc"
