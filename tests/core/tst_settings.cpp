#include "core/runtime/settings.h"
#include "core/runtime/settingspec.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using gapless::CliSetting;
using gapless::Settings;
using gapless::SettingSource;
using gapless::SettingsSources;

using Env = QHash<QString, QString>;

class TestSettings final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void loadsDefaultsWithoutAFile();
    void readsTheDefaultConfigLocation();
    void precedence_data();
    void precedence();
    void lastCommandLineValueWins();
    void setSplitsAtTheFirstEquals();
    void trimsValues();
    void rejectsBadValues_data();
    void rejectsBadValues();
    void rejectsUnknownKeys_data();
    void rejectsUnknownKeys();
    void warnsAboutUnknownEnvironment();
    void rejectsSetWithoutEquals();
    void rejectsMissingConfigFile();
    void rejectsBadConfigSyntax();
    void crossKeyRanges_data();
    void crossKeyRanges();
    void acceptsCrossKeyBoundaries();
    void rowsAreSortedWithSources();
    void redactsSecrets();
    void serveProfileChangesTheListenDefault();
    void defaultDatabaseIsInAppDataLocation();
    void setRuntime_data();
    void setRuntime();
    void failedRuntimeChangeKeepsTheOldValue();
    void warnsAboutDisabledFailpoints();
    void warnsAboutSecretsInAnOpenConfig();

private:
    // A fresh directory per test: `config/` (no gapless.ini unless written) and data.
    [[nodiscard]] SettingsSources sources() const;
    QString writeIni(const QString &name, const QByteArray &text) const;
    Settings load(const SettingsSources &sources) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkdir(u"config"_s));
}

SettingsSources TestSettings::sources() const
{
    SettingsSources s;
    s.configDir = m_dir->filePath(u"config"_s);
    s.dataDir = m_dir->filePath(u"data"_s);
    return s;
}

QString TestSettings::writeIni(const QString &name, const QByteArray &text) const
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

Settings TestSettings::load(const SettingsSources &sources) const
{
    auto settings = Settings::load(sources);
    if (!settings)
        qFatal("load failed: %s", qPrintable(settings.error().message));
    return std::move(settings).value();
}

void TestSettings::loadsDefaultsWithoutAFile()
{
    // CFG-1: no gapless.ini → defaults
    const Settings settings = load(sources());
    QVERIFY(settings.configFile().isEmpty());
    QVERIFY(settings.warnings().isEmpty());
    for (const auto &row : settings.rows())
        QCOMPARE(row.source, SettingSource::Default);
    QCOMPARE(settings.intValue(u"store.busy_timeout_ms"), qint64(5000));
    QCOMPARE(settings.stringValue(u"server.listen"), u"127.0.0.1:0"_s);
    QCOMPARE(settings.boolValue(u"ingest.compensate_new_candles"), true);
    QCOMPARE(settings.boolValue(u"ingest.reject_soft_anomalies"), false);
    QCOMPARE(settings.listValue(u"backfill.derived_timeframes"),
             (QStringList{u"5m"_s, u"15m"_s, u"1h"_s, u"4h"_s, u"1d"_s}));
    QCOMPARE(settings.listValue(u"sync.series"), QStringList());
    QCOMPARE(settings.intValue(u"jobs.zombie_timeout_s"), qint64(30));
    QCOMPARE(settings.stringValue(u"store.url"), QDir(m_dir->filePath(u"data"_s)).filePath(u"gapless.db"_s));
}

void TestSettings::readsTheDefaultConfigLocation()
{
    const QString path = writeIni(u"config/gapless.ini"_s, "[store]\nbusy_timeout_ms = 250\n");
    const Settings settings = load(sources());
    QCOMPARE(settings.configFile(), path);
    QCOMPARE(settings.intValue(u"store.busy_timeout_ms"), qint64(250));
    QCOMPARE(settings.source(u"store.busy_timeout_ms"), SettingSource::File);
    QCOMPARE(settings.origin(u"store.busy_timeout_ms"), u"file "_s + path);
}

void TestSettings::precedence_data()
{
    QTest::addColumn<QString>("fileValue"); // empty: not in the file
    QTest::addColumn<QString>("envValue");  // empty: not in the environment
    QTest::addColumn<QString>("cliValue");  // empty: not on the command line
    QTest::addColumn<QString>("expected");
    QTest::addColumn<SettingSource>("source");
    // CFG-1: default < INI < environment < CLI
    QTest::addRow("default") << QString() << QString() << QString() << u"5000"_s << SettingSource::Default;
    QTest::addRow("file over default") << u"1"_s << QString() << QString() << u"1"_s << SettingSource::File;
    QTest::addRow("env over file") << u"1"_s << u"2"_s << QString() << u"2"_s << SettingSource::Env;
    QTest::addRow("cli over env") << u"1"_s << u"2"_s << u"3"_s << u"3"_s << SettingSource::Cli;
    QTest::addRow("cli over file") << u"1"_s << QString() << u"3"_s << u"3"_s << SettingSource::Cli;
    QTest::addRow("env over default") << QString() << u"2"_s << QString() << u"2"_s << SettingSource::Env;
}

void TestSettings::precedence()
{
    QFETCH(QString, fileValue);
    QFETCH(QString, envValue);
    QFETCH(QString, cliValue);
    QFETCH(QString, expected);
    QFETCH(SettingSource, source);
    SettingsSources s = sources();
    if (!fileValue.isEmpty())
        s.configFile = writeIni(u"x.ini"_s, "[store]\nbusy_timeout_ms = " + fileValue.toUtf8() + "\n");
    if (!envValue.isEmpty())
        s.environment.insert(u"GAPLESS_STORE_BUSY_TIMEOUT_MS"_s, envValue);
    if (!cliValue.isEmpty())
        s.cli.append({u"--set"_s, u"store.busy_timeout_ms="_s + cliValue});
    const Settings settings = load(s);
    QCOMPARE(settings.stringValue(u"store.busy_timeout_ms"), expected);
    QCOMPARE(settings.source(u"store.busy_timeout_ms"), source);
}

void TestSettings::lastCommandLineValueWins()
{
    SettingsSources s = sources();
    s.cli = {{u"--set"_s, u"runtime.node_id=1"_s}, {u"--node-id"_s, u"2"_s}};
    QCOMPARE(load(s).intValue(u"runtime.node_id"), qint64(2));
    s.cli = {{u"--node-id"_s, u"2"_s}, {u"--set"_s, u"runtime.node_id=3"_s}};
    const Settings settings = load(s);
    QCOMPARE(settings.intValue(u"runtime.node_id"), qint64(3));
    QCOMPARE(settings.origin(u"runtime.node_id"), u"cli --set"_s);
}

void TestSettings::setSplitsAtTheFirstEquals()
{
    // CFG-2; the series id itself holds '=' (DOM-2)
    SettingsSources s = sources();
    s.cli = {{u"--set"_s, u"repair.conflict_policy_overrides=x:y:A=B:1h=local_wins"_s}};
    QCOMPARE(load(s).stringValue(u"repair.conflict_policy_overrides"), u"x:y:A=B:1h=local_wins"_s);
}

void TestSettings::trimsValues()
{
    SettingsSources s = sources();
    s.environment = {{u"GAPLESS_FACTOR_ENABLED"_s, u" OFF "_s}, {u"GAPLESS_STORE_BUSY_TIMEOUT_MS"_s, u" 7 "_s}};
    s.cli = {{u"--set"_s, u" sync.series = a:b:c:1m , d:e:f:1h "_s}};
    const Settings settings = load(s);
    QCOMPARE(settings.boolValue(u"factor.enabled"), false);
    QCOMPARE(settings.stringValue(u"factor.enabled"), u"OFF"_s);
    QCOMPARE(settings.intValue(u"store.busy_timeout_ms"), qint64(7));
    QCOMPARE(settings.listValue(u"sync.series"), (QStringList{u"a:b:c:1m"_s, u"d:e:f:1h"_s}));
}

void TestSettings::rejectsBadValues_data()
{
    QTest::addColumn<QString>("from"); // file, env, or a CLI option
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // %FILE% = the INI path
    // CFG-3: every type, every source, the exact message; never clamped or defaulted.
    const auto row = [](const char *name, const QString &from, const QString &key, const QString &value,
                        const QString &expected) { QTest::newRow(name) << from << key << value << expected; };
    row("int junk, env", u"env"_s, u"store.busy_timeout_ms"_s, u"abc"_s,
        u"setting store.busy_timeout_ms = \"abc\" (from env GAPLESS_STORE_BUSY_TIMEOUT_MS): expected int in [0, 600000]"_s);
    row("int above, file", u"file"_s, u"store.busy_timeout_ms"_s, u"600001"_s,
        u"setting store.busy_timeout_ms = \"600001\" (from file %FILE%): expected int in [0, 600000]"_s);
    row("int unit, --set", u"--set"_s, u"store.busy_timeout_ms"_s, u"5s"_s,
        u"setting store.busy_timeout_ms = \"5s\" (from cli --set): expected int in [0, 600000]"_s);
    row("int empty, env", u"env"_s, u"ingest.batch_max"_s, QString(),
        u"setting ingest.batch_max = \"\" (from env GAPLESS_INGEST_BATCH_MAX): expected int in [1, 1000000]"_s);
    row("node id, --node-id", u"--node-id"_s, u"runtime.node_id"_s, u"1024"_s,
        u"setting runtime.node_id = \"1024\" (from cli --node-id): expected int in [0, 1023]"_s);
    row("frame bytes below 1 KiB", u"env"_s, u"server.max_frame_bytes"_s, u"1023"_s,
        u"setting server.max_frame_bytes = \"1023\" (from env GAPLESS_SERVER_MAX_FRAME_BYTES): expected int in [1024, 67108864]"_s);
    row("part 2 shown range", u"--set"_s, u"source.binance_futures_page_limit"_s, u"1501"_s,
        u"setting source.binance_futures_page_limit = \"1501\" (from cli --set): expected int in [1, 1500]"_s);
    row("part 2 ms from 0", u"env"_s, u"server.gap_heal_wait_ms"_s, u"-1"_s,
        u"setting server.gap_heal_wait_ms = \"-1\" (from env GAPLESS_SERVER_GAP_HEAL_WAIT_MS): expected int in [0, 2147483647]"_s);
    row("part 2 count from 1", u"env"_s, u"sync.parallel"_s, u"0"_s,
        u"setting sync.parallel = \"0\" (from env GAPLESS_SYNC_PARALLEL): expected int in [1, 2147483647]"_s);
    row("part 3 range", u"file"_s, u"repair.idempotency_ttl_s"_s, u"59"_s,
        u"setting repair.idempotency_ttl_s = \"59\" (from file %FILE%): expected int in [60, 2592000]"_s);
    row("seed negative", u"env"_s, u"debug.seed"_s, u"-1"_s,
        u"setting debug.seed = \"-1\" (from env GAPLESS_DEBUG_SEED): expected int in [0, 9223372036854775807]"_s);
    row("relative range, type error", u"env"_s, u"jobs.zombie_timeout_s"_s, u"30s"_s,
        u"setting jobs.zombie_timeout_s = \"30s\" (from env GAPLESS_JOBS_ZOMBIE_TIMEOUT_S): "
        u"expected int in [3 x jobs.heartbeat_interval_s, 2147483647]"_s);
    row("bool", u"env"_s, u"factor.enabled"_s, u"maybe"_s,
        u"setting factor.enabled = \"maybe\" (from env GAPLESS_FACTOR_ENABLED): "
        u"expected bool in 1, true, yes, on, 0, false, no, off"_s);
    row("bool, file", u"file"_s, u"debug.enable_failpoints"_s, u"2"_s,
        u"setting debug.enable_failpoints = \"2\" (from file %FILE%): expected bool in 1, true, yes, on, 0, false, no, off"_s);
    row("string too long", u"file"_s, u"factor.logic_salt"_s, QString(65, u's'),
        u"setting factor.logic_salt = \""_s + QString(65, u's') +
            u"\" (from file %FILE%): expected string in [0, 64] characters"_s);
    row("token short, redacted", u"--token"_s, u"server.access_token"_s, u"hunter2"_s,
        u"setting server.access_token = \"***\" (from cli --token): "
        u"expected string in \"\" or >= 16 visible ASCII characters"_s);
    row("store url, redacted", u"--db"_s, u"store.url"_s, u"mysql://u:hunter2@h/db"_s,
        u"setting store.url = \"mysql://u:***@h/db\" (from cli --db): "
        u"expected url in PATH, sqlite:///ABS/PATH or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"_s);
    row("host:port", u"--listen"_s, u"server.listen"_s, u"localhost"_s,
        u"setting server.listen = \"localhost\" (from cli --listen): expected host:port in HOST:PORT with PORT in [0, 65535]"_s);
    row("rest url", u"env"_s, u"source.binance_spot_rest"_s, u"ftp://x"_s,
        u"setting source.binance_spot_rest = \"ftp://x\" (from env GAPLESS_SOURCE_BINANCE_SPOT_REST): "
        u"expected url in http(s)://HOST[:PORT][/PATH]"_s);
    row("ws url", u"file"_s, u"source.binance_futures_ws"_s, u"https://fstream.binance.com"_s,
        u"setting source.binance_futures_ws = \"https://fstream.binance.com\" (from file %FILE%): "
        u"expected url in ws(s)://HOST[:PORT][/PATH]"_s);
    row("enum", u"--set"_s, u"repair.conflict_policy"_s, u"manual-review"_s,
        u"setting repair.conflict_policy = \"manual-review\" (from cli --set): "
        u"expected enum in source_wins, local_wins, manual_review"_s);
    row("enum, ui", u"env"_s, u"ui.theme"_s, u"Dark"_s,
        u"setting ui.theme = \"Dark\" (from env GAPLESS_UI_THEME): expected enum in system, light, dark"_s);
    row("timeframe list", u"env"_s, u"backfill.derived_timeframes"_s, u"5m,1m"_s,
        u"setting backfill.derived_timeframes = \"5m,1m\" (from env GAPLESS_BACKFILL_DERIVED_TIMEFRAMES): "
        u"expected list in timeframes above 1m (5m,15m,1h)"_s);
    row("series list", u"file"_s, u"sync.series"_s, u"binance:spot:1m"_s,
        u"setting sync.series = \"binance:spot:1m\" (from file %FILE%): "
        u"expected list in series ids EXCHANGE:MARKET:SYMBOL:TIMEFRAME"_s);
    row("origin list", u"--set"_s, u"server.allowed_origins"_s, u"x.org"_s,
        u"setting server.allowed_origins = \"x.org\" (from cli --set): expected list in origins SCHEME://HOST[:PORT]"_s);
    row("path list", u"env"_s, u"source.file_dirs"_s, u"/a,,/b"_s,
        u"setting source.file_dirs = \"/a,,/b\" (from env GAPLESS_SOURCE_FILE_DIRS): expected list in directory paths"_s);
    row("policy list", u"env"_s, u"repair.conflict_policy_overrides"_s, u"x:y:z:1m=mine"_s,
        u"setting repair.conflict_policy_overrides = \"x:y:z:1m=mine\" (from env GAPLESS_REPAIR_CONFLICT_POLICY_OVERRIDES): "
        u"expected list in SERIES=POLICY with POLICY in source_wins, local_wins, manual_review"_s);
    row("failpoints", u"env"_s, u"debug.failpoints"_s, u"ingest.store=0"_s,
        u"setting debug.failpoints = \"ingest.store=0\" (from env GAPLESS_DEBUG_FAILPOINTS): "
        u"expected failpoints in NAME[=COUNT|=PROB%] with NAME in ingest.store, ingest.factor, ingest.overlay, "
        u"ingest.commit, ingest.publish, journal.write, source.rest, source.stream, job.heartbeat"_s);
}

void TestSettings::rejectsBadValues()
{
    QFETCH(QString, from);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    SettingsSources s = sources();
    const qsizetype dot = key.indexOf(u'.');
    if (from == u"file") {
        s.configFile =
            writeIni(u"x.ini"_s, u"[%1]\n%2 = %3\n"_s.arg(key.first(dot), key.sliced(dot + 1), value).toUtf8());
        expected.replace(u"%FILE%"_s, *s.configFile);
    } else if (from == u"env") {
        s.environment.insert(gapless::settingEnvName(key), value);
    } else if (from == u"--set") {
        s.cli.append({from, key + u'=' + value});
    } else {
        s.cli.append({from, value});
    }
    const auto settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(settings.error().message, expected);
    QVERIFY2(value.size() < 4 || !settings.error().message.contains(u"hunter2"_s), "a secret was printed (SEC-4)");
}

void TestSettings::rejectsUnknownKeys_data()
{
    QTest::addColumn<QByteArray>("ini"); // empty: not from a file
    QTest::addColumn<QString>("set");    // empty: not from --set
    QTest::addColumn<QString>("expected");
    // CFG-2: unknown key in the file or --set → error; the file's names FILE:LINE
    QTest::addRow("file key") << QByteArray("# settings\n[store]\nbusy_timeout_ms = 1\nbusy_timeout = 2\n") << QString()
                              << u"%FILE%:4: unknown setting store.busy_timeout; expected one of store.url, "
                                 u"store.busy_timeout_ms"_s;
    QTest::addRow("file section") << QByteArray("\n[stor]\nurl = x\n") << QString()
                                  << u"%FILE%:2: unknown section [stor]; expected one of store, ingest, factor, "
                                     u"overlay, server, client, backfill, sync, health, source, debug, repair, jobs, "
                                     u"runtime, ui"_s;
    QTest::addRow("file syntax") << QByteArray("[store]\nurl\n") << QString()
                                 << u"%FILE%:2: no '=' in the line; expected [section], key = value or a # comment"_s;
    QTest::addRow("--set key") << QByteArray() << u"jobs.worker=3"_s
                               << u"--set: unknown setting jobs.worker; expected one of jobs.workers, "
                                  u"jobs.heartbeat_interval_s, jobs.zombie_timeout_s, jobs.retry_base_ms, "
                                  u"jobs.retry_cap_ms, jobs.max_attempts"_s;
    QTest::addRow("--set no section") << QByteArray() << u"workers=3"_s
                                      << u"--set: unknown setting workers; expected section.key with section one of "
                                         u"store, ingest, factor, overlay, server, client, backfill, sync, health, "
                                         u"source, debug, repair, jobs, runtime, ui"_s;
}

void TestSettings::rejectsUnknownKeys()
{
    QFETCH(QByteArray, ini);
    QFETCH(QString, set);
    QFETCH(QString, expected);
    SettingsSources s = sources();
    if (!ini.isEmpty()) {
        s.configFile = writeIni(u"x.ini"_s, ini);
        expected.replace(u"%FILE%"_s, *s.configFile);
    }
    if (!set.isEmpty())
        s.cli.append({u"--set"_s, set});
    const auto settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().message, expected);
}

void TestSettings::warnsAboutUnknownEnvironment()
{
    // CFG-2: unknown GAPLESS_* → warning, collected; other names are not ours
    SettingsSources s = sources();
    s.environment = {{u"GAPLESS_STORE_URLS"_s, u"x"_s},
                     {u"GAPLESS_DATABASE"_s, u"x"_s},
                     {u"GAPLESS_TEST_DATA"_s, u"/src/tests/data"_s},
                     {u"GAPLESS_BIN"_s, u"/build/app/gapless"_s},
                     {u"HOME"_s, u"/root"_s},
                     {u"GAPLESS_STORE_BUSY_TIMEOUT_MS"_s, u"9"_s}};
    const Settings settings = load(s);
    QCOMPARE(settings.warnings(),
             (QStringList{u"env GAPLESS_DATABASE: unknown setting, ignored; expected GAPLESS_<SECTION>_<KEY> with "
                          u"SECTION one of STORE, INGEST, FACTOR, OVERLAY, SERVER, CLIENT, BACKFILL, SYNC, HEALTH, "
                          u"SOURCE, DEBUG, REPAIR, JOBS, RUNTIME, UI"_s,
                          u"env GAPLESS_STORE_URLS: unknown setting, ignored; expected one of GAPLESS_STORE_URL, "
                          u"GAPLESS_STORE_BUSY_TIMEOUT_MS"_s}));
    QCOMPARE(settings.intValue(u"store.busy_timeout_ms"), qint64(9));
}

void TestSettings::rejectsSetWithoutEquals()
{
    SettingsSources s = sources();
    s.cli = {{u"--set"_s, u"store.busy_timeout_ms"_s}};
    const auto settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().message, u"--set store.busy_timeout_ms: no '='; expected --set section.key=value"_s);
}

void TestSettings::rejectsMissingConfigFile()
{
    // CFG-1: an explicit --config must exist (exit 2); the default location may be absent.
    SettingsSources s = sources();
    s.configFile = m_dir->filePath(u"nope.ini"_s);
    auto settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(settings.error().message,
             u"--config %1: no such file; expected an existing INI file"_s.arg(*s.configFile));

    s.configFile = m_dir->path();
    settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().message, m_dir->path() + u": is a directory; expected an INI file"_s);
}

void TestSettings::rejectsBadConfigSyntax()
{
    // The default location, when present, is read as strictly as --config.
    const QString path = writeIni(u"config/gapless.ini"_s, "[store]\n\nbusy_timeout_ms = 1\nbusy_timeout_ms = 2\n");
    const auto settings = Settings::load(sources());
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().message,
             path + u":4: duplicate key store.busy_timeout_ms (first at line 3); expected each key once"_s);
}

void TestSettings::crossKeyRanges_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<Env>("env");
    QTest::addColumn<QString>("set"); // one --set, or empty
    QTest::addColumn<QString>("expected");
    // CFG-5 ranges that name another key: checked after merging, naming the blamed key's source.
    QTest::addRow("minor = W")
        << QByteArray() << Env{{u"GAPLESS_FACTOR_PIVOT_WINDOW_MINOR"_s, u"50"_s}} << QString()
        << u"setting factor.pivot_window_minor = \"50\" (from env GAPLESS_FACTOR_PIVOT_WINDOW_MINOR): "
           u"expected int in [1, factor.pivot_window_major - 1 = 49]"_s;
    QTest::addRow("W below default minor")
        << QByteArray() << Env{{u"GAPLESS_FACTOR_PIVOT_WINDOW_MAJOR"_s, u"5"_s}} << QString()
        << u"setting factor.pivot_window_major = \"5\" (from env GAPLESS_FACTOR_PIVOT_WINDOW_MAJOR): "
           u"expected int in [factor.pivot_window_minor + 1 = 6, 500]"_s;
    QTest::addRow("both in file") << QByteArray("[factor]\npivot_window_major = 10\npivot_window_minor = 10\n") << Env()
                                  << QString()
                                  << u"setting factor.pivot_window_minor = \"10\" (from file %FILE%): "
                                     u"expected int in [1, factor.pivot_window_major - 1 = 9]"_s;
    QTest::addRow("env W breaks file minor")
        << QByteArray("[factor]\npivot_window_minor = 20\n") << Env{{u"GAPLESS_FACTOR_PIVOT_WINDOW_MAJOR"_s, u"10"_s}}
        << QString()
        << u"setting factor.pivot_window_major = \"10\" (from env GAPLESS_FACTOR_PIVOT_WINDOW_MAJOR): "
           u"expected int in [factor.pivot_window_minor + 1 = 21, 500]"_s;
    QTest::addRow("stale = fresh") << QByteArray() << Env() << u"health.stale_window_candles=2"_s
                                   << u"setting health.stale_window_candles = \"2\" (from cli --set): "
                                      u"expected int in [health.fresh_window_candles + 1 = 3, 10000]"_s;
    QTest::addRow("fresh = default stale")
        << QByteArray() << Env{{u"GAPLESS_HEALTH_FRESH_WINDOW_CANDLES"_s, u"5"_s}} << QString()
        << u"setting health.fresh_window_candles = \"5\" (from env GAPLESS_HEALTH_FRESH_WINDOW_CANDLES): "
           u"expected int in [1, health.stale_window_candles - 1 = 4]"_s;
    QTest::addRow("zombie < 3 x heartbeat")
        << QByteArray() << Env{{u"GAPLESS_JOBS_ZOMBIE_TIMEOUT_S"_s, u"14"_s}} << QString()
        << u"setting jobs.zombie_timeout_s = \"14\" (from env GAPLESS_JOBS_ZOMBIE_TIMEOUT_S): "
           u"expected int in [3 x jobs.heartbeat_interval_s = 15, 2147483647]"_s;
    QTest::addRow("heartbeat > zombie / 3") << QByteArray() << Env() << u"jobs.heartbeat_interval_s=11"_s
                                            << u"setting jobs.heartbeat_interval_s = \"11\" (from cli --set): "
                                               u"expected int in [1, jobs.zombie_timeout_s / 3 = 10]"_s;
    QTest::addRow("base > cap") << QByteArray() << Env{{u"GAPLESS_JOBS_RETRY_BASE_MS"_s, u"300001"_s}} << QString()
                                << u"setting jobs.retry_base_ms = \"300001\" (from env GAPLESS_JOBS_RETRY_BASE_MS): "
                                   u"expected int in [0, jobs.retry_cap_ms = 300000]"_s;
    QTest::addRow("cap < base") << QByteArray("[jobs]\nretry_cap_ms = 1999\n") << Env() << QString()
                                << u"setting jobs.retry_cap_ms = \"1999\" (from file %FILE%): "
                                   u"expected int in [jobs.retry_base_ms = 2000, 2147483647]"_s;
}

void TestSettings::crossKeyRanges()
{
    QFETCH(QByteArray, ini);
    QFETCH(Env, env);
    QFETCH(QString, set);
    QFETCH(QString, expected);
    SettingsSources s = sources();
    if (!ini.isEmpty()) {
        s.configFile = writeIni(u"x.ini"_s, ini);
        expected.replace(u"%FILE%"_s, *s.configFile);
    }
    s.environment = env;
    if (!set.isEmpty())
        s.cli.append({u"--set"_s, set});
    const auto settings = Settings::load(s);
    QVERIFY(!settings.ok());
    QCOMPARE(settings.error().code, gapless::ErrorCode::BadRequest);
    QCOMPARE(settings.error().message, expected);
}

void TestSettings::acceptsCrossKeyBoundaries()
{
    SettingsSources s = sources();
    s.cli = {{u"--set"_s, u"factor.pivot_window_minor=49"_s},  {u"--set"_s, u"health.stale_window_candles=3"_s},
             {u"--set"_s, u"jobs.zombie_timeout_s=15"_s},      {u"--set"_s, u"jobs.retry_base_ms=300000"_s},
             {u"--set"_s, u"health.fresh_window_candles=2"_s}, {u"--set"_s, u"jobs.heartbeat_interval_s=5"_s}};
    const Settings settings = load(s);
    QCOMPARE(settings.intValue(u"factor.pivot_window_minor"), qint64(49));
    QCOMPARE(settings.intValue(u"jobs.zombie_timeout_s"), qint64(15));
}

void TestSettings::rowsAreSortedWithSources()
{
    // CLI-12: key value source per key, sorted by key
    SettingsSources s = sources();
    s.configFile = writeIni(u"x.ini"_s, "[store]\nbusy_timeout_ms = 250\n");
    s.environment = {{u"GAPLESS_RUNTIME_NODE_ID"_s, u"7"_s}};
    s.cli = {{u"--listen"_s, u"127.0.0.1:9000"_s}};
    Settings settings = load(s);
    QVERIFY(settings.setRuntime(u"ingest.batch_max", u"1000"_s).ok());
    const QList<gapless::SettingRow> rows = settings.rows();
    QCOMPARE(rows.size(), qsizetype(gapless::settingSpecs().size()));
    QVERIFY(std::is_sorted(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.key < b.key; }));
    QCOMPARE(rows.first().key, u"backfill.derived_timeframes"_s);
    QCOMPARE(rows.last().key, u"ui.time_zone"_s);
    const auto find = [&](const QString &key) {
        return *std::find_if(rows.begin(), rows.end(), [&](const auto &row) { return row.key == key; });
    };
    const auto check = [&](const QString &key, const QString &value, SettingSource source, const QString &name) {
        const gapless::SettingRow row = find(key);
        QCOMPARE(row.value, value);
        QCOMPARE(row.source, source);
        QCOMPARE(gapless::settingSourceName(row.source), name);
    };
    check(u"store.busy_timeout_ms"_s, u"250"_s, SettingSource::File, u"file"_s);
    check(u"runtime.node_id"_s, u"7"_s, SettingSource::Env, u"env"_s);
    check(u"server.listen"_s, u"127.0.0.1:9000"_s, SettingSource::Cli, u"cli"_s);
    check(u"ingest.batch_max"_s, u"1000"_s, SettingSource::Runtime, u"runtime"_s);
    check(u"jobs.workers"_s, u"2"_s, SettingSource::Default, u"default"_s);
    QCOMPARE(find(u"server.listen"_s).defaultValue, u"127.0.0.1:0"_s);
    QCOMPARE(find(u"ingest.batch_max"_s).defaultValue, u"50000"_s);
    QVERIFY(find(u"ingest.batch_max"_s).runtime);
    QVERIFY(!find(u"server.listen"_s).runtime);
}

void TestSettings::redactsSecrets()
{
    // SEC-4: neither the token nor the database password is ever in rows()
    const QString token = u"0123456789abcdefSECRET"_s;
    SettingsSources s = sources();
    s.cli = {{u"--token"_s, token}, {u"--db"_s, u"postgresql://gapless:hunter2@db.local:5433/market"_s}};
    const Settings settings = load(s);
    QCOMPARE(settings.stringValue(u"server.access_token"), token); // consumers get the real value
    QCOMPARE(settings.displayValue(u"server.access_token"), u"***"_s);
    QCOMPARE(settings.displayValue(u"store.url"), u"postgresql://gapless:***@db.local:5433/market"_s);
    for (const auto &row : settings.rows()) {
        QVERIFY2(!row.value.contains(u"SECRET"_s) && !row.value.contains(u"hunter2"_s), qPrintable(row.key));
        QVERIFY(!row.defaultValue.contains(u"hunter2"_s));
    }
    // An empty token is not a secret: shown as empty, so "no token" is visible.
    QCOMPARE(load(sources()).displayValue(u"server.access_token"), QString());
}

void TestSettings::serveProfileChangesTheListenDefault()
{
    // CLI-14: `serve` defaults to 127.0.0.1:8765; still a default, still overridable
    SettingsSources s = sources();
    s.profile = gapless::SettingsProfile::Serve;
    Settings settings = load(s);
    QCOMPARE(settings.stringValue(u"server.listen"), u"127.0.0.1:8765"_s);
    QCOMPARE(settings.source(u"server.listen"), SettingSource::Default);
    const auto rows = settings.rows();
    const auto listen = std::find_if(rows.begin(), rows.end(), [](const auto &r) { return r.key == u"server.listen"; });
    QCOMPARE(listen->defaultValue, u"127.0.0.1:8765"_s);
    s.environment = {{u"GAPLESS_SERVER_LISTEN"_s, u"127.0.0.1:0"_s}};
    settings = load(s);
    QCOMPARE(settings.stringValue(u"server.listen"), u"127.0.0.1:0"_s);
    QCOMPARE(settings.source(u"server.listen"), SettingSource::Env);
}

void TestSettings::defaultDatabaseIsInAppDataLocation()
{
    // STORE-2: default <AppDataLocation>/gapless.db, resolved when loading
    QStandardPaths::setTestModeEnabled(true);
    const QString expected =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"gapless.db"_s);
    SettingsSources s = sources();
    s.dataDir.clear();
    QCOMPARE(load(s).stringValue(u"store.url"), expected);
    QCOMPARE(Settings::defaults().stringValue(u"store.url"), expected);
    QStandardPaths::setTestModeEnabled(false);
}

void TestSettings::setRuntime_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<gapless::ErrorCode>("code");
    QTest::addColumn<QString>("expected");
    // CFG-4: `*` keys only, validated like any source, source `runtime`
    QTest::addRow("runtime key") << u"ingest.reject_soft_anomalies"_s << u"yes"_s << true
                                 << gapless::ErrorCode::BadRequest << QString();
    QTest::addRow("restart key") << u"server.listen"_s << u"127.0.0.1:1"_s << false << gapless::ErrorCode::Conflict
                                 << u"setting server.listen: needs a restart to change; "
                                    u"expected a key marked * (runtime-changeable)"_s;
    QTest::addRow("unknown key") << u"ingest.nope"_s << u"1"_s << false << gapless::ErrorCode::BadRequest
                                 << u"runtime: unknown setting ingest.nope; expected one of "
                                    u"ingest.compensate_new_candles, ingest.compensate_overlay_error, "
                                    u"ingest.reject_soft_anomalies, ingest.batch_max, ingest.max_live_series, "
                                    u"ingest.live_idle_ttl_s"_s;
    QTest::addRow("bad value") << u"ingest.batch_max"_s << u"0"_s << false << gapless::ErrorCode::BadRequest
                               << u"setting ingest.batch_max = \"0\" (from runtime): expected int in [1, 1000000]"_s;
    QTest::addRow("base over cap") << u"jobs.retry_base_ms"_s << u"400000"_s << false << gapless::ErrorCode::BadRequest
                                   << u"setting jobs.retry_base_ms = \"400000\" (from runtime): "
                                      u"expected int in [0, jobs.retry_cap_ms = 300000]"_s;
    QTest::addRow("cap under base") << u"jobs.retry_cap_ms"_s << u"1000"_s << false << gapless::ErrorCode::BadRequest
                                    << u"setting jobs.retry_cap_ms = \"1000\" (from runtime): "
                                       u"expected int in [jobs.retry_base_ms = 2000, 2147483647]"_s;
    QTest::addRow("fresh over stale") << u"health.fresh_window_candles"_s << u"5"_s << false
                                      << gapless::ErrorCode::BadRequest
                                      << u"setting health.fresh_window_candles = \"5\" (from runtime): "
                                         u"expected int in [1, health.stale_window_candles - 1 = 4]"_s;
}

void TestSettings::setRuntime()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(gapless::ErrorCode, code);
    QFETCH(QString, expected);
    Settings settings = load(sources());
    const auto result = settings.setRuntime(key, value);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        QCOMPARE(settings.stringValue(key), value);
        QCOMPARE(settings.source(key), SettingSource::Runtime);
        QCOMPARE(settings.origin(key), u"runtime"_s);
    } else {
        QCOMPARE(result.error().code, code);
        QCOMPARE(result.error().message, expected);
    }
}

void TestSettings::failedRuntimeChangeKeepsTheOldValue()
{
    SettingsSources s = sources();
    s.environment = {{u"GAPLESS_JOBS_RETRY_BASE_MS"_s, u"1000"_s}};
    Settings settings = load(s);
    QVERIFY(!settings.setRuntime(u"jobs.retry_base_ms", u"999999"_s).ok());
    QCOMPARE(settings.intValue(u"jobs.retry_base_ms"), qint64(1000));
    QCOMPARE(settings.source(u"jobs.retry_base_ms"), SettingSource::Env);
    QVERIFY(!settings.setRuntime(u"ingest.batch_max", u"x"_s).ok());
    QCOMPARE(settings.source(u"ingest.batch_max"), SettingSource::Default);
}

void TestSettings::warnsAboutDisabledFailpoints()
{
    // OBS-6: set failpoints without enable_failpoints → startup warning, ignored
    SettingsSources s = sources();
    s.environment = {{u"GAPLESS_DEBUG_FAILPOINTS"_s, u"ingest.store=2"_s}};
    QCOMPARE(load(s).warnings(),
             QStringList{u"setting debug.failpoints = \"ingest.store=2\" (from env GAPLESS_DEBUG_FAILPOINTS): ignored; "
                         u"expected debug.enable_failpoints = true"_s});
    s.environment.insert(u"GAPLESS_DEBUG_ENABLE_FAILPOINTS"_s, u"true"_s);
    QVERIFY(load(s).warnings().isEmpty());
}

void TestSettings::warnsAboutSecretsInAnOpenConfig()
{
    // SEC-5: a config holding secrets should be 0600; wider → warning naming it
    SettingsSources s = sources();
    s.configFile = writeIni(u"x.ini"_s, "[server]\naccess_token = 0123456789abcdef\n");
    QVERIFY(QFile::setPermissions(*s.configFile,
                                  QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QCOMPARE(load(s).warnings(), QStringList{*s.configFile + u": holds secrets but has mode 0644; expected 0600"_s});
    QVERIFY(QFile::setPermissions(*s.configFile, QFile::ReadOwner | QFile::WriteOwner));
    QVERIFY(load(s).warnings().isEmpty());

    s.configFile = writeIni(u"y.ini"_s, "[store]\nbusy_timeout_ms = 1\n"); // no secret: no warning
    QVERIFY(QFile::setPermissions(*s.configFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
    QVERIFY(load(s).warnings().isEmpty());
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
