#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <span>

namespace gapless {

/// How a setting's text is read and checked (CFG-3). Several kinds share a display name:
/// all the list kinds are shown as `list`, both network URL kinds as `url`.
enum class SettingType {
    Bool,          ///< C-2 truthy/falsy words, trimmed, any case
    Int,           ///< decimal integer in [min, max]
    String,        ///< free text of min..max characters
    Token,         ///< "" or >= min visible ASCII characters (server.access_token)
    StoreUrl,      ///< STORE-2: a path, sqlite:///ABS/PATH or postgresql://…
    HttpUrl,       ///< http(s)://HOST[:PORT][/PATH]
    WsUrl,         ///< ws(s)://HOST[:PORT][/PATH]
    HostPort,      ///< HOST:PORT, IPv6 as [ADDR]:PORT
    Enum,          ///< one of `choices`
    TimeframeList, ///< timeframes a 1m base rolls up to (DOM-11)
    SeriesList,    ///< series ids (DOM-1)
    PathList,      ///< directory paths
    OriginList,    ///< HTTP origins SCHEME://HOST[:PORT]
    PolicyList,    ///< SERIES=POLICY (REP-8)
    Failpoints,    ///< OBS-6 NAME[=COUNT|=PROB%] list
};

enum SettingFlag : unsigned {
    NoFlags = 0,
    Runtime = 1U << 0,        ///< `*` in SPEC: changeable on a running core (CFG-4)
    Secret = 1U << 1,         ///< never printed in full (SEC-4)
    AppDataDefault = 1U << 2, ///< default is <AppDataLocation>/gapless.db, resolved at load
};

/// One row of the settings table (CFG-5 plus the part 2 and part 3 additions).
struct SettingSpec
{
    QStringView key; ///< `section.key`, the one name used everywhere
    SettingType type = SettingType::String;
    QStringView defaultValue; ///< as text, exactly as SPEC gives it
    qint64 min = 0;           ///< Int: smallest value; String/Token: fewest characters
    qint64 max = 0;           ///< Int: largest value; String: most characters
    QStringView choices;      ///< Enum: allowed words, comma-separated
    unsigned flags = NoFlags;
    QStringView meaning;      ///< one line, with the SPEC ID that uses it
    QStringView serveDefault; ///< non-empty: the default under `gapless serve` (CLI-14)
    /// Int whose bound depends on another key: the range as CFG-5 writes it, shown instead of
    /// [min, max]; min/max are then only the bounds that key's own range implies.
    QStringView relativeRange;

    [[nodiscard]] bool isRuntime() const { return flags & Runtime; }
    [[nodiscard]] bool isSecret() const { return flags & Secret; }
    [[nodiscard]] QStringView section() const { return key.first(key.indexOf(u'.')); }
};

/// Every setting, grouped by section in SPEC order.
[[nodiscard]] std::span<const SettingSpec> settingSpecs();
/// The row for `key`, or nullptr if there is no such setting.
[[nodiscard]] const SettingSpec *findSettingSpec(QStringView key);
/// `GAPLESS_<SECTION>_<KEY>` upper-cased (CFG-2): store.busy_timeout_ms → GAPLESS_STORE_BUSY_TIMEOUT_MS.
[[nodiscard]] QString settingEnvName(QStringView key);
/// The sections, in table order.
[[nodiscard]] QStringList settingSections();
/// The keys of one section, in table order.
[[nodiscard]] QStringList settingKeysInSection(QStringView section);

/// The `<type>` of a CFG-3 message: bool, int, string, url, host:port, enum, list, failpoints.
[[nodiscard]] QString settingTypeName(SettingType type);
/// The `<type> in <range>` of a CFG-3 message: `int in [0, 600000]`.
[[nodiscard]] QString settingExpectation(const SettingSpec &spec);

} // namespace gapless
