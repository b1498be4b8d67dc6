#pragma once

#include <QString>

namespace gapless::test {

/// Absolute path of a file under tests/data.
QString dataFile(const QString &relative);
/// Path of the gapless executable built with the tests.
QString gaplessBinary();

} // namespace gapless::test
