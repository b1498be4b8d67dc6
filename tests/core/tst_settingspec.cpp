#include "core/runtime/settingspec.h"
#include "core/runtime/settingvalue.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using gapless::SettingSpec;

class TestSettingSpec final : public QObject
{
    Q_OBJECT

private slots:
    void holdsEverySpecKey();
    void keysAreWellFormedAndUnique();
    void defaultsAreValid();
    void runtimeKeysAreTheStarredOnes();
    void defaults_data();
    void defaults();
    void envNames_data();
    void envNames();
    void expectations_data();
    void expectations();
};

void TestSettingSpec::holdsEverySpecKey()
{
    // CFG-5, part 2 §5 and part 3 §8, in table order; a key added to SPEC is added here too.
    const QStringList expected{
        u"store.url"_s,
        u"store.busy_timeout_ms"_s,
        u"ingest.compensate_new_candles"_s,
        u"ingest.compensate_overlay_error"_s,
        u"ingest.reject_soft_anomalies"_s,
        u"ingest.batch_max"_s,
        u"ingest.max_live_series"_s,
        u"ingest.live_idle_ttl_s"_s,
        u"factor.enabled"_s,
        u"factor.fingerprint_rebuild"_s,
        u"factor.pivot_window_major"_s,
        u"factor.pivot_window_minor"_s,
        u"factor.logic_salt"_s,
        u"overlay.enabled"_s,
        u"server.listen"_s,
        u"server.access_token"_s,
        u"server.max_frame_bytes"_s,
        u"server.max_subscriptions"_s,
        u"server.catchup_limit"_s,
        u"server.forming_throttle_ms"_s,
        u"server.allowed_origins"_s,
        u"server.command_rate"_s,
        u"server.command_burst"_s,
        u"server.max_connections"_s,
        u"server.send_buffer_high_bytes"_s,
        u"server.gap_heal_wait_ms"_s,
        u"server.subscribe_tail_wait_ms"_s,
        u"client.reconnect_base_ms"_s,
        u"client.reconnect_cap_ms"_s,
        u"backfill.gap_enabled"_s,
        u"backfill.gap_read_limit"_s,
        u"backfill.tail_auto"_s,
        u"backfill.rest_on_read"_s,
        u"backfill.max_candles_per_request"_s,
        u"backfill.derived_timeframes"_s,
        u"backfill.gap_heal_max_bars"_s,
        u"backfill.source_missing_ttl_s"_s,
        u"sync.series"_s,
        u"sync.target_candles"_s,
        u"sync.parallel"_s,
        u"health.fresh_window_candles"_s,
        u"health.stale_window_candles"_s,
        u"health.backfill_recent_s"_s,
        u"health.close_grace_s"_s,
        u"health.source_down_after_s"_s,
        u"source.binance_spot_rest"_s,
        u"source.binance_futures_rest"_s,
        u"source.binance_spot_ws"_s,
        u"source.binance_futures_ws"_s,
        u"source.clock"_s,
        u"source.file_dirs"_s,
        u"source.binance_max_inflight"_s,
        u"source.binance_futures_page_limit"_s,
        u"source.binance_spot_weight_limit"_s,
        u"source.binance_futures_weight_limit"_s,
        u"source.binance_weight_budget_pct"_s,
        u"source.binance_rest_timeout_ms"_s,
        u"source.binance_rest_max_attempts"_s,
        u"debug.enable_failpoints"_s,
        u"debug.failpoints"_s,
        u"debug.seed"_s,
        u"repair.idempotency_ttl_s"_s,
        u"repair.conflict_policy"_s,
        u"repair.conflict_policy_overrides"_s,
        u"jobs.workers"_s,
        u"jobs.heartbeat_interval_s"_s,
        u"jobs.zombie_timeout_s"_s,
        u"jobs.retry_base_ms"_s,
        u"jobs.retry_cap_ms"_s,
        u"jobs.max_attempts"_s,
        u"runtime.node_id"_s,
        u"runtime.clock_backwards_tolerance_ms"_s,
        u"ui.axis_mode"_s,
        u"ui.time_zone"_s,
        u"ui.theme"_s,
        u"ui.max_loaded_candles"_s,
    };
    QStringList keys;
    for (const SettingSpec &spec : gapless::settingSpecs())
        keys << spec.key.toString();
    QCOMPARE(keys, expected);
}

void TestSettingSpec::keysAreWellFormedAndUnique()
{
    QSet<QString> keys;
    QSet<QString> envNames;
    for (const SettingSpec &spec : gapless::settingSpecs()) {
        const QString key = spec.key.toString();
        QVERIFY2(key.count(u'.') == 1, qPrintable(key));
        // Sections have no '_', so GAPLESS_<SECTION>_<KEY> maps back to exactly one key (CFG-2).
        QVERIFY2(!spec.section().contains(u'_'), qPrintable(key));
        for (const QChar c : key)
            QVERIFY2(c.isLower() || c.isDigit() || c == u'_' || c == u'.', qPrintable(key));
        QVERIFY2(!keys.contains(key), qPrintable(key));
        keys.insert(key);
        const QString env = gapless::settingEnvName(spec.key);
        QVERIFY2(!envNames.contains(env), qPrintable(env));
        envNames.insert(env);
        QVERIFY2(!spec.meaning.isEmpty(), qPrintable(key));
        QCOMPARE(gapless::findSettingSpec(key), &spec);
    }
    QCOMPARE(gapless::findSettingSpec(u"store.nope"), nullptr);
}

void TestSettingSpec::defaultsAreValid()
{
    for (const SettingSpec &spec : gapless::settingSpecs()) {
        QVERIFY2(gapless::isValidSettingValue(spec, spec.defaultValue), qPrintable(spec.key.toString()));
        if (!spec.serveDefault.isEmpty())
            QVERIFY2(gapless::isValidSettingValue(spec, spec.serveDefault), qPrintable(spec.key.toString()));
    }
}

void TestSettingSpec::runtimeKeysAreTheStarredOnes()
{
    // CFG-4: `*` in CFG-5, part 2 §5 and part 3 §8.
    const QSet<QString> starred{
        u"ingest.compensate_new_candles"_s,
        u"ingest.compensate_overlay_error"_s,
        u"ingest.reject_soft_anomalies"_s,
        u"ingest.batch_max"_s,
        u"ingest.max_live_series"_s,
        u"ingest.live_idle_ttl_s"_s,
        u"factor.enabled"_s,
        u"factor.fingerprint_rebuild"_s,
        u"overlay.enabled"_s,
        u"server.max_subscriptions"_s,
        u"server.catchup_limit"_s,
        u"server.forming_throttle_ms"_s,
        u"server.command_rate"_s,
        u"server.command_burst"_s,
        u"server.send_buffer_high_bytes"_s,
        u"server.gap_heal_wait_ms"_s,
        u"server.subscribe_tail_wait_ms"_s,
        u"backfill.gap_enabled"_s,
        u"backfill.gap_read_limit"_s,
        u"backfill.tail_auto"_s,
        u"backfill.rest_on_read"_s,
        u"backfill.max_candles_per_request"_s,
        u"backfill.gap_heal_max_bars"_s,
        u"backfill.source_missing_ttl_s"_s,
        u"health.fresh_window_candles"_s,
        u"health.stale_window_candles"_s,
        u"health.backfill_recent_s"_s,
        u"health.close_grace_s"_s,
        u"health.source_down_after_s"_s,
        u"source.file_dirs"_s,
        u"source.binance_futures_page_limit"_s,
        u"source.binance_weight_budget_pct"_s,
        u"source.binance_rest_timeout_ms"_s,
        u"source.binance_rest_max_attempts"_s,
        u"repair.conflict_policy"_s,
        u"repair.conflict_policy_overrides"_s,
        u"jobs.retry_base_ms"_s,
        u"jobs.retry_cap_ms"_s,
        u"jobs.max_attempts"_s,
    };
    QSet<QString> runtime;
    for (const SettingSpec &spec : gapless::settingSpecs()) {
        if (spec.isRuntime())
            runtime.insert(spec.key.toString());
    }
    QCOMPARE(runtime, starred);
}

void TestSettingSpec::defaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    // Exactly as SPEC gives them.
    QTest::addRow("store.url") << u"store.url"_s << u"<AppDataLocation>/gapless.db"_s;
    QTest::addRow("busy timeout") << u"store.busy_timeout_ms"_s << u"5000"_s;
    QTest::addRow("listen") << u"server.listen"_s << u"127.0.0.1:0"_s;
    QTest::addRow("token") << u"server.access_token"_s << QString();
    QTest::addRow("derived") << u"backfill.derived_timeframes"_s << u"5m,15m,1h,4h,1d"_s;
    QTest::addRow("spot ws") << u"source.binance_spot_ws"_s << u"wss://stream.binance.com:9443"_s;
    QTest::addRow("zombie") << u"jobs.zombie_timeout_s"_s << u"30"_s;
    QTest::addRow("seed") << u"debug.seed"_s << u"1"_s;
    QTest::addRow("policy") << u"repair.conflict_policy"_s << u"source_wins"_s;
    QTest::addRow("max loaded") << u"ui.max_loaded_candles"_s << u"2000000"_s;
}

void TestSettingSpec::defaults()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    const SettingSpec *spec = gapless::findSettingSpec(key);
    QVERIFY(spec);
    QCOMPARE(spec->defaultValue.toString(), value);
    QCOMPARE(spec->serveDefault.toString(), key == u"server.listen" ? u"127.0.0.1:8765"_s : QString());
}

void TestSettingSpec::envNames_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("env");
    // CFG-2
    QTest::addRow("busy") << u"store.busy_timeout_ms"_s << u"GAPLESS_STORE_BUSY_TIMEOUT_MS"_s;
    QTest::addRow("failpoints") << u"debug.failpoints"_s << u"GAPLESS_DEBUG_FAILPOINTS"_s;
    QTest::addRow("node id") << u"runtime.node_id"_s << u"GAPLESS_RUNTIME_NODE_ID"_s;
}

void TestSettingSpec::envNames()
{
    QFETCH(QString, key);
    QFETCH(QString, env);
    QCOMPARE(gapless::settingEnvName(key), env);
}

void TestSettingSpec::expectations_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    // CFG-3 `<type> in <range>` per type
    QTest::addRow("int") << u"store.busy_timeout_ms"_s << u"int in [0, 600000]"_s;
    QTest::addRow("bool") << u"factor.enabled"_s << u"bool in 1, true, yes, on, 0, false, no, off"_s;
    QTest::addRow("string") << u"factor.logic_salt"_s << u"string in [0, 64] characters"_s;
    QTest::addRow("token") << u"server.access_token"_s << u"string in \"\" or >= 16 visible ASCII characters"_s;
    QTest::addRow("store url") << u"store.url"_s
                               << u"url in PATH, sqlite:///ABS/PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"_s;
    QTest::addRow("rest url") << u"source.binance_spot_rest"_s << u"url in http(s)://HOST[:PORT][/PATH]"_s;
    QTest::addRow("ws url") << u"source.binance_futures_ws"_s << u"url in ws(s)://HOST[:PORT][/PATH]"_s;
    QTest::addRow("host:port") << u"server.listen"_s << u"host:port in HOST:PORT with PORT in [0, 65535]"_s;
    QTest::addRow("enum") << u"repair.conflict_policy"_s << u"enum in source_wins, local_wins, manual_review"_s;
    QTest::addRow("timeframes") << u"backfill.derived_timeframes"_s << u"list in timeframes above 1m (5m,15m,1h)"_s;
    QTest::addRow("series") << u"sync.series"_s << u"list in series ids EXCHANGE:MARKET:SYMBOL:TIMEFRAME"_s;
    QTest::addRow("origins") << u"server.allowed_origins"_s << u"list in origins SCHEME://HOST[:PORT]"_s;
    QTest::addRow("overrides") << u"repair.conflict_policy_overrides"_s
                               << u"list in SERIES=POLICY with POLICY in source_wins, local_wins, manual_review"_s;
    QTest::addRow("failpoints") << u"debug.failpoints"_s
                                << u"failpoints in NAME[=COUNT|=PROB%] with NAME in ingest.store, ingest.factor, "
                                   u"ingest.overlay, ingest.commit, ingest.publish, journal.write, source.rest, "
                                   u"source.stream, job.heartbeat"_s;
    QTest::addRow("seed") << u"debug.seed"_s << u"int in [0, 9223372036854775807]"_s;
}

void TestSettingSpec::expectations()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);
    const SettingSpec *spec = gapless::findSettingSpec(key);
    QVERIFY(spec);
    QCOMPARE(gapless::settingExpectation(*spec), expected);
}

QTEST_GUILESS_MAIN(TestSettingSpec)
#include "tst_settingspec.moc"
