#pragma once

#include "core/repair/daybucket.h"
#include "core/repair/sourcefetcher.h"

#include <QJsonObject>

namespace gapless::repair {

/// One day bucket compared (REP-3, REP-4); the diff is filled only when the checksums differ.
struct BucketReport
{
    DaySpan span;
    qint64 localCount = 0;
    qint64 sourceCount = 0;
    QString localSha256;
    QString sourceSha256;
    BucketDiff diff;

    [[nodiscard]] bool equal() const { return localSha256 == sourceSha256; }
};

/// What a verify found over its range (REP-5).
struct VerifyReport
{
    QList<BucketReport> buckets;
    qint64 rowsLocal = 0;
    qint64 rowsSource = 0;
    qint64 sourceRejected = 0;
    QStringList rejectedMessages;

    [[nodiscard]] qint64 differing() const;
    /// REP-5, counts as integers, at most kMaxBuckets buckets then `truncated` (D-REP-3).
    [[nodiscard]] QJsonObject toJson() const;
};

inline constexpr qsizetype kMaxBuckets = 10000;

/// Hashes and, where they differ, diffs the day buckets of `spans`; `local` and `source` are
/// ascending rows of the whole range.
[[nodiscard]] VerifyReport compareBuckets(const QList<DaySpan> &spans, const CandleList &local,
                                          const SourceRows &source);

/// The days a REP-5 result names as differing, for the verify_job_id form of repair (REP-6).
[[nodiscard]] Result<QList<QString>> differingDays(const QJsonObject &verifyResult);

} // namespace gapless::repair
