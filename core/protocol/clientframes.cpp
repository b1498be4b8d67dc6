// Client: what each server frame does to the held candles and the subscriptions (PROTO-29..31).
#include "core/protocol/client.h"

#include "core/protocol/candletext.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/clientprivate.h"
#include "core/protocol/serverframes.h"
#include "core/runtime/logging.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

// Holes closer than this many bars are fetched again as one range after a reconnect.
constexpr qint64 kHoleFetchBars = 5000;

Error errorFromJson(const QJsonObject &json)
{
    Error error{ErrorCode::Internal, json.value("message"_L1).toString()};
    if (!errorCodeFromName(json.value("code"_L1).toString(), &error.code))
        error.code = ErrorCode::Internal;
    return error;
}

} // namespace

void Client::handleText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // A catch-up's batch is read in one pass (PERF-4); every other frame through the codec.
    if (auto batch = candletext::readCandlesBatch(utf8)) {
        acceptCandles(MessageType::CandlesBatch, batch->seriesId, batch->candles);
        return;
    }
    const auto frame = decodeServerFrame(utf8);
    if (!frame) {
        qCWarning(lcProtocol) << "client: ignored a frame:" << frame.error().message;
        return;
    }
    const QJsonObject &json = frame->json;
    switch (frame->type) {
    case MessageType::Hello:
        m_hello = json;
        emit helloReceived(json);
        break;
    case MessageType::CandleClosed:
    case MessageType::CandleForming:
    case MessageType::CandlesBatch:
        handleCandles(frame->type, json);
        break;
    case MessageType::Gap:
        handleGap(json);
        break;
    case MessageType::Health:
        emit healthReceived(json);
        break;
    case MessageType::Progress:
        emit progressReceived(json);
        break;
    case MessageType::IngestError:
        emit ingestErrorReceived(json);
        break;
    case MessageType::Job:
        emit jobReceived(json);
        break;
    case MessageType::DebugEvent:
        emit debugEventReceived(json);
        break;
    case MessageType::Result:
        handleResult(json);
        break;
    case MessageType::System:
        handleSystem(json);
        break;
    case MessageType::Error:
        handleError(json);
        break;
    default: // decodeServerFrame refuses client frame types
        break;
    }
}

void Client::handleCandles(MessageType type, const QJsonObject &frame)
{
    const bool batch = type == MessageType::CandlesBatch;
    const auto candles = candlesFromJson(batch ? frame.value("candles"_L1) : QJsonArray{frame.value("candle"_L1)});
    if (!candles) {
        qCWarning(lcProtocol) << "client: ignored a" << messageTypeName(type) << "frame:" << candles.error().message;
        return;
    }
    acceptCandles(type, frame.value("series_id"_L1).toString(), *candles);
}

void Client::acceptCandles(MessageType type, const QString &seriesId, const CandleList &candles)
{
    auto *entry = d->subscriptions.active(seriesId);
    if (!entry)
        return;
    const SeriesId series = entry->series;
    if (type == MessageType::CandleForming) {
        emit candleForming(series, candles.constFirst());
        return;
    }
    CandleList added;
    added.reserve(candles.size());
    for (const Candle &candle : candles) {
        if (entry->held.append(candle))
            added.append(candle);
        else
            ++m_duplicatesDropped;
    }
    if (added.size() < candles.size())
        qCDebug(lcProtocol) << "client:" << series.toString() << "dropped" << candles.size() - added.size()
                            << "closed candles at or before the newest held";
    if (added.isEmpty())
        return;
    if (type == MessageType::CandlesBatch)
        emit candlesReceived(series, added);
    else
        emit candleClosed(series, added.constFirst());
}

void Client::handleGap(const QJsonObject &frame)
{
    auto *entry = d->subscriptions.active(frame.value("series_id"_L1).toString());
    if (!entry)
        return;
    const SeriesId series = entry->series;
    const qint64 expected = frame.value("expected_next_time"_L1).toInteger();
    const qint64 actual = frame.value("actual_time"_L1).toInteger();
    const bool healed = frame.value("healed"_L1).toBool();
    const qint64 missing = frame.value("missing_bars"_L1).toInteger();
    if (!healed)
        entry->openHoles.insert(expected, actual);
    else if (missing == 0)
        entry->openHoles.remove(expected);
    if (healed) {
        // PROTO-31: the bar before the hole bounds the fetch; both bounds are exclusive.
        const qint64 tf = series.timeframe().seconds();
        sendFrame(d->fetches.start({series, expected - tf, actual, expected, std::max(expected, actual - tf)}));
    }
    emit gapReceived(series, expected, actual, missing, healed);
}

void Client::handleSystem(const QJsonObject &frame)
{
    const QString event = frame.value("event"_L1).toString();
    const QString seriesId = frame.value("series_id"_L1).toString();
    const QJsonObject data = frame.value("data"_L1).toObject();
    std::optional<SeriesId> caughtUpSeries;
    if (event == "caught_up"_L1) {
        if (d->subscriptions.acknowledge(seriesId)) {
            auto *entry = d->subscriptions.active(seriesId);
            caughtUpSeries = entry->series;
            // Rows may have filled announced holes while the client was away; the server
            // never re-sends below the cursor (PROTO-12), so fetch those holes again.
            if (entry->recheckHoles) {
                const qint64 tf = entry->series.timeframe().seconds();
                for (const auto &[expected, actual] : SeriesSubscriptions::holeRanges(*entry, kHoleFetchBars))
                    sendFrame(d->fetches.start({entry->series, expected - tf, actual, expected, actual - tf}));
            }
        }
    } else if (event == "unsubscribed"_L1) {
        if (d->subscriptions.acknowledgeUnsubscribe(seriesId))
            d->fetches.forget(seriesId);
    } else if (event == "history_rewritten"_L1) {
        qint64 from = data.value("from_time"_L1).toInteger(-1);
        qint64 to = data.value("to_time"_L1).toInteger(-1);
        const auto *entry = d->subscriptions.active(seriesId);
        // Only the part inside the held range matters: the client keeps what it has, from its
        // first candle on (PROTO-32). Exclusive bounds one second outside, so both ends are read.
        if (entry && !entry->held.list().isEmpty()) {
            from = std::max(from, entry->held.list().constFirst().time);
            to = std::min(to, entry->held.list().constLast().time);
        }
        if (entry && from >= 0 && to >= from)
            sendFrame(d->fetches.start({entry->series, from - 1, to + 1, from, to}));
    }
    if (caughtUpSeries)
        emit caughtUp(*caughtUpSeries, data);
    updateSyncState();
    emit systemEvent(event, seriesId, frame.value("message"_L1).toString(), data);
}

void Client::handleResult(const QJsonObject &frame)
{
    if (const auto page = d->fetches.take(frame)) {
        auto *entry = d->subscriptions.active(page->range.series.toString());
        if (!entry)
            return;
        if (page->error) {
            qCWarning(lcProtocol) << "client: range fetch failed:" << *page->error;
            return;
        }
        if (page->next)
            sendFrame(*page->next);
        const auto outcome = entry->held.merge(page->candles);
        const SeriesId series = page->range.series;
        for (const Candle &candle : outcome.inserted)
            emit candleClosed(series, candle);
        if (!page->next)
            emit rangeMerged(series, page->range.fromTime, page->range.toTime);
        return;
    }
    const QString requestId = frame.value("request_id"_L1).toString();
    d->pendingCommands.removeOne(requestId);
    const bool ok = frame.value("ok"_L1).toBool();
    const QJsonObject error = frame.value("error"_L1).toObject();
    // A failure's `data` (retry_after_ms …) travels in the data argument; Error has no room for it.
    emit resultReceived(requestId, ok, ok ? frame.value("data"_L1) : error.value("data"_L1),
                        ok ? Error{} : errorFromJson(error), frame.value("replayed"_L1).toBool());
}

void Client::handleError(const QJsonObject &frame)
{
    const QString seriesId = frame.value("series_id"_L1).toString();
    const QString requestId = frame.value("request_id"_L1).toString();
    if (!seriesId.isEmpty())
        d->subscriptions.reject(seriesId);
    if (!requestId.isEmpty() && !d->fetches.cancel(requestId))
        d->pendingCommands.removeOne(requestId);
    updateSyncState();
    emit errorReceived(errorFromJson(frame), seriesId, requestId);
}

} // namespace gapless::protocol
