#include "core/protocol/rangefetches.h"

#include "core/protocol/clientframe.h"
#include "core/protocol/serverframes.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

QJsonObject RangeFetches::start(const Range &range)
{
    const QString requestId = u"fetch-%1"_s.arg(++m_lastNumber);
    m_inFlight.insert(requestId, range);
    const QJsonObject args{{u"series_id"_s, range.series.toString()},
                           {u"after"_s, static_cast<double>(range.after)},
                           {u"before"_s, static_cast<double>(range.before)},
                           {u"limit"_s, kPageLimit}};
    ClientFrame frame;
    frame.type = MessageType::Command;
    frame.requestId = requestId;
    frame.name = u"candles"_s;
    frame.args = args;
    return encodeClientFrame(frame);
}

std::optional<RangeFetches::Page> RangeFetches::take(const QJsonObject &result)
{
    const auto it = m_inFlight.constFind(result.value("request_id"_L1).toString());
    if (it == m_inFlight.cend())
        return std::nullopt;
    Page page{*it, {}, std::nullopt, std::nullopt};
    m_inFlight.erase(it);
    if (!result.value("ok"_L1).toBool()) {
        const QJsonObject error = result.value("error"_L1).toObject();
        page.error = u"candles %1: %2: %3"_s.arg(page.range.series.toString(), error.value("code"_L1).toString(),
                                                error.value("message"_L1).toString());
        return page;
    }
    const QJsonObject data = result.value("data"_L1).toObject();
    auto candles = candlesFromJson(data.value("candles"_L1));
    if (!candles) {
        page.error = u"candles %1: %2"_s.arg(page.range.series.toString(), candles.error().message);
        return page;
    }
    qint64 newest = page.range.after;
    for (const Candle &c : std::as_const(*candles)) {
        newest = std::max(newest, c.time);
        if (c.time > page.range.after && c.time < page.range.before)
            page.candles.append(c);
    }
    // A page that does not move forward would be asked for again forever.
    if (data.value("has_more"_L1).toBool() && newest > page.range.after && newest < page.range.before - 1) {
        Range rest = page.range;
        rest.after = newest;
        page.next = start(rest);
    }
    return page;
}

bool RangeFetches::cancel(const QString &requestId)
{
    return m_inFlight.remove(requestId);
}

void RangeFetches::suspend()
{
    m_suspended.append(m_inFlight.values());
    m_inFlight.clear();
}

QList<QJsonObject> RangeFetches::resume()
{
    QList<QJsonObject> frames;
    const QList<Range> ranges = std::exchange(m_suspended, {});
    for (const Range &range : ranges)
        frames.append(start(range));
    return frames;
}

void RangeFetches::forget(const QString &seriesId)
{
    m_inFlight.removeIf([&seriesId](const auto &entry) { return entry.value().series.toString() == seriesId; });
    m_suspended.removeIf([&seriesId](const Range &range) { return range.series.toString() == seriesId; });
}

} // namespace gapless::protocol
