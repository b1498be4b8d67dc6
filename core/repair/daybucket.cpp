#include "core/repair/daybucket.h"

#include "core/domain/numberformat.h"

#include <QCryptographicHash>
#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::repair {

namespace {

qint64 floorDay(qint64 t)
{
    const qint64 q = t / kDaySeconds;
    return (t % kDaySeconds < 0 ? q - 1 : q) * kDaySeconds;
}

} // namespace

QString DaySpan::name() const
{
    return QDateTime::fromSecsSinceEpoch(floorDay(from), Qt::UTC).toString(u"yyyy-MM-dd"_s);
}

QList<DaySpan> daySpans(qint64 from, qint64 to)
{
    QList<DaySpan> spans;
    for (qint64 start = from; start < to;) {
        const qint64 end = std::min(floorDay(start) + kDaySeconds, to);
        spans.append(DaySpan{start, end});
        start = end;
    }
    return spans;
}

QByteArray checksumLine(const Candle &candle)
{
    QByteArray line = QByteArray::number(candle.time);
    for (const double v : {candle.open, candle.high, candle.low, candle.close, candle.volume}) {
        line += ',';
        line += formatNumber(v);
    }
    line += '\n';
    return line;
}

QString bucketChecksum(const CandleList &rows)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Candle &c : rows)
        hash.addData(checksumLine(c));
    return QString::fromLatin1(hash.result().toHex());
}

BucketDiff diffRows(const CandleList &local, const CandleList &source)
{
    BucketDiff diff;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < local.size() || j < source.size()) {
        if (j == source.size() || (i < local.size() && local.at(i).time < source.at(j).time)) {
            diff.extra.append(local.at(i++).time);
        } else if (i == local.size() || source.at(j).time < local.at(i).time) {
            diff.missing.append(source.at(j++).time);
        } else {
            if (!(local.at(i) == source.at(j)))
                diff.differ.append(local.at(i).time);
            ++i;
            ++j;
        }
    }
    return diff;
}

CandleList rowsIn(const CandleList &rows, qint64 from, qint64 to)
{
    const auto byTime = [](const Candle &c, qint64 t) { return c.time < t; };
    const auto first = std::lower_bound(rows.cbegin(), rows.cend(), from, byTime);
    const auto last = std::lower_bound(first, rows.cend(), to, byTime);
    return CandleList(first, last);
}

} // namespace gapless::repair
