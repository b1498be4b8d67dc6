#pragma once

#include "core/sources/parsedfile.h"

#include <QStringView>

#include <string_view>

namespace gapless::sources {

/// Times must lie in [0, kTimeLimit) seconds (DOM-6); 10^11 s is in the year 5138.
inline constexpr qint64 kTimeLimit = 100'000'000'000;

/// Parses one price or volume field with std::from_chars: optional `+` or `-`, decimal digits,
/// optional fraction and exponent, surrounding spaces ignored (`3485`, `1e+21`, `-0.5`).
/// A value below the smallest double reads as 0. On failure fills `error` (line left 0):
/// `not_finite` for NaN, Inf and overflow, `malformed` for anything else, naming `column`.
[[nodiscard]] bool parseNumberField(std::string_view text, QStringView column, double *value, LineError *error);

/// Parses a CSV `time` field (CLI-7): integer seconds, or ISO-8601 `YYYY-MM-DDTHH:MM:SS`
/// (`T` or a space; a fraction only if zero) with `Z` or `±HH:MM`, converted to UTC. The result
/// must lie in [0, kTimeLimit). On failure fills `error` as `malformed`, naming `column`.
[[nodiscard]] bool parseTimeField(std::string_view text, QStringView column, qint64 *time, LineError *error);

/// `text` without leading and trailing spaces.
[[nodiscard]] std::string_view trimSpaces(std::string_view text);

/// A `malformed` or `not_finite` line error (DOM-6) with `detail` and line 0.
[[nodiscard]] LineError malformedLine(const QString &detail);
[[nodiscard]] LineError notFiniteLine(const QString &detail);

} // namespace gapless::sources
