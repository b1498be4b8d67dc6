#pragma once

#include "core/domain/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gapless {

struct SettingSpec;

/// Where a value came from, weakest first (CFG-1, CFG-4).
enum class SettingSource { Default, File, Env, Cli, Runtime };

/// `default`, `file`, `env`, `cli` or `runtime` (CLI-12).
[[nodiscard]] QString settingSourceName(SettingSource source);

/// Which built-in defaults apply. `gapless serve` loads with Serve, which changes only
/// server.listen to 127.0.0.1:8765 (CLI-14); the GUI's embedded core keeps 127.0.0.1:0 (UI-2).
/// Either is still overridden by the file, the environment and the command line.
enum class SettingsProfile { Embedded, Serve };

/// One command-line source: `--set` with `section.key=value`, or a dedicated option with its
/// value: `--db` (store.url), `--listen` (server.listen), `--token` (server.access_token),
/// `--node-id` (runtime.node_id). Errors name the option (CFG-2, CFG-3).
struct CliSetting
{
    QString option;
    QString text;
};

/// Everything Settings::load reads, passed in so that tests need no process state.
struct SettingsSources
{
    SettingsProfile profile = SettingsProfile::Embedded;
    /// `--config FILE`: must exist. Unset: `<configDir>/gapless.ini`, skipped if absent.
    std::optional<QString> configFile;
    /// Empty: QStandardPaths::AppConfigLocation.
    QString configDir;
    /// Where the default database lives; empty: QStandardPaths::AppDataLocation (STORE-2).
    QString dataDir;
    /// The process environment, e.g. systemEnvironment(); only `GAPLESS_*` names are read.
    QHash<QString, QString> environment;
    /// Command-line settings in command-line order; for one key the last one wins. (With
    /// QCommandLineParser, which loses the order between options, pass every --set first and
    /// the dedicated options after them, so that `--db` beats `--set store.url=…`.)
    QList<CliSetting> cli;
};

/// A line of `gapless flags` (CLI-12) and of the protocol's flags_get. Secrets are redacted.
struct SettingRow
{
    QString key;
    QString value;
    QString defaultValue;
    SettingSource source = SettingSource::Default;
    bool runtime = false; ///< `*`: changeable on a running core (CFG-4)
};

/// `{key, value, default, source, rt}`: a flag as `flags --json` and the protocol's flags_get show it.
[[nodiscard]] QJsonObject settingRowJson(const SettingRow &row);

/// The merged settings of one process: default < INI < environment < command line (CFG-1),
/// then runtime changes of `*` keys (CFG-4). Load once at startup, extract the plain structs
/// of sectionsettings.h and pass those down; only the runtime Core keeps a Settings.
/// A value type, not thread-safe.
class Settings
{
public:
    /// Loads and validates every source. Any Error is a usage/config error: exit 2 (CLI-2).
    /// Call it after QCoreApplication::setApplicationName("gapless"): the default INI and
    /// database locations come from QStandardPaths.
    [[nodiscard]] static Result<Settings> load(const SettingsSources &sources);
    /// Built-in defaults only, for tests and tools that read no configuration.
    [[nodiscard]] static Settings defaults(SettingsProfile profile = SettingsProfile::Embedded,
                                           const QString &dataDir = {});
    /// The process environment as a map, for SettingsSources::environment.
    [[nodiscard]] static QHash<QString, QString> systemEnvironment();

    /// Typed values of a known key of that type; asking for an unknown key is a bug (asserts).
    [[nodiscard]] bool boolValue(QStringView key) const;
    [[nodiscard]] qint64 intValue(QStringView key) const;
    /// The value as text, unredacted and trimmed.
    [[nodiscard]] QString stringValue(QStringView key) const;
    /// C-2 list items, trimmed; empty for "".
    [[nodiscard]] QStringList listValue(QStringView key) const;
    /// The value fit to print: a secret as `***`, a URL without its password (SEC-4).
    [[nodiscard]] QString displayValue(QStringView key) const;

    [[nodiscard]] SettingSource source(QStringView key) const;
    /// The source as CFG-3 names it: `file PATH`, `env NAME`, `cli OPTION`, `runtime`, `default`.
    [[nodiscard]] QString origin(QStringView key) const;
    /// Every key with its value and source, sorted by key.
    [[nodiscard]] QList<SettingRow> rows() const;
    /// Non-fatal findings of load(), for the caller to print: unknown `GAPLESS_*` variables,
    /// failpoints set but disabled (OBS-6), a config holding secrets readable by others (SEC-5).
    [[nodiscard]] const QStringList &warnings() const { return m_warnings; }
    /// The INI file that was read, or empty if none was.
    [[nodiscard]] const QString &configFile() const { return m_configFile; }

    /// Changes a `*` key on a running core (CFG-4); source becomes `runtime`, nothing is saved.
    /// Unknown key or bad value → bad_request; a key without `*` → conflict.
    [[nodiscard]] Result<void> setRuntime(QStringView key, const QString &value);

private:
    struct Entry
    {
        QString value;
        SettingSource source = SettingSource::Default;
        QString origin; ///< `file PATH`, `env NAME`, `cli OPTION`, `runtime` or `default`
    };

    Settings() = default;
    [[nodiscard]] Entry entry(QStringView key) const;
    [[nodiscard]] Result<void> assign(const SettingSpec &spec, const QString &value, SettingSource source,
                                      const QString &origin);
    [[nodiscard]] Result<void> readFile(const SettingsSources &sources);
    [[nodiscard]] Result<void> readEnvironment(const QHash<QString, QString> &environment);
    [[nodiscard]] Result<void> readCommandLine(const QList<CliSetting> &cli);

    QHash<QString, Entry> m_entries;
    QHash<QString, QString> m_defaults;
    QStringList m_warnings;
    QString m_configFile;
};

} // namespace gapless
