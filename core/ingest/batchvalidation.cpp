#include "core/ingest/batchvalidation.h"

#include "core/domain/candlevalidator.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

BatchValidation validateBatch(const CandleList &batch, Timeframe timeframe, qint64 nowSeconds, bool rejectSoftAnomalies)
{
    BatchValidation out;
    out.accepted.reserve(batch.size());
    SequenceValidator validator(timeframe);
    bool sorted = true;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const Candle &c = batch.at(i);
        const bool finite = std::isfinite(c.open) && std::isfinite(c.high) && std::isfinite(c.low)
                         && std::isfinite(c.close) && std::isfinite(c.volume);
        QStringList reasons;
        if (!finite) {
            reasons << u"not_finite"_s; // DOM-6: not a row for DOM-7
        } else {
            const AnomalySet kinds = validator.check(c);
            if (rejects(kinds, rejectSoftAnomalies)) {
                for (const AnomalyKind kind : kinds) {
                    if (isRejectKind(kind) || rejectSoftAnomalies)
                        reasons << anomalyKindName(kind);
                }
            }
            if (!isClosed(c, timeframe, nowSeconds))
                reasons << u"not_closed"_s;
            if (reasons.isEmpty()) {
                out.anomalies += kinds.size();
                if (!out.accepted.isEmpty() && c.time < out.accepted.constLast().time)
                    sorted = false;
                out.accepted.append(c);
                continue;
            }
        }
        out.rejected.append(c);
        QJsonObject item{{u"index"_s, i}, {u"reasons"_s, QJsonArray::fromStringList(reasons)}};
        if (finite)
            item.insert(u"time"_s, c.time);
        out.rejectedJson.append(item);
    }
    if (!sorted)
        std::sort(out.accepted.begin(), out.accepted.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    return out;
}

} // namespace gapless::ingest
