#pragma once

#include "core/domain/error.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace gapless {

struct SettingSpec;

/// `HOST:PORT`; an IPv6 host is written `[ADDR]:PORT` and held without brackets.
struct HostPort
{
    QString host;
    quint16 port = 0;

    friend bool operator==(const HostPort &, const HostPort &) = default;
};

/// C-2: trimmed, any case, `1,true,yes,on` / `0,false,no,off`; anything else is no value.
[[nodiscard]] std::optional<bool> parseSettingBool(QStringView text);
/// Trimmed decimal `-?[0-9]+` that fits in 64 bits: no sign `+`, no exponent, no unit, no junk.
[[nodiscard]] std::optional<qint64> parseSettingInt(QStringView text);
/// C-2 list: comma-separated, items trimmed, "" (or blanks) is the empty list. Empty items are
/// kept so that validation can reject `a,,b`.
[[nodiscard]] QStringList parseSettingList(QStringView text);
/// `HOST:PORT` with PORT in [0, 65535]; the host is a name, an IPv4 or a bracketed IPv6 address.
[[nodiscard]] std::optional<HostPort> parseHostPort(QStringView text);

/// Whether `text` is a valid value of `spec` on its own (type and static range, CFG-3).
/// Ranges relative to another key are checked once all sources are merged (settingrules.h).
[[nodiscard]] bool isValidSettingValue(const SettingSpec &spec, QStringView text);

/// The value fit to print (SEC-4): a secret token as `***` when non-empty, a database URL
/// without its password; other values unchanged.
[[nodiscard]] QString displaySettingValue(const SettingSpec &spec, const QString &value);

/// The CFG-3 error: `setting <key> = "<value>" (from <origin>): expected <expectation>`, the
/// value redacted. `expectation` defaults to settingExpectation(spec).
[[nodiscard]] Error settingValueError(const SettingSpec &spec, const QString &value, const QString &origin,
                                      const QString &expectation = {});

} // namespace gapless
