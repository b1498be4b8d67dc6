#include "core/repair/verifyreport.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::repair {

qint64 VerifyReport::differing() const
{
    return std::count_if(buckets.cbegin(), buckets.cend(), [](const BucketReport &b) { return !b.equal(); });
}

QJsonObject VerifyReport::toJson() const
{
    QJsonArray list;
    for (qsizetype i = 0; i < std::min(kMaxBuckets, buckets.size()); ++i) {
        const BucketReport &b = buckets.at(i);
        list.append(QJsonObject{{u"day"_s, b.span.name()},
                                {u"local_count"_s, double(b.localCount)},
                                {u"source_count"_s, double(b.sourceCount)},
                                {u"missing"_s, double(b.diff.missing.size())},
                                {u"extra"_s, double(b.diff.extra.size())},
                                {u"differ"_s, double(b.diff.differ.size())},
                                {u"local_sha256"_s, b.localSha256},
                                {u"source_sha256"_s, b.sourceSha256}});
    }
    const qint64 differ = differing();
    return QJsonObject{{u"buckets_total"_s, double(buckets.size())},
                       {u"buckets_equal"_s, double(buckets.size() - differ)},
                       {u"buckets_differ"_s, double(differ)},
                       {u"rows_local"_s, double(rowsLocal)},
                       {u"rows_source"_s, double(rowsSource)},
                       {u"source_rejected"_s, double(sourceRejected)},
                       {u"source_rejected_messages"_s, QJsonArray::fromStringList(rejectedMessages)},
                       {u"buckets"_s, list},
                       {u"truncated"_s, buckets.size() > kMaxBuckets}};
}

VerifyReport compareBuckets(const QList<DaySpan> &spans, const CandleList &local, const SourceRows &source)
{
    VerifyReport report;
    report.rowsLocal = local.size();
    report.rowsSource = source.rows.size();
    report.sourceRejected = source.rejected;
    report.rejectedMessages = source.rejectedMessages;
    report.buckets.reserve(spans.size());
    for (const DaySpan &span : spans) {
        BucketReport b;
        b.span = span;
        const CandleList mine = rowsIn(local, span.from, span.to);
        const CandleList theirs = rowsIn(source.rows, span.from, span.to);
        b.localCount = mine.size();
        b.sourceCount = theirs.size();
        b.localSha256 = bucketChecksum(mine);
        b.sourceSha256 = bucketChecksum(theirs);
        if (!b.equal())
            b.diff = diffRows(mine, theirs);
        report.buckets.append(b);
    }
    return report;
}

Result<QList<QString>> differingDays(const QJsonObject &verifyResult)
{
    if (!verifyResult.value(u"buckets"_s).isArray())
        return Error::badRequest(u"verify result: no buckets; expected a REP-5 result"_s);
    if (verifyResult.value(u"truncated"_s).toBool())
        return Error::badRequest(u"verify result: truncated at %1 buckets; expected a range of at most %1 days, or "
                                 u"the range form of repair"_s.arg(kMaxBuckets));
    QList<QString> days;
    for (const QJsonValue &v : verifyResult.value(u"buckets"_s).toArray()) {
        const QJsonObject b = v.toObject();
        if (b.value(u"local_sha256"_s).toString() != b.value(u"source_sha256"_s).toString())
            days.append(b.value(u"day"_s).toString());
    }
    return days;
}

} // namespace gapless::repair
