#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QJsonArray;
class QJsonObject;
class QJsonValue;

namespace gapless {

/// The canonical JSON text of a value (C-3), as stored and compared: object keys sorted by
/// their UTF-8 bytes, no spaces, whole numbers that fit qint64 as integers (`1718328600000`,
/// `1.0` → `1`), other numbers in shortest round-trip form (formatNumber), non-ASCII as raw
/// UTF-8, and only `"`, `\` and control characters escaped (`\n`, `\u001f`). Non-finite
/// numbers and undefined values, which JSON cannot hold, are written as `null`.
[[nodiscard]] QByteArray canonicalJson(const QJsonValue &value);
[[nodiscard]] QByteArray canonicalJson(const QJsonObject &object);
[[nodiscard]] QByteArray canonicalJson(const QJsonArray &array);

/// Lower-case hex SHA-256 of `data` (IDEM-3, FAC-5, REP-3).
[[nodiscard]] QByteArray sha256Hex(QByteArrayView data);

} // namespace gapless
