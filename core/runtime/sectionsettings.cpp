#include "core/runtime/sectionsettings.h"

#include "core/runtime/settings.h"

#include <QHostAddress>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

// Values were validated when loaded, so a narrowing or a failed parse here is a table bug.
int intOf(const Settings &settings, QStringView key)
{
    return static_cast<int>(settings.intValue(key));
}

// A list setting's items parsed by `parse` (already validated on load), de-duplicated and sorted.
template<typename T, typename Parse>
QList<T> uniqueSorted(const QStringList &items, Parse parse)
{
    QList<T> out;
    for (const QString &item : items) {
        const auto value = parse(item);
        if (value && !out.contains(*value))
            out << *value;
    }
    std::sort(out.begin(), out.end());
    return out;
}

ConflictPolicy policyOf(QStringView text)
{
    if (text == u"local_wins")
        return ConflictPolicy::LocalWins;
    if (text == u"manual_review")
        return ConflictPolicy::ManualReview;
    return ConflictPolicy::SourceWins;
}

bool isLoopback(const QString &host)
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

StoreSettings StoreSettings::from(const Settings &settings)
{
    return {settings.stringValue(u"store.url"), intOf(settings, u"store.busy_timeout_ms")};
}

IngestSettings IngestSettings::from(const Settings &s)
{
    IngestSettings ingest;
    ingest.compensateNewCandles = s.boolValue(u"ingest.compensate_new_candles");
    ingest.compensateOverlayError = s.boolValue(u"ingest.compensate_overlay_error");
    ingest.rejectSoftAnomalies = s.boolValue(u"ingest.reject_soft_anomalies");
    ingest.batchMax = intOf(s, u"ingest.batch_max");
    ingest.maxLiveSeries = intOf(s, u"ingest.max_live_series");
    ingest.liveIdleTtlS = intOf(s, u"ingest.live_idle_ttl_s");
    return ingest;
}

FactorSettings FactorSettings::from(const Settings &s)
{
    FactorSettings factor;
    factor.enabled = s.boolValue(u"factor.enabled");
    factor.fingerprintRebuild = s.boolValue(u"factor.fingerprint_rebuild");
    factor.pivotWindowMajor = intOf(s, u"factor.pivot_window_major");
    factor.pivotWindowMinor = intOf(s, u"factor.pivot_window_minor");
    factor.logicSalt = s.stringValue(u"factor.logic_salt");
    factor.overlayEnabled = s.boolValue(u"overlay.enabled");
    return factor;
}

ServerSettings ServerSettings::from(const Settings &s)
{
    ServerSettings server;
    server.listen = parseHostPort(s.stringValue(u"server.listen")).value_or(HostPort{});
    server.accessToken = s.stringValue(u"server.access_token");
    server.maxFrameBytes = intOf(s, u"server.max_frame_bytes");
    server.maxSubscriptions = intOf(s, u"server.max_subscriptions");
    server.catchupLimit = intOf(s, u"server.catchup_limit");
    server.formingThrottleMs = intOf(s, u"server.forming_throttle_ms");
    server.allowedOrigins = s.listValue(u"server.allowed_origins");
    server.commandRate = intOf(s, u"server.command_rate");
    server.commandBurst = intOf(s, u"server.command_burst");
    server.maxConnections = intOf(s, u"server.max_connections");
    server.sendBufferHighBytes = intOf(s, u"server.send_buffer_high_bytes");
    server.gapHealWaitMs = intOf(s, u"server.gap_heal_wait_ms");
    server.subscribeTailWaitMs = intOf(s, u"server.subscribe_tail_wait_ms");
    return server;
}

Result<void> ServerSettings::checkAccess() const
{
    if (!accessToken.isEmpty() || isLoopback(listen.host))
        return {};
    const QString host = listen.host.contains(u':') ? u'[' + listen.host + u']' : listen.host;
    return Error::badRequest(
        u"--listen %1:%2: non-loopback address; expected server.access_token"_s.arg(host).arg(listen.port));
}

ClientSettings ClientSettings::from(const Settings &s)
{
    return {intOf(s, u"client.reconnect_base_ms"), intOf(s, u"client.reconnect_cap_ms")};
}

QList<Timeframe> BackfillSettings::defaultDerivedTimeframes()
{
    QList<Timeframe> timeframes;
    for (const qint64 seconds : {300, 900, 3600, 14400, 86400})
        timeframes << Timeframe::fromSeconds(seconds).value();
    return timeframes;
}

BackfillSettings BackfillSettings::from(const Settings &s)
{
    BackfillSettings backfill;
    backfill.gapEnabled = s.boolValue(u"backfill.gap_enabled");
    backfill.gapReadLimit = intOf(s, u"backfill.gap_read_limit");
    backfill.tailAuto = s.boolValue(u"backfill.tail_auto");
    backfill.restOnRead = s.boolValue(u"backfill.rest_on_read");
    backfill.maxCandlesPerRequest = intOf(s, u"backfill.max_candles_per_request");
    backfill.derivedTimeframes = uniqueSorted<Timeframe>(s.listValue(u"backfill.derived_timeframes"),
                                                         [](const QString &t) { return Timeframe::parse(t); });
    backfill.gapHealMaxBars = intOf(s, u"backfill.gap_heal_max_bars");
    backfill.sourceMissingTtlS = intOf(s, u"backfill.source_missing_ttl_s");
    return backfill;
}

SyncSettings SyncSettings::from(const Settings &s)
{
    SyncSettings sync;
    sync.series = uniqueSorted<SeriesId>(s.listValue(u"sync.series"), [](const QString &t) { return SeriesId::parse(t); });
    sync.targetCandles = intOf(s, u"sync.target_candles");
    sync.parallel = intOf(s, u"sync.parallel");
    return sync;
}

HealthSettings HealthSettings::from(const Settings &s)
{
    return {intOf(s, u"health.fresh_window_candles"), intOf(s, u"health.stale_window_candles"),
            intOf(s, u"health.backfill_recent_s"), intOf(s, u"health.close_grace_s"),
            intOf(s, u"health.source_down_after_s")};
}

SourceSettings SourceSettings::from(const Settings &s)
{
    SourceSettings source;
    source.binanceSpotRest = s.stringValue(u"source.binance_spot_rest");
    source.binanceFuturesRest = s.stringValue(u"source.binance_futures_rest");
    source.binanceSpotWs = s.stringValue(u"source.binance_spot_ws");
    source.binanceFuturesWs = s.stringValue(u"source.binance_futures_ws");
    source.clock = s.stringValue(u"source.clock") == u"exchange" ? Clock::Exchange : Clock::System;
    source.fileDirs = s.listValue(u"source.file_dirs");
    source.binanceMaxInflight = intOf(s, u"source.binance_max_inflight");
    source.binanceFuturesPageLimit = intOf(s, u"source.binance_futures_page_limit");
    source.binanceSpotWeightLimit = intOf(s, u"source.binance_spot_weight_limit");
    source.binanceFuturesWeightLimit = intOf(s, u"source.binance_futures_weight_limit");
    source.binanceWeightBudgetPct = intOf(s, u"source.binance_weight_budget_pct");
    source.binanceRestTimeoutMs = intOf(s, u"source.binance_rest_timeout_ms");
    source.binanceRestMaxAttempts = intOf(s, u"source.binance_rest_max_attempts");
    return source;
}

DebugSettings DebugSettings::from(const Settings &s)
{
    DebugSettings debug;
    debug.enableFailpoints = s.boolValue(u"debug.enable_failpoints");
    if (auto points = parseFailpoints(s.stringValue(u"debug.failpoints")))
        debug.failpoints = std::move(points).value();
    debug.seed = s.intValue(u"debug.seed");
    return debug;
}

ConflictPolicy RepairSettings::policyFor(const SeriesId &series) const
{
    for (const Override &item : conflictPolicyOverrides) {
        if (item.series == series)
            return item.policy;
    }
    return conflictPolicy;
}

RepairSettings RepairSettings::from(const Settings &s)
{
    RepairSettings repair;
    repair.idempotencyTtlS = intOf(s, u"repair.idempotency_ttl_s");
    repair.conflictPolicy = policyOf(s.stringValue(u"repair.conflict_policy"));
    for (const QString &item : s.listValue(u"repair.conflict_policy_overrides")) {
        const qsizetype eq = item.lastIndexOf(u'=');
        if (const auto id = SeriesId::parse(QStringView(item).first(eq)))
            repair.conflictPolicyOverrides.append({*id, policyOf(QStringView(item).sliced(eq + 1).trimmed())});
    }
    return repair;
}

JobsSettings JobsSettings::from(const Settings &s)
{
    return {intOf(s, u"jobs.workers"),       intOf(s, u"jobs.heartbeat_interval_s"), intOf(s, u"jobs.zombie_timeout_s"),
            intOf(s, u"jobs.retry_base_ms"), intOf(s, u"jobs.retry_cap_ms"),         intOf(s, u"jobs.max_attempts")};
}

RuntimeSettings RuntimeSettings::from(const Settings &s)
{
    return {intOf(s, u"runtime.node_id"), intOf(s, u"runtime.clock_backwards_tolerance_ms")};
}

UiSettings UiSettings::from(const Settings &s)
{
    UiSettings ui;
    ui.axisMode = s.stringValue(u"ui.axis_mode") == u"time" ? AxisMode::Time : AxisMode::Index;
    ui.timeZone = s.stringValue(u"ui.time_zone") == u"local" ? TimeZone::Local : TimeZone::Utc;
    const QString theme = s.stringValue(u"ui.theme");
    ui.theme = theme == u"light" ? Theme::Light : theme == u"dark" ? Theme::Dark : Theme::System;
    ui.maxLoadedCandles = intOf(s, u"ui.max_loaded_candles");
    return ui;
}

} // namespace gapless
