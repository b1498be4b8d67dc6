#include "core/runtime/settingspec.h"

#include "core/runtime/failpoint.h"

#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

using T = SettingType;

// SPEC part 2 §5: ints in [1, 2³¹) unless shown, `*_ms`/`*_s` from 0.
constexpr qint64 kInt32Max = std::numeric_limits<qint32>::max();

constexpr SettingSpec boolKey(QStringView key, QStringView def, unsigned flags, QStringView meaning)
{
    return {key, T::Bool, def, 0, 0, {}, flags, meaning, {}, {}};
}

constexpr SettingSpec intKey(QStringView key, QStringView def, qint64 min, qint64 max, unsigned flags,
                             QStringView meaning)
{
    return {key, T::Int, def, min, max, {}, flags, meaning, {}, {}};
}

// An int with a bound relative to another key, checked after all sources merge (settingrules.h).
constexpr SettingSpec relativeIntKey(QStringView key, QStringView def, qint64 min, qint64 max, QStringView range,
                                     unsigned flags, QStringView meaning)
{
    return {key, T::Int, def, min, max, {}, flags, meaning, {}, range};
}

// Free text of at most `maxLength` characters, empty by default.
constexpr SettingSpec stringKey(QStringView key, qint64 maxLength, QStringView meaning)
{
    return {key, T::String, u"", 0, maxLength, {}, NoFlags, meaning, {}, {}};
}

// A secret: "" (none) or at least `minLength` characters.
constexpr SettingSpec tokenKey(QStringView key, qint64 minLength, QStringView meaning)
{
    return {key, T::Token, u"", minLength, 0, {}, Secret, meaning, {}, {}};
}

// A restart-only key whose default differs under `gapless serve`.
constexpr SettingSpec serveKey(QStringView key, SettingType type, QStringView def, QStringView serveDef,
                               QStringView meaning)
{
    return {key, type, def, 0, 0, {}, NoFlags, meaning, serveDef, {}};
}

constexpr SettingSpec enumKey(QStringView key, QStringView def, QStringView choices, unsigned flags,
                              QStringView meaning)
{
    return {key, T::Enum, def, 0, 0, choices, flags, meaning, {}, {}};
}

constexpr SettingSpec typedKey(QStringView key, SettingType type, QStringView def, unsigned flags, QStringView meaning)
{
    return {key, type, def, 0, 0, {}, flags, meaning, {}, {}};
}

constexpr auto kSpecs = std::to_array<SettingSpec>({
    // store
    typedKey(u"store.url", T::StoreUrl, u"<AppDataLocation>/gapless.db", Secret | AppDataDefault,
             u"database: a SQLite path or URL, or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB (STORE-2)"),
    intKey(u"store.busy_timeout_ms", u"5000", 0, 600000, NoFlags, u"SQLite busy_timeout (STORE-4)"),
    // ingest
    boolKey(u"ingest.compensate_new_candles", u"true", Runtime,
            u"undo a run's candles when a later step fails (ING-8)"),
    boolKey(u"ingest.compensate_overlay_error", u"true", Runtime, u"undo factor writes when overlay fails (ING-8)"),
    boolKey(u"ingest.reject_soft_anomalies", u"false", Runtime, u"reject keep-kind anomalies too (DOM-8)"),
    intKey(u"ingest.batch_max", u"50000", 1, 1000000, Runtime, u"rows per ingest run (ING-14)"),
    intKey(u"ingest.max_live_series", u"64", 1, kInt32Max, Runtime, u"live jobs before eviction (PROTO-25)"),
    intKey(u"ingest.live_idle_ttl_s", u"60", 0, kInt32Max, Runtime, u"unreferenced live job lifetime (PROTO-25)"),
    // factor
    boolKey(u"factor.enabled", u"true", Runtime, u"run the factor step (ING-6)"),
    boolKey(u"factor.fingerprint_rebuild", u"true", Runtime, u"rebuild on a fingerprint mismatch (FAC-5)"),
    intKey(u"factor.pivot_window_major", u"50", 2, 500, NoFlags, u"major pivot window W (FAC-7)"),
    relativeIntKey(u"factor.pivot_window_minor", u"5", 1, 499, u"[1, factor.pivot_window_major - 1]", NoFlags,
                   u"minor pivot window w < W (FAC-8)"),
    stringKey(u"factor.logic_salt", 64, u"salt in the factor fingerprint (FAC-5)"),
    // overlay
    boolKey(u"overlay.enabled", u"true", Runtime, u"run the overlay step (ING-6)"),
    // server
    serveKey(u"server.listen", T::HostPort, u"127.0.0.1:0", u"127.0.0.1:8765",
             u"WebSocket listen address (SEC-1); `serve` defaults to 127.0.0.1:8765 (CLI-14)"),
    tokenKey(u"server.access_token", 16, u"bearer token, required off loopback (SEC-1)"),
    intKey(u"server.max_frame_bytes", u"1048576", 1024, 67108864, NoFlags, u"largest client frame (SEC-2)"),
    intKey(u"server.max_subscriptions", u"256", 1, 100000, Runtime, u"subscriptions per connection (SEC-2)"),
    intKey(u"server.catchup_limit", u"5000", 100, 100000, Runtime, u"candles per catch-up page (PROTO-14)"),
    intKey(u"server.forming_throttle_ms", u"250", 0, 60000, Runtime, u"forming frames interval (PROTO-23)"),
    typedKey(u"server.allowed_origins", T::OriginList, u"", NoFlags,
             u"allowed Origin headers; empty = none (PROTO-27)"),
    intKey(u"server.command_rate", u"50", 1, kInt32Max, Runtime, u"commands per second per connection (SEC-2)"),
    intKey(u"server.command_burst", u"100", 1, kInt32Max, Runtime, u"command token bucket size (SEC-2)"),
    intKey(u"server.max_connections", u"256", 1, kInt32Max, NoFlags, u"connections before HTTP 503 (SEC-2)"),
    intKey(u"server.send_buffer_high_bytes", u"8388608", 1, kInt32Max, Runtime,
           u"unsent bytes before a slow consumer pauses (PROTO-14, PROTO-22)"),
    intKey(u"server.gap_heal_wait_ms", u"3000", 0, kInt32Max, Runtime, u"inline gap heal budget (PROTO-16)"),
    intKey(u"server.subscribe_tail_wait_ms", u"5000", 0, kInt32Max, Runtime, u"tail coverage budget (PROTO-13)"),
    // client
    intKey(u"client.reconnect_base_ms", u"500", 0, kInt32Max, NoFlags, u"first reconnect delay (PROTO-29)"),
    intKey(u"client.reconnect_cap_ms", u"30000", 0, kInt32Max, NoFlags, u"longest reconnect delay (PROTO-29)"),
    // backfill
    boolKey(u"backfill.gap_enabled", u"true", Runtime, u"heal gaps inline (BF-4)"),
    intKey(u"backfill.gap_read_limit", u"5000", 100, 100000, Runtime, u"rows per gap read"),
    boolKey(u"backfill.tail_auto", u"true", Runtime, u"tail coverage on read (PROTO-13)"),
    boolKey(u"backfill.rest_on_read", u"true", Runtime, u"REST on read (BF-8)"),
    intKey(u"backfill.max_candles_per_request", u"5000", 1, 100000, Runtime, u"candles per backfill request (SRC-10)"),
    typedKey(u"backfill.derived_timeframes", T::TimeframeList, u"5m,15m,1h,4h,1d", NoFlags,
             u"timeframes rolled up from 1m (BF-11)"),
    intKey(u"backfill.gap_heal_max_bars", u"10000", 1, kInt32Max, Runtime, u"largest inline gap heal (BF-4)"),
    intKey(u"backfill.source_missing_ttl_s", u"86400", 0, kInt32Max, Runtime, u"memory of source_missing (BF-5)"),
    // sync
    typedKey(u"sync.series", T::SeriesList, u"", NoFlags, u"series synced at startup (BF-19)"),
    intKey(u"sync.target_candles", u"2000", 100, 100000, NoFlags, u"candles per startup sync (BF-20)"),
    intKey(u"sync.parallel", u"4", 1, kInt32Max, NoFlags, u"series synced at once (BF-19)"),
    // health
    intKey(u"health.fresh_window_candles", u"2", 1, 1000, Runtime, u"lag below F is yellow (HLT-3)"),
    relativeIntKey(u"health.stale_window_candles", u"5", 2, 10000, u"[health.fresh_window_candles + 1, 10000]", Runtime,
                   u"lag below S after a recent backfill is yellow (HLT-3)"),
    intKey(u"health.backfill_recent_s", u"120", 5, 86400, Runtime, u"recent backfill window R (HLT-3)"),
    intKey(u"health.close_grace_s", u"10", 0, kInt32Max, Runtime, u"grace before a bar counts as lag (HLT-1)"),
    intKey(u"health.source_down_after_s", u"30", 0, kInt32Max, Runtime, u"not live this long is source_down (HLT-2)"),
    // source
    typedKey(u"source.binance_spot_rest", T::HttpUrl, u"https://api.binance.com", NoFlags, u"spot REST base (SRC-1)"),
    typedKey(u"source.binance_futures_rest", T::HttpUrl, u"https://fapi.binance.com", NoFlags,
             u"futures REST base (SRC-1)"),
    typedKey(u"source.binance_spot_ws", T::WsUrl, u"wss://stream.binance.com:9443", NoFlags,
             u"spot kline stream base (SRC-8)"),
    typedKey(u"source.binance_futures_ws", T::WsUrl, u"wss://fstream.binance.com", NoFlags,
             u"futures kline stream base (SRC-8)"),
    enumKey(u"source.clock", u"system", u"system,exchange", NoFlags, u"`exchange`: Clock = xnow (SRC-3)"),
    typedKey(u"source.file_dirs", T::PathList, u"", Runtime, u"directories searched for files (SRC-13)"),
    intKey(u"source.binance_max_inflight", u"4", 1, kInt32Max, NoFlags, u"REST requests in flight per host (SRC-4)"),
    intKey(u"source.binance_futures_page_limit", u"1000", 1, 1500, Runtime, u"futures klines per request (SRC-4)"),
    intKey(u"source.binance_spot_weight_limit", u"6000", 1, kInt32Max, NoFlags, u"spot weight per minute (SRC-5)"),
    intKey(u"source.binance_futures_weight_limit", u"2400", 1, kInt32Max, NoFlags,
           u"futures weight per minute (SRC-5)"),
    intKey(u"source.binance_weight_budget_pct", u"80", 1, 100, Runtime, u"share of the weight limit used (SRC-5)"),
    intKey(u"source.binance_rest_timeout_ms", u"10000", 0, kInt32Max, Runtime, u"REST request timeout (SRC-7)"),
    intKey(u"source.binance_rest_max_attempts", u"5", 1, kInt32Max, Runtime, u"REST attempts per window (SRC-7)"),
    // debug
    boolKey(u"debug.enable_failpoints", u"false", NoFlags, u"honour debug.failpoints (OBS-6)"),
    typedKey(u"debug.failpoints", T::Failpoints, u"", NoFlags, u"NAME[=COUNT|=PROB%] list (OBS-6)"),
    intKey(u"debug.seed", u"1", 0, std::numeric_limits<qint64>::max(), NoFlags, u"seed of failpoint draws (OBS-6)"),
    // repair
    intKey(u"repair.idempotency_ttl_s", u"86400", 60, 2592000, NoFlags, u"idempotency key lifetime (IDEM-11)"),
    enumKey(u"repair.conflict_policy", u"source_wins", u"source_wins,local_wins,manual_review", Runtime,
            u"policy for differing rows (REP-8)"),
    typedKey(u"repair.conflict_policy_overrides", T::PolicyList, u"", Runtime, u"SERIES=POLICY overrides (REP-8)"),
    // jobs
    intKey(u"jobs.workers", u"2", 1, 16, NoFlags, u"jobs running at once (JOB-9)"),
    intKey(u"jobs.heartbeat_interval_s", u"5", 1, 300, NoFlags, u"job heartbeat period (JOB-7)"),
    relativeIntKey(u"jobs.zombie_timeout_s", u"30", 3, kInt32Max, u"[3 x jobs.heartbeat_interval_s, 2147483647]",
                   NoFlags, u"a running job this long without heartbeat fails (JOB-8)"),
    relativeIntKey(u"jobs.retry_base_ms", u"2000", 0, kInt32Max, u"[0, jobs.retry_cap_ms]", Runtime,
                   u"first delayed retry (IDEM-13)"),
    intKey(u"jobs.retry_cap_ms", u"300000", 0, kInt32Max, Runtime, u"longest delayed retry (IDEM-13)"),
    intKey(u"jobs.max_attempts", u"6", 1, 20, Runtime, u"attempts before a job fails (IDEM-13)"),
    // runtime
    intKey(u"runtime.node_id", u"0", 0, 1023, NoFlags, u"node id in job ids and locks (JOB-1, JOB-2)"),
    intKey(u"runtime.clock_backwards_tolerance_ms", u"5", 0, 1000, NoFlags, u"clock step back waited out (JOB-4)"),
    // ui
    enumKey(u"ui.axis_mode", u"index", u"index,time", NoFlags, u"chart time axis (UI-10)"),
    enumKey(u"ui.time_zone", u"utc", u"utc,local", NoFlags, u"chart time zone (UI-9)"),
    enumKey(u"ui.theme", u"system", u"system,light,dark", NoFlags, u"colour theme (UI-17)"),
    intKey(u"ui.max_loaded_candles", u"2000000", 5000, 100000000, NoFlags, u"candles held by the chart (UI-13)"),
});

QString listOfChoices(QStringView choices)
{
    return choices.toString().replace(u","_s, u", "_s);
}

} // namespace

std::span<const SettingSpec> settingSpecs()
{
    return kSpecs;
}

const SettingSpec *findSettingSpec(QStringView key)
{
    for (const SettingSpec &spec : kSpecs) {
        if (spec.key == key)
            return &spec;
    }
    return nullptr;
}

QString settingEnvName(QStringView key)
{
    return u"GAPLESS_"_s + key.toString().replace(u'.', u'_').toUpper();
}

QStringList settingSections()
{
    QStringList sections;
    for (const SettingSpec &spec : kSpecs) {
        const QString section = spec.section().toString();
        if (!sections.contains(section))
            sections << section;
    }
    return sections;
}

QStringList settingKeysInSection(QStringView section)
{
    QStringList keys;
    for (const SettingSpec &spec : kSpecs) {
        if (spec.section() == section)
            keys << spec.key.toString();
    }
    return keys;
}

QString settingTypeName(SettingType type)
{
    switch (type) {
    case T::Bool:
        return u"bool"_s;
    case T::Int:
        return u"int"_s;
    case T::String:
    case T::Token:
        return u"string"_s;
    case T::StoreUrl:
    case T::HttpUrl:
    case T::WsUrl:
        return u"url"_s;
    case T::HostPort:
        return u"host:port"_s;
    case T::Enum:
        return u"enum"_s;
    case T::TimeframeList:
    case T::SeriesList:
    case T::PathList:
    case T::OriginList:
    case T::PolicyList:
        return u"list"_s;
    case T::Failpoints:
        return u"failpoints"_s;
    }
    return u"string"_s;
}

QString settingExpectation(const SettingSpec &spec)
{
    QString range;
    switch (spec.type) {
    case T::Bool:
        range = u"1, true, yes, on, 0, false, no, off"_s;
        break;
    case T::Int:
        range =
            spec.relativeRange.isEmpty() ? u"[%1, %2]"_s.arg(spec.min).arg(spec.max) : spec.relativeRange.toString();
        break;
    case T::String:
        range = u"[%1, %2] characters"_s.arg(spec.min).arg(spec.max);
        break;
    case T::Token:
        range = u"\"\" or >= %1 visible ASCII characters"_s.arg(spec.min);
        break;
    case T::StoreUrl:
        range = u"PATH, sqlite:///ABS/PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"_s;
        break;
    case T::HttpUrl:
        range = u"http(s)://HOST[:PORT][/PATH]"_s;
        break;
    case T::WsUrl:
        range = u"ws(s)://HOST[:PORT][/PATH]"_s;
        break;
    case T::HostPort:
        range = u"HOST:PORT with PORT in [0, 65535]"_s;
        break;
    case T::Enum:
        range = listOfChoices(spec.choices);
        break;
    case T::TimeframeList:
        range = u"timeframes above 1m (5m,15m,1h)"_s;
        break;
    case T::SeriesList:
        range = u"series ids EXCHANGE:MARKET:SYMBOL:TIMEFRAME"_s;
        break;
    case T::PathList:
        range = u"directory paths"_s;
        break;
    case T::OriginList:
        range = u"origins SCHEME://HOST[:PORT]"_s;
        break;
    case T::PolicyList:
        range = u"SERIES=POLICY with POLICY in source_wins, local_wins, manual_review"_s;
        break;
    case T::Failpoints:
        range = u"NAME[=COUNT|=PROB%] with NAME in "_s + failpointNames().join(u", "_s);
        break;
    }
    return settingTypeName(spec.type) + u" in "_s + range;
}

} // namespace gapless
