#pragma once

#include <QString>

namespace gapless::test {

/// Absolute path of a file under tests/data.
QString dataFile(const QString &relative);
/// Path of the gapless executable built with the tests.
QString gaplessBinary();
/// Writes `bytes` to `path` (replacing it); false if that failed.
[[nodiscard]] bool writeFile(const QString &path, const QByteArray &bytes);
/// The bytes of `path`, or empty if it cannot be read.
QByteArray readFile(const QString &path);

} // namespace gapless::test
