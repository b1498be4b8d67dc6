#include "core/runtime/settingspec.h"
#include "core/runtime/settingvalue.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSettingValue final : public QObject
{
    Q_OBJECT

private slots:
    void parsesBools_data();
    void parsesBools();
    void parsesInts_data();
    void parsesInts();
    void parsesLists_data();
    void parsesLists();
    void parsesHostPorts_data();
    void parsesHostPorts();
    void validatesByType_data();
    void validatesByType();
    void redactsForDisplay();
    void formatsTheCfg3Message();
};

void TestSettingValue::parsesBools_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected"); // -1 = not a bool
    // C-2: trimmed, any case
    QTest::addRow("1") << u"1"_s << 1;
    QTest::addRow("TRUE") << u"TRUE"_s << 1;
    QTest::addRow(" yes ") << u" yes "_s << 1;
    QTest::addRow("On") << u"On"_s << 1;
    QTest::addRow("0") << u"0"_s << 0;
    QTest::addRow("False") << u"False"_s << 0;
    QTest::addRow("no") << u"no"_s << 0;
    QTest::addRow("OFF\\t") << u"OFF\t"_s << 0;
    QTest::addRow("empty") << QString() << -1;
    QTest::addRow("y") << u"y"_s << -1;
    QTest::addRow("2") << u"2"_s << -1;
    QTest::addRow("enabled") << u"enabled"_s << -1;
}

void TestSettingValue::parsesBools()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    const auto value = gapless::parseSettingBool(text);
    QCOMPARE(value.has_value(), expected >= 0);
    if (value)
        QCOMPARE(*value, expected == 1);
}

void TestSettingValue::parsesInts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("expected");
    // Decimal, no junk
    QTest::addRow("zero") << u"0"_s << true << qint64(0);
    QTest::addRow("trimmed") << u" 5000 "_s << true << qint64(5000);
    QTest::addRow("negative") << u"-3"_s << true << qint64(-3);
    QTest::addRow("leading zeros") << u"007"_s << true << qint64(7);
    QTest::addRow("int64 max") << u"9223372036854775807"_s << true << qint64(9223372036854775807);
    QTest::addRow("overflow") << u"9223372036854775808"_s << false << qint64(0);
    QTest::addRow("plus") << u"+5"_s << false << qint64(0);
    QTest::addRow("hex") << u"0x10"_s << false << qint64(0);
    QTest::addRow("exponent") << u"1e3"_s << false << qint64(0);
    QTest::addRow("unit") << u"5000ms"_s << false << qint64(0);
    QTest::addRow("separator") << u"1_000"_s << false << qint64(0);
    QTest::addRow("decimal") << u"1.0"_s << false << qint64(0);
    QTest::addRow("inner space") << u"1 0"_s << false << qint64(0);
    QTest::addRow("empty") << QString() << false << qint64(0);
    QTest::addRow("minus only") << u"-"_s << false << qint64(0);
}

void TestSettingValue::parsesInts()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, expected);
    const auto value = gapless::parseSettingInt(text);
    QCOMPARE(value.has_value(), ok);
    if (value)
        QCOMPARE(*value, expected);
}

void TestSettingValue::parsesLists_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    // C-2: comma-separated, items trimmed, "" = empty
    QTest::addRow("empty") << QString() << QStringList();
    QTest::addRow("blank") << u"   "_s << QStringList();
    QTest::addRow("one") << u"5m"_s << QStringList{u"5m"_s};
    QTest::addRow("trimmed") << u" 5m , 1h,1d "_s << QStringList{u"5m"_s, u"1h"_s, u"1d"_s};
    QTest::addRow("empty item kept") << u"a,,b"_s << QStringList{u"a"_s, QString(), u"b"_s};
}

void TestSettingValue::parsesLists()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(gapless::parseSettingList(text), expected);
}

void TestSettingValue::parsesHostPorts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addRow("loopback 0") << u"127.0.0.1:0"_s << true << u"127.0.0.1"_s << 0;
    QTest::addRow("name") << u"localhost:8765"_s << true << u"localhost"_s << 8765;
    QTest::addRow("any") << u"0.0.0.0:65535"_s << true << u"0.0.0.0"_s << 65535;
    QTest::addRow("ipv6") << u"[::1]:8765"_s << true << u"::1"_s << 8765;
    QTest::addRow("no port") << u"localhost"_s << false << QString() << 0;
    QTest::addRow("empty port") << u"localhost:"_s << false << QString() << 0;
    QTest::addRow("no host") << u":8765"_s << false << QString() << 0;
    QTest::addRow("port too big") << u"localhost:65536"_s << false << QString() << 0;
    QTest::addRow("port junk") << u"localhost:80a"_s << false << QString() << 0;
    QTest::addRow("bare ipv6") << u"::1:8765"_s << false << QString() << 0;
    QTest::addRow("bad ipv6") << u"[zz]:8765"_s << false << QString() << 0;
    QTest::addRow("scheme") << u"ws://localhost:8765"_s << false << QString() << 0;
}

void TestSettingValue::parsesHostPorts()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto value = gapless::parseHostPort(text);
    QCOMPARE(value.has_value(), ok);
    if (value) {
        QCOMPARE(value->host, host);
        QCOMPARE(int(value->port), port);
    }
}

void TestSettingValue::validatesByType_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addRow("int lower bound") << u"store.busy_timeout_ms"_s << u"0"_s << true;
    QTest::addRow("int upper bound") << u"store.busy_timeout_ms"_s << u"600000"_s << true;
    QTest::addRow("int above") << u"store.busy_timeout_ms"_s << u"600001"_s << false;
    QTest::addRow("int below") << u"store.busy_timeout_ms"_s << u"-1"_s << false;
    QTest::addRow("salt 64") << u"factor.logic_salt"_s << QString(64, u'x') << true;
    QTest::addRow("salt 65") << u"factor.logic_salt"_s << QString(65, u'x') << false;
    QTest::addRow("token empty") << u"server.access_token"_s << QString() << true;
    QTest::addRow("token 16") << u"server.access_token"_s << u"0123456789abcdef"_s << true;
    QTest::addRow("token 15") << u"server.access_token"_s << u"0123456789abcde"_s << false;
    QTest::addRow("token space") << u"server.access_token"_s << u"0123456789 abcdef"_s << false;
    QTest::addRow("token non-ascii") << u"server.access_token"_s << u"0123456789abcdeé"_s << false;
    QTest::addRow("db path") << u"store.url"_s << u"/var/lib/gapless/x.db"_s << true;
    QTest::addRow("db relative") << u"store.url"_s << u"x.db"_s << true;
    QTest::addRow("db sqlite url") << u"store.url"_s << u"sqlite:///tmp/x.db"_s << true;
    QTest::addRow("db sqlite relative") << u"store.url"_s << u"sqlite://x.db"_s << false;
    QTest::addRow("db postgres") << u"store.url"_s << u"postgresql://u:p@db.local:5433/gapless"_s << true;
    QTest::addRow("db postgres short") << u"store.url"_s << u"postgres://u@h/db"_s << true;
    QTest::addRow("db postgres ipv6") << u"store.url"_s << u"postgresql://u@[::1]:5432/db"_s << true;
    QTest::addRow("db postgres @ in pw") << u"store.url"_s << u"postgresql://u:p@ss@h/db"_s << true;
    QTest::addRow("db postgres no user") << u"store.url"_s << u"postgresql://h/db"_s << false;
    QTest::addRow("db postgres no db") << u"store.url"_s << u"postgresql://u@h/"_s << false;
    QTest::addRow("db postgres port 0") << u"store.url"_s << u"postgresql://u@h:0/db"_s << false;
    QTest::addRow("db mysql") << u"store.url"_s << u"mysql://u@h/db"_s << false;
    QTest::addRow("db empty") << u"store.url"_s << QString() << false;
    QTest::addRow("rest https") << u"source.binance_spot_rest"_s << u"https://api.binance.com"_s << true;
    QTest::addRow("rest replay") << u"source.binance_spot_rest"_s << u"http://127.0.0.1:41234"_s << true;
    QTest::addRow("rest ws") << u"source.binance_spot_rest"_s << u"wss://api.binance.com"_s << false;
    QTest::addRow("rest query") << u"source.binance_spot_rest"_s << u"https://x.com/?a=1"_s << false;
    QTest::addRow("rest no host") << u"source.binance_spot_rest"_s << u"https://"_s << false;
    QTest::addRow("ws wss") << u"source.binance_spot_ws"_s << u"wss://stream.binance.com:9443"_s << true;
    QTest::addRow("ws http") << u"source.binance_spot_ws"_s << u"http://stream.binance.com"_s << false;
    QTest::addRow("enum ok") << u"repair.conflict_policy"_s << u"manual_review"_s << true;
    QTest::addRow("enum hyphen") << u"repair.conflict_policy"_s << u"manual-review"_s << false;
    QTest::addRow("enum case") << u"ui.theme"_s << u"Dark"_s << false;
    QTest::addRow("tfs ok") << u"backfill.derived_timeframes"_s << u"5m, 1h ,90m"_s << true;
    QTest::addRow("tfs empty") << u"backfill.derived_timeframes"_s << QString() << true;
    QTest::addRow("tfs 1m") << u"backfill.derived_timeframes"_s << u"1m,5m"_s << false;
    QTest::addRow("tfs 1w") << u"backfill.derived_timeframes"_s << u"1w"_s << false;
    QTest::addRow("tfs empty item") << u"backfill.derived_timeframes"_s << u"5m,,1h"_s << false;
    QTest::addRow("series ok") << u"sync.series"_s << u"binance:spot:BTC/USDT:1m, file:cn:000001.SH:1d"_s << true;
    QTest::addRow("series bad") << u"sync.series"_s << u"binance:spot:1m"_s << false;
    QTest::addRow("origins ok") << u"server.allowed_origins"_s << u"http://localhost:3000,https://x.org"_s << true;
    QTest::addRow("origin path") << u"server.allowed_origins"_s << u"https://x.org/app"_s << false;
    QTest::addRow("origin bare") << u"server.allowed_origins"_s << u"x.org"_s << false;
    QTest::addRow("dirs ok") << u"source.file_dirs"_s << u"/data/a, relative/b"_s << true;
    QTest::addRow("dirs trailing comma") << u"source.file_dirs"_s << u"/data/a,"_s << false;
    QTest::addRow("overrides ok") << u"repair.conflict_policy_overrides"_s
                                  << u"binance:spot:BTC/USDT:1m=local_wins,x:y:A=B:1h=manual_review"_s << true;
    QTest::addRow("overrides no =") << u"repair.conflict_policy_overrides"_s << u"binance:spot:BTC/USDT:1m"_s << false;
    QTest::addRow("overrides bad policy") << u"repair.conflict_policy_overrides"_s << u"x:y:z:1m=mine"_s << false;
    QTest::addRow("overrides repeated") << u"repair.conflict_policy_overrides"_s
                                        << u"x:y:z:1h=local_wins,x:y:z:60m=source_wins"_s << false;
    QTest::addRow("failpoints ok") << u"debug.failpoints"_s << u"ingest.store=2,source.rest=5%"_s << true;
    QTest::addRow("failpoints bad") << u"debug.failpoints"_s << u"ingest.nope"_s << false;
}

void TestSettingValue::validatesByType()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const gapless::SettingSpec *spec = gapless::findSettingSpec(key);
    QVERIFY(spec);
    QCOMPARE(gapless::isValidSettingValue(*spec, text), valid);
}

void TestSettingValue::redactsForDisplay()
{
    // SEC-4
    const auto &token = *gapless::findSettingSpec(u"server.access_token");
    QCOMPARE(gapless::displaySettingValue(token, u"0123456789abcdef"_s), u"***"_s);
    QCOMPARE(gapless::displaySettingValue(token, QString()), QString());
    const auto &url = *gapless::findSettingSpec(u"store.url");
    QCOMPARE(gapless::displaySettingValue(url, u"postgresql://u:hunter2@h/db"_s), u"postgresql://u:***@h/db"_s);
    const auto &salt = *gapless::findSettingSpec(u"factor.logic_salt");
    QCOMPARE(gapless::displaySettingValue(salt, u"pepper"_s), u"pepper"_s);
}

void TestSettingValue::formatsTheCfg3Message()
{
    const auto &busy = *gapless::findSettingSpec(u"store.busy_timeout_ms");
    const gapless::Error error = gapless::settingValueError(busy, u"abc"_s, u"env GAPLESS_STORE_BUSY_TIMEOUT_MS"_s);
    QCOMPARE(error.code, gapless::ErrorCode::BadRequest);
    QCOMPARE(error.message, u"setting store.busy_timeout_ms = \"abc\" (from env GAPLESS_STORE_BUSY_TIMEOUT_MS): "
                            u"expected int in [0, 600000]"_s);
    const auto &token = *gapless::findSettingSpec(u"server.access_token");
    QCOMPARE(gapless::settingValueError(token, u"short secret"_s, u"cli --token"_s).message,
             u"setting server.access_token = \"***\" (from cli --token): "
             u"expected string in \"\" or >= 16 visible ASCII characters"_s);
}

QTEST_GUILESS_MAIN(TestSettingValue)
#include "tst_settingvalue.moc"
