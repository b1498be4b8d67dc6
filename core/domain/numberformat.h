#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace gapless {

/// The shortest decimal text that reads back as exactly `value` (CLI-10, REP-3, C-3).
/// Whole numbers below 2^53 in magnitude print as plain integers (`100000`, not `1e+05`);
/// other values print as std::to_chars does (`3020.96`, `1e-07`, `1e+21`). -0 prints `0`.
/// Non-finite values print as to_chars does (`nan`, `inf`, `-inf`); callers reject them first (DOM-6).
[[nodiscard]] QByteArray formatNumber(double value);

enum class NumberParse {
    Ok,
    Malformed, ///< not a decimal number: empty, spaces, `+`, hex, trailing characters (DOM-6 `malformed`)
    NotFinite, ///< `nan`, `inf`, `infinity` in any case, or too large for a double (DOM-6 `not_finite`)
};

struct ParsedNumber
{
    NumberParse status = NumberParse::Malformed;
    double value = 0; ///< meaningful only when status is Ok

    [[nodiscard]] bool ok() const { return status == NumberParse::Ok; }
};

/// Reads a decimal number: optional `-`, digits with an optional `.`, optional exponent
/// (`3485`, `-0.5`, `1e-07`, `5.`, `.5`). Everything formatNumber() writes for finite values reads
/// back exactly. Values too small for a double read as zero of the same sign.
[[nodiscard]] ParsedNumber parseNumber(QByteArrayView text);

} // namespace gapless
