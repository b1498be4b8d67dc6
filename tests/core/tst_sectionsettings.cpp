#include "core/runtime/sectionsettings.h"
#include "core/runtime/settings.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestSectionSettings final : public QObject
{
    Q_OBJECT

private slots:
    void initialisersAreTheSpecDefaults();
    void extractsConfiguredValues();
    void listsAreCanonical();
    void resolvesConflictPolicies();
    void keepsFailpointsUntilEnabled();
    void checkAccess_data();
    void checkAccess();

private:
    static Settings loadWith(const QList<CliSetting> &cli);
};

Settings TestSectionSettings::loadWith(const QList<CliSetting> &cli)
{
    SettingsSources sources;
    sources.configDir = u"/nonexistent/gapless-test"_s;
    sources.dataDir = u"/data"_s;
    sources.cli = cli;
    auto settings = Settings::load(sources);
    if (!settings)
        qFatal("load failed: %s", qPrintable(settings.error().message));
    return std::move(settings).value();
}

void TestSectionSettings::initialisersAreTheSpecDefaults()
{
    // A struct built by hand and one extracted from the table's defaults agree, so tests of
    // consumers can start from `IngestSettings{}`.
    const Settings defaults = Settings::defaults(SettingsProfile::Embedded, u"/data"_s);
    QVERIFY(StoreSettings::from(defaults) == (StoreSettings{u"/data/gapless.db"_s, 5000}));
    QVERIFY(IngestSettings::from(defaults) == IngestSettings{});
    QVERIFY(FactorSettings::from(defaults) == FactorSettings{});
    QVERIFY(ServerSettings::from(defaults) == ServerSettings{});
    QVERIFY(ClientSettings::from(defaults) == ClientSettings{});
    QVERIFY(BackfillSettings::from(defaults) == BackfillSettings{});
    QVERIFY(SyncSettings::from(defaults) == SyncSettings{});
    QVERIFY(HealthSettings::from(defaults) == HealthSettings{});
    QVERIFY(SourceSettings::from(defaults) == SourceSettings{});
    QVERIFY(DebugSettings::from(defaults) == DebugSettings{});
    QVERIFY(RepairSettings::from(defaults) == RepairSettings{});
    QVERIFY(JobsSettings::from(defaults) == JobsSettings{});
    QVERIFY(RuntimeSettings::from(defaults) == RuntimeSettings{});
    QVERIFY(UiSettings::from(defaults) == UiSettings{});
    QCOMPARE(ServerSettings::from(Settings::defaults(SettingsProfile::Serve)).listen, (HostPort{u"127.0.0.1"_s, 8765}));
}

void TestSectionSettings::extractsConfiguredValues()
{
    const Settings settings = loadWith({
        {u"--db"_s, u"postgresql://u:pw@h/db"_s},
        {u"--set"_s, u"store.busy_timeout_ms=100"_s},
        {u"--set"_s, u"ingest.compensate_new_candles=off"_s},
        {u"--set"_s, u"ingest.compensate_overlay_error=0"_s},
        {u"--set"_s, u"ingest.reject_soft_anomalies=YES"_s},
        {u"--set"_s, u"ingest.batch_max=10"_s},
        {u"--set"_s, u"factor.pivot_window_major=20"_s},
        {u"--set"_s, u"factor.logic_salt=pepper"_s},
        {u"--set"_s, u"overlay.enabled=false"_s},
        {u"--listen"_s, u"[::1]:9000"_s},
        {u"--token"_s, u"0123456789abcdef"_s},
        {u"--node-id"_s, u"1023"_s},
        {u"--set"_s, u"source.clock=exchange"_s},
        {u"--set"_s, u"ui.theme=dark"_s},
        {u"--set"_s, u"debug.seed=9223372036854775807"_s},
    });
    const StoreSettings store = StoreSettings::from(settings);
    QCOMPARE(store.url, u"postgresql://u:pw@h/db"_s);
    QCOMPARE(store.busyTimeoutMs, 100);
    const IngestSettings ingest = IngestSettings::from(settings);
    QCOMPARE(ingest.compensateNewCandles, false);
    QCOMPARE(ingest.compensateOverlayError, false);
    QCOMPARE(ingest.rejectSoftAnomalies, true);
    QCOMPARE(ingest.batchMax, 10);
    const FactorSettings factor = FactorSettings::from(settings);
    QCOMPARE(factor.pivotWindowMajor, 20);
    QCOMPARE(factor.pivotWindowMinor, 5);
    QCOMPARE(factor.logicSalt, u"pepper"_s);
    QCOMPARE(factor.overlayEnabled, false);
    const ServerSettings server = ServerSettings::from(settings);
    QCOMPARE(server.listen, (HostPort{u"::1"_s, 9000}));
    QCOMPARE(server.accessToken, u"0123456789abcdef"_s);
    QCOMPARE(RuntimeSettings::from(settings).nodeId, 1023);
    QCOMPARE(SourceSettings::from(settings).clock, SourceSettings::Clock::Exchange);
    QCOMPARE(UiSettings::from(settings).theme, UiSettings::Theme::Dark);
    QCOMPARE(DebugSettings::from(settings).seed, qint64(9223372036854775807));
}

void TestSectionSettings::listsAreCanonical()
{
    const Settings settings = loadWith({
        {u"--set"_s, u"backfill.derived_timeframes=1d,60m,5m,1h"_s},
        {u"--set"_s, u"sync.series=x:y:B:1m, x:y:A:60m ,x:y:A:1h"_s},
    });
    const BackfillSettings backfill = BackfillSettings::from(settings);
    QCOMPARE(backfill.derivedTimeframes.size(), 3);
    QCOMPARE(backfill.derivedTimeframes.at(0).toString(), u"5m"_s);
    QCOMPARE(backfill.derivedTimeframes.at(1).toString(), u"1h"_s);
    QCOMPARE(backfill.derivedTimeframes.at(2).toString(), u"1d"_s);
    // BF-19: canonical, de-duplicated, sorted
    const SyncSettings sync = SyncSettings::from(settings);
    QCOMPARE(sync.series.size(), 2);
    QCOMPARE(sync.series.at(0).toString(), u"x:y:A:1h"_s);
    QCOMPARE(sync.series.at(1).toString(), u"x:y:B:1m"_s);
}

void TestSectionSettings::resolvesConflictPolicies()
{
    // REP-8: override for the series, else conflict_policy
    const Settings settings = loadWith({
        {u"--set"_s, u"repair.conflict_policy=manual_review"_s},
        {u"--set"_s, u"repair.conflict_policy_overrides=x:y:A=B:60m=local_wins"_s},
    });
    const RepairSettings repair = RepairSettings::from(settings);
    QCOMPARE(repair.conflictPolicyOverrides.size(), 1);
    QCOMPARE(repair.policyFor(SeriesId::parse(u"x:y:A=B:1h").value()), ConflictPolicy::LocalWins);
    QCOMPARE(repair.policyFor(SeriesId::parse(u"x:y:C:1h").value()), ConflictPolicy::ManualReview);
}

void TestSectionSettings::keepsFailpointsUntilEnabled()
{
    // OBS-6: honoured only when debug.enable_failpoints is true
    Settings settings = loadWith({{u"--set"_s, u"debug.failpoints=ingest.store=2,source.rest=10%"_s}});
    DebugSettings debug = DebugSettings::from(settings);
    QCOMPARE(debug.failpoints.size(), 2);
    QCOMPARE(debug.failpoints.at(0).trigger, Failpoint::Trigger::Count);
    QCOMPARE(debug.failpoints.at(0).count, 2);
    QCOMPARE(debug.failpoints.at(1).probabilityPercent, 10.0);
    QVERIFY(debug.activeFailpoints().isEmpty());
    settings =
        loadWith({{u"--set"_s, u"debug.failpoints=ingest.store"_s}, {u"--set"_s, u"debug.enable_failpoints=1"_s}});
    debug = DebugSettings::from(settings);
    QCOMPARE(debug.activeFailpoints().size(), 1);
}

void TestSectionSettings::checkAccess_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("expected"); // empty: allowed
    // SEC-1, PROTO-27
    QTest::addRow("loopback") << u"127.0.0.1:8765"_s << QString() << QString();
    QTest::addRow("localhost") << u"localhost:8765"_s << QString() << QString();
    QTest::addRow("ipv6 loopback") << u"[::1]:8765"_s << QString() << QString();
    QTest::addRow("any, token") << u"0.0.0.0:8765"_s << u"0123456789abcdef"_s << QString();
    QTest::addRow("any, no token") << u"0.0.0.0:8765"_s << QString()
                                   << u"--listen 0.0.0.0:8765: non-loopback address; expected server.access_token"_s;
    QTest::addRow("name, no token") << u"example.org:80"_s << QString()
                                    << u"--listen example.org:80: non-loopback address; expected server.access_token"_s;
    QTest::addRow("ipv6, no token") << u"[::]:1"_s << QString()
                                    << u"--listen [::]:1: non-loopback address; expected server.access_token"_s;
}

void TestSectionSettings::checkAccess()
{
    QFETCH(QString, listen);
    QFETCH(QString, token);
    QFETCH(QString, expected);
    QList<CliSetting> cli{{u"--listen"_s, listen}};
    if (!token.isEmpty())
        cli.append({u"--token"_s, token});
    const auto access = ServerSettings::from(loadWith(cli)).checkAccess();
    QCOMPARE(access.ok(), expected.isEmpty());
    if (!access.ok())
        QCOMPARE(access.error().message, expected);
}

QTEST_GUILESS_MAIN(TestSectionSettings)
#include "tst_sectionsettings.moc"
