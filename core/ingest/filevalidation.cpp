#include "core/ingest/filevalidation.h"

#include "core/domain/candlevalidator.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

QString notClosedDetail(const Candle &candle, Timeframe tf, qint64 now)
{
    return u"bar %1 closes at %2, after now (%3); expected closed bars only"_s.arg(candle.time)
        .arg(candle.time + tf.seconds())
        .arg(now);
}

} // namespace

FileValidation validateFile(const sources::ParsedFile &file, const ValidationRules &rules)
{
    FileValidation out;
    out.rows = file.rows.size() + file.errors.size();
    SequenceValidator validator(rules.timeframe);
    out.accepted.reserve(file.rows.size());
    bool sorted = true;
    for (const sources::ParsedRow &row : file.rows) {
        const std::optional<qint64> previous = validator.lastTime();
        const AnomalySet kinds = validator.check(row.candle);
        const bool closed = isClosed(row.candle, rules.timeframe, rules.nowSeconds);
        if (!rejects(kinds, rules.rejectSoftAnomalies) && closed) {
            for (const AnomalyKind kind : kinds)
                out.anomalies.append(AnomalyRow{row.line, row.candle.time, kind});
            if (!out.accepted.isEmpty() && row.candle.time < out.accepted.constLast().time)
                sorted = false;
            out.accepted.append(row.candle);
            continue;
        }
        RejectedRow rejected{row.line, row.candle.time, {}, {}};
        QStringList details;
        for (const AnomalyKind kind : kinds) {
            if (!isRejectKind(kind) && !rules.rejectSoftAnomalies)
                continue;
            rejected.reasons << anomalyKindName(kind);
            details << anomalyDetail(kind, row.candle, rules.timeframe, previous);
        }
        if (!closed) {
            rejected.reasons << u"not_closed"_s;
            details << notClosedDetail(row.candle, rules.timeframe, rules.nowSeconds);
        }
        rejected.detail = details.join(u"; "_s);
        out.rejected.append(rejected);
    }
    if (!sorted)
        std::sort(out.accepted.begin(), out.accepted.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });

    for (const sources::LineError &error : file.errors)
        out.rejected.append(RejectedRow{error.line, std::nullopt, {error.reason}, error.detail});
    std::stable_sort(out.rejected.begin(), out.rejected.end(),
                     [](const RejectedRow &a, const RejectedRow &b) { return a.line < b.line; });
    return out;
}

QString rejectedMessage(const QString &file, const RejectedRow &row)
{
    return u"%1:%2: %3"_s.arg(file).arg(row.line).arg(row.detail);
}

} // namespace gapless::ingest
