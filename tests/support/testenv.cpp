#include "tests/support/testenv.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace gapless::test {

QString dataFile(const QString &relative)
{
    return QDir(qEnvironmentVariable("GAPLESS_TEST_DATA")).filePath(relative);
}

QString gaplessBinary()
{
    return qEnvironmentVariable("GAPLESS_BIN");
}

} // namespace gapless::test
