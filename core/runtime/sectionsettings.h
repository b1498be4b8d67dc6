#pragma once

#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/domain/timeframe.h"
#include "core/runtime/failpoint.h"
#include "core/runtime/settingvalue.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace gapless {

class Settings;

// Plain per-section settings, extracted once by the runtime Core and passed down through
// constructors (STYLE §3). Member initialisers are the SPEC defaults, so a test can build one
// and change a field; tst_sectionsettings checks them against the settings table.
// They share this header because each is only a few fields read by one `from()`.

struct StoreSettings
{
    QString url; ///< raw, with any password: redact with redactUrl() before printing
    int busyTimeoutMs = 5000;

    [[nodiscard]] static StoreSettings from(const Settings &settings);
    friend bool operator==(const StoreSettings &, const StoreSettings &) = default;
};

struct IngestSettings
{
    bool compensateNewCandles = true;   ///< ING-8 kill-switch
    bool compensateOverlayError = true; ///< ING-8 kill-switch
    bool rejectSoftAnomalies = false;   ///< DOM-8
    int batchMax = 50000;               ///< ING-14
    int maxLiveSeries = 64;             ///< PROTO-25
    int liveIdleTtlS = 60;              ///< PROTO-25

    [[nodiscard]] static IngestSettings from(const Settings &settings);
    friend bool operator==(const IngestSettings &, const IngestSettings &) = default;
};

struct FactorSettings
{
    bool enabled = true;
    bool fingerprintRebuild = true; ///< FAC-5
    int pivotWindowMajor = 50;      ///< W, FAC-7
    int pivotWindowMinor = 5;       ///< w < W, FAC-8
    QString logicSalt;              ///< FAC-5
    bool overlayEnabled = true;     ///< overlay.enabled; ING-6 skips overlay when factor is off too

    [[nodiscard]] static FactorSettings from(const Settings &settings);
    friend bool operator==(const FactorSettings &, const FactorSettings &) = default;
};

struct ServerSettings
{
    HostPort listen{QStringLiteral("127.0.0.1"), 0}; ///< `serve`: 127.0.0.1:8765 (SettingsProfile::Serve)
    QString accessToken;                             ///< secret: never print (SEC-4)
    int maxFrameBytes = 1048576;
    int maxSubscriptions = 256;
    int catchupLimit = 5000;
    int formingThrottleMs = 250;
    QStringList allowedOrigins;
    int commandRate = 50;
    int commandBurst = 100;
    int maxConnections = 256;
    int sendBufferHighBytes = 8388608;
    int gapHealWaitMs = 3000;
    int subscribeTailWaitMs = 5000;

    [[nodiscard]] static ServerSettings from(const Settings &settings);
    /// SEC-1, PROTO-27: a non-loopback listen address needs an access token; the caller exits 2.
    [[nodiscard]] Result<void> checkAccess() const;
    friend bool operator==(const ServerSettings &, const ServerSettings &) = default;
};

struct ClientSettings
{
    int reconnectBaseMs = 500;
    int reconnectCapMs = 30000;

    [[nodiscard]] static ClientSettings from(const Settings &settings);
    friend bool operator==(const ClientSettings &, const ClientSettings &) = default;
};

struct BackfillSettings
{
    bool gapEnabled = true;
    int gapReadLimit = 5000;
    bool tailAuto = true;
    bool restOnRead = true;
    int maxCandlesPerRequest = 5000;
    QList<Timeframe> derivedTimeframes = defaultDerivedTimeframes(); ///< ascending, no repeats
    int gapHealMaxBars = 10000;
    int sourceMissingTtlS = 86400;

    [[nodiscard]] static QList<Timeframe> defaultDerivedTimeframes();
    [[nodiscard]] static BackfillSettings from(const Settings &settings);
    friend bool operator==(const BackfillSettings &, const BackfillSettings &) = default;
};

struct SyncSettings
{
    QList<SeriesId> series; ///< canonical, de-duplicated, sorted (BF-19)
    int targetCandles = 2000;
    int parallel = 4;

    [[nodiscard]] static SyncSettings from(const Settings &settings);
    friend bool operator==(const SyncSettings &, const SyncSettings &) = default;
};

struct HealthSettings
{
    int freshWindowCandles = 2;
    int staleWindowCandles = 5;
    int backfillRecentS = 120;
    int closeGraceS = 10;
    int sourceDownAfterS = 30;

    [[nodiscard]] static HealthSettings from(const Settings &settings);
    friend bool operator==(const HealthSettings &, const HealthSettings &) = default;
};

struct SourceSettings
{
    enum class Clock { System, Exchange };

    QString binanceSpotRest = QStringLiteral("https://api.binance.com");
    QString binanceFuturesRest = QStringLiteral("https://fapi.binance.com");
    QString binanceSpotWs = QStringLiteral("wss://stream.binance.com:9443");
    QString binanceFuturesWs = QStringLiteral("wss://fstream.binance.com");
    Clock clock = Clock::System;
    QStringList fileDirs;
    int binanceMaxInflight = 4;
    int binanceFuturesPageLimit = 1000;
    int binanceSpotWeightLimit = 6000;
    int binanceFuturesWeightLimit = 2400;
    int binanceWeightBudgetPct = 80;
    int binanceRestTimeoutMs = 10000;
    int binanceRestMaxAttempts = 5;

    [[nodiscard]] static SourceSettings from(const Settings &settings);
    friend bool operator==(const SourceSettings &, const SourceSettings &) = default;
};

struct DebugSettings
{
    bool enableFailpoints = false;
    QList<Failpoint> failpoints; ///< as configured; see activeFailpoints()
    qint64 seed = 1;

    /// The failpoints to honour: none unless enableFailpoints (OBS-6).
    [[nodiscard]] QList<Failpoint> activeFailpoints() const
    {
        return enableFailpoints ? failpoints : QList<Failpoint>();
    }
    [[nodiscard]] static DebugSettings from(const Settings &settings);
    friend bool operator==(const DebugSettings &, const DebugSettings &) = default;
};

enum class ConflictPolicy { SourceWins, LocalWins, ManualReview };

struct RepairSettings
{
    struct Override
    {
        SeriesId series;
        ConflictPolicy policy = ConflictPolicy::SourceWins;
        friend bool operator==(const Override &, const Override &) = default;
    };

    int idempotencyTtlS = 86400;
    ConflictPolicy conflictPolicy = ConflictPolicy::SourceWins;
    QList<Override> conflictPolicyOverrides;

    /// REP-8 without a command policy: the series' override, else conflictPolicy.
    [[nodiscard]] ConflictPolicy policyFor(const SeriesId &series) const;
    [[nodiscard]] static RepairSettings from(const Settings &settings);
    friend bool operator==(const RepairSettings &, const RepairSettings &) = default;
};

struct JobsSettings
{
    int workers = 2;
    int heartbeatIntervalS = 5;
    int zombieTimeoutS = 30;
    int retryBaseMs = 2000;
    int retryCapMs = 300000;
    int maxAttempts = 6;

    [[nodiscard]] static JobsSettings from(const Settings &settings);
    friend bool operator==(const JobsSettings &, const JobsSettings &) = default;
};

struct RuntimeSettings
{
    int nodeId = 0;
    int clockBackwardsToleranceMs = 5;

    [[nodiscard]] static RuntimeSettings from(const Settings &settings);
    friend bool operator==(const RuntimeSettings &, const RuntimeSettings &) = default;
};

struct UiSettings
{
    enum class AxisMode { Index, Time };
    enum class TimeZone { Utc, Local };
    enum class Theme { System, Light, Dark };

    AxisMode axisMode = AxisMode::Index;
    TimeZone timeZone = TimeZone::Utc;
    Theme theme = Theme::System;
    int maxLoadedCandles = 2000000;

    [[nodiscard]] static UiSettings from(const Settings &settings);
    friend bool operator==(const UiSettings &, const UiSettings &) = default;
};

} // namespace gapless
