#include "core/runtime/settings.h"

#include "core/runtime/inifile.h"
#include "core/runtime/redact.h"
#include "core/runtime/settingrules.h"
#include "core/runtime/settingspec.h"
#include "core/runtime/settingvalue.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

constexpr std::array<std::pair<QStringView, QStringView>, 4> kCliOptions{{
    {u"--db", u"store.url"},
    {u"--listen", u"server.listen"},
    {u"--token", u"server.access_token"},
    {u"--node-id", u"runtime.node_id"},
}};

// Set by the test harness (tests/CMakeLists.txt) for every test and the binaries they start;
// they are not settings, and warning about them would drown real typos.
bool isHarnessVariable(const QString &name)
{
    return name.startsWith(u"GAPLESS_TEST_"_s) || name == u"GAPLESS_BIN"_s;
}

QString unknownKeyProblem(QStringView key)
{
    const qsizetype dot = key.indexOf(u'.');
    const QStringList keys = dot > 0 ? settingKeysInSection(key.first(dot)) : QStringList();
    if (keys.isEmpty())
        return u"unknown setting %1; expected section.key with section one of %2"_s.arg(
            key, settingSections().join(u", "_s));
    return u"unknown setting %1; expected one of %2"_s.arg(key, keys.join(u", "_s));
}

QString unknownEnvWarning(const QString &name)
{
    const QString section = name.sliced(8).section(u'_', 0, 0).toLower(); // after "GAPLESS_"
    QStringList names;
    for (const QString &key : settingKeysInSection(section))
        names << settingEnvName(key);
    if (names.isEmpty())
        return u"env %1: unknown setting, ignored; expected GAPLESS_<SECTION>_<KEY> with SECTION one of %2"_s.arg(
            name, settingSections().join(u", "_s).toUpper());
    return u"env %1: unknown setting, ignored; expected one of %2"_s.arg(name, names.join(u", "_s));
}

const SettingSpec *findByEnvName(const QString &name)
{
    for (const SettingSpec &spec : settingSpecs()) {
        if (settingEnvName(spec.key) == name)
            return &spec;
    }
    return nullptr;
}

// SEC-5: a config file holding secrets must be 0600. Returns the mode if it is wider.
std::optional<QString> widerThanOwnerMode(const QString &path)
{
    const QFileDevice::Permissions p = QFile::permissions(path);
    const auto bits = [&](QFileDevice::Permission r, QFileDevice::Permission w, QFileDevice::Permission x) {
        return (p.testFlag(r) ? 4 : 0) + (p.testFlag(w) ? 2 : 0) + (p.testFlag(x) ? 1 : 0);
    };
    const int group = bits(QFileDevice::ReadGroup, QFileDevice::WriteGroup, QFileDevice::ExeGroup);
    const int other = bits(QFileDevice::ReadOther, QFileDevice::WriteOther, QFileDevice::ExeOther);
    if (group == 0 && other == 0)
        return std::nullopt;
    const int owner = bits(QFileDevice::ReadOwner, QFileDevice::WriteOwner, QFileDevice::ExeOwner);
    return u"0%1%2%3"_s.arg(owner).arg(group).arg(other);
}

} // namespace

QJsonObject settingRowJson(const SettingRow &row)
{
    return QJsonObject{{u"key"_s, row.key},
                       {u"value"_s, row.value},
                       {u"default"_s, row.defaultValue},
                       {u"source"_s, settingSourceName(row.source)},
                       {u"rt"_s, row.runtime}};
}

QString settingSourceName(SettingSource source)
{
    switch (source) {
    case SettingSource::Default:
        return u"default"_s;
    case SettingSource::File:
        return u"file"_s;
    case SettingSource::Env:
        return u"env"_s;
    case SettingSource::Cli:
        return u"cli"_s;
    case SettingSource::Runtime:
        return u"runtime"_s;
    }
    return u"default"_s;
}

Settings Settings::defaults(SettingsProfile profile, const QString &dataDir)
{
    Settings settings;
    for (const SettingSpec &spec : settingSpecs()) {
        QString value = (profile == SettingsProfile::Serve && !spec.serveDefault.isEmpty())
                            ? spec.serveDefault.toString()
                            : spec.defaultValue.toString();
        if (spec.flags & AppDataDefault) {
            // Resolved here, not in the table: QStandardPaths needs the applicationName
            // that main() sets ("gapless"), and tests pass their own directory.
            const QString dir =
                dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dataDir;
            value = QDir(dir).filePath(u"gapless.db"_s);
        }
        settings.m_defaults.insert(spec.key.toString(), value);
        settings.m_entries.insert(spec.key.toString(), {value, SettingSource::Default, u"default"_s});
    }
    return settings;
}

Result<Settings> Settings::load(const SettingsSources &sources)
{
    Settings settings = defaults(sources.profile, sources.dataDir);
    if (auto read = settings.readFile(sources); !read)
        return read.error();
    if (auto read = settings.readEnvironment(sources.environment); !read)
        return read.error();
    if (auto read = settings.readCommandLine(sources.cli); !read)
        return read.error();
    if (auto checked = checkSettingRules(settings); !checked)
        return checked.error();
    if (!settings.stringValue(u"debug.failpoints").isEmpty() && !settings.boolValue(u"debug.enable_failpoints")) {
        settings.m_warnings
            << u"setting debug.failpoints = \"%1\" (from %2): ignored; expected debug.enable_failpoints = true"_s.arg(
                   settings.stringValue(u"debug.failpoints"), settings.origin(u"debug.failpoints"));
    }
    return settings;
}

QHash<QString, QString> Settings::systemEnvironment()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QHash<QString, QString> map;
    for (const QString &name : env.keys())
        map.insert(name, env.value(name));
    return map;
}

Result<void> Settings::assign(const SettingSpec &spec, const QString &value, SettingSource source,
                              const QString &origin)
{
    if (!isValidSettingValue(spec, value))
        return settingValueError(spec, value, origin);
    m_entries.insert(spec.key.toString(), {value.trimmed(), source, origin});
    return {};
}

Result<void> Settings::readFile(const SettingsSources &sources)
{
    QString path;
    if (sources.configFile) {
        path = *sources.configFile;
        if (!QFileInfo::exists(path))
            return Error::badRequest(u"--config %1: no such file; expected an existing INI file"_s.arg(path));
    } else {
        const QString dir = sources.configDir.isEmpty()
                                ? QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                                : sources.configDir;
        path = QDir(dir).filePath(u"gapless.ini"_s);
        if (!QFileInfo::exists(path))
            return {}; // CFG-1: no file, defaults
    }
    if (QFileInfo(path).isDir())
        return Error::badRequest(u"%1: is a directory; expected an INI file"_s.arg(path));
    const auto ini = IniFile::read(path);
    if (!ini)
        return ini.error();
    for (const IniFile::Section &section : ini->sections()) {
        if (settingKeysInSection(section.name).isEmpty())
            return Error::badRequest(u"%1:%2: unknown section [%3]; expected one of %4"_s.arg(
                path, QString::number(section.line), section.name, settingSections().join(u", "_s)));
    }
    const QString origin = u"file "_s + path;
    bool holdsSecret = false;
    for (const IniFile::Entry &item : ini->entries()) {
        const QString key = item.section + u'.' + item.key;
        const SettingSpec *spec = findSettingSpec(key);
        if (!spec)
            return Error::badRequest(u"%1:%2: %3"_s.arg(path, QString::number(item.line), unknownKeyProblem(key)));
        if (auto assigned = assign(*spec, item.value, SettingSource::File, origin); !assigned)
            return assigned;
        holdsSecret = holdsSecret || displaySettingValue(*spec, item.value) != item.value;
    }
    m_configFile = path;
    if (holdsSecret) {
        if (const auto mode = widerThanOwnerMode(path))
            m_warnings << u"%1: holds secrets but has mode %2; expected 0600"_s.arg(path, *mode);
    }
    return {};
}

Result<void> Settings::readEnvironment(const QHash<QString, QString> &environment)
{
    QStringList names = environment.keys();
    names.sort(); // one order for errors and warnings, whatever the hash does
    for (const QString &name : std::as_const(names)) {
        if (!name.startsWith(u"GAPLESS_"_s) || isHarnessVariable(name))
            continue;
        const SettingSpec *spec = findByEnvName(name);
        if (!spec) {
            m_warnings << unknownEnvWarning(name);
            continue;
        }
        if (auto assigned = assign(*spec, environment.value(name), SettingSource::Env, u"env "_s + name); !assigned)
            return assigned;
    }
    return {};
}

Result<void> Settings::readCommandLine(const QList<CliSetting> &cli)
{
    for (const CliSetting &item : cli) {
        const QString origin = u"cli "_s + item.option;
        if (item.option == u"--set") {
            const qsizetype eq = item.text.indexOf(u'=');
            if (eq < 0)
                return Error::badRequest(u"--set %1: no '='; expected --set section.key=value"_s.arg(item.text));
            const QString key = item.text.first(eq).trimmed();
            const SettingSpec *spec = findSettingSpec(key);
            if (!spec)
                return Error::badRequest(u"--set: "_s + unknownKeyProblem(key));
            if (auto assigned = assign(*spec, item.text.sliced(eq + 1), SettingSource::Cli, origin); !assigned)
                return assigned;
            continue;
        }
        const auto option = std::find_if(kCliOptions.begin(), kCliOptions.end(),
                                         [&](const auto &pair) { return pair.first == item.option; });
        if (option == kCliOptions.end())
            return Error::internal(
                u"%1: not a settings option; expected --set, --db, --listen, --token or --node-id"_s.arg(item.option));
        if (auto assigned = assign(*findSettingSpec(option->second), item.text, SettingSource::Cli, origin); !assigned)
            return assigned;
    }
    return {};
}

Settings::Entry Settings::entry(QStringView key) const
{
    const auto it = m_entries.constFind(key.toString());
    Q_ASSERT_X(it != m_entries.cend(), "Settings", "unknown setting key");
    return it == m_entries.cend() ? Entry{} : *it;
}

bool Settings::boolValue(QStringView key) const
{
    return parseSettingBool(entry(key).value).value_or(false);
}

qint64 Settings::intValue(QStringView key) const
{
    return parseSettingInt(entry(key).value).value_or(0);
}

QString Settings::stringValue(QStringView key) const
{
    return entry(key).value;
}

QStringList Settings::listValue(QStringView key) const
{
    return parseSettingList(entry(key).value);
}

QString Settings::displayValue(QStringView key) const
{
    const SettingSpec *spec = findSettingSpec(key);
    return spec ? displaySettingValue(*spec, entry(key).value) : QString();
}

SettingSource Settings::source(QStringView key) const
{
    return entry(key).source;
}

QString Settings::origin(QStringView key) const
{
    return entry(key).origin;
}

QList<SettingRow> Settings::rows() const
{
    QList<SettingRow> rows;
    for (const SettingSpec &spec : settingSpecs()) {
        const QString key = spec.key.toString();
        const Entry e = m_entries.value(key);
        rows.append({key, displaySettingValue(spec, e.value), displaySettingValue(spec, m_defaults.value(key)),
                     e.source, spec.isRuntime()});
    }
    std::sort(rows.begin(), rows.end(), [](const SettingRow &a, const SettingRow &b) { return a.key < b.key; });
    return rows;
}

Result<void> Settings::setRuntime(QStringView key, const QString &value)
{
    const SettingSpec *spec = findSettingSpec(key);
    if (!spec)
        return Error::badRequest(u"runtime: "_s + unknownKeyProblem(key));
    if (!spec->isRuntime())
        return Error::conflict(
            u"setting %1: needs a restart to change; expected a key marked * (runtime-changeable)"_s.arg(key));
    const Entry previous = entry(key);
    if (auto assigned = assign(*spec, value, SettingSource::Runtime, u"runtime"_s); !assigned)
        return assigned;
    if (auto checked = checkSettingRules(*this, key); !checked) {
        m_entries.insert(key.toString(), previous);
        return checked;
    }
    return {};
}

} // namespace gapless
