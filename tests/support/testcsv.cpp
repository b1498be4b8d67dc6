#include "tests/support/testcsv.h"

#include <QFile>

namespace gapless::test {

CandleList readPlainCsv(const QString &path)
{
    CandleList out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    file.readLine(); // header
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> f = line.split(',');
        if (f.size() != 6)
            qFatal("%s: bad test line %s", qPrintable(path), line.constData());
        out.append(Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(),
                          f[5].toDouble()});
    }
    return out;
}

} // namespace gapless::test
