#include "tests/support/testenv.h"

#include <QDir>
#include <QFile>

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

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace gapless::test
