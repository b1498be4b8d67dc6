#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"

#include <QHash>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace gapless::protocol {

/// The `candles` commands a Client sends on its own to re-read a range the server reported
/// healed or rewritten (PROTO-31), page by page while `has_more`. Builds and reads frames and
/// never sees a socket; its request ids (`fetch-N`) never reach resultReceived().
class RangeFetches
{
public:
    static constexpr int kPageLimit = 5000;

    /// The candles strictly between `after` and `before`; `fromTime`..`toTime` is what
    /// Client::rangeMerged reports once the last page is in.
    struct Range
    {
        SeriesId series;
        qint64 after = 0;
        qint64 before = 0;
        qint64 fromTime = 0;
        qint64 toTime = 0;
    };

    /// One answered request: the candles inside its range, or why there are none, and the
    /// command for the next page when the server has more.
    struct Page
    {
        Range range;
        CandleList candles;
        std::optional<QString> error; ///< why the fetch ended without its candles
        std::optional<QJsonObject> next;
    };

    /// Registers a fetch and returns its command frame.
    [[nodiscard]] QJsonObject start(const Range &range);
    /// Takes a `result` frame answering one of these fetches; nullopt if it answers another request.
    [[nodiscard]] std::optional<Page> take(const QJsonObject &result);
    /// Ends the fetch `requestId` names, rejected by an `error` frame; false if none does.
    bool cancel(const QString &requestId);
    /// The connection dropped: the fetches in flight wait for resume().
    void suspend();
    /// The command frames that restart every suspended fetch, from the page it had reached.
    [[nodiscard]] QList<QJsonObject> resume();
    /// Fetches in flight or waiting for a connection.
    [[nodiscard]] qsizetype pending() const { return m_inFlight.size() + m_suspended.size(); }
    /// Drops the fetches of an unsubscribed series.
    void forget(const QString &seriesId);

private:
    QHash<QString, Range> m_inFlight;
    QList<Range> m_suspended;
    qint64 m_lastNumber = 0;
};

} // namespace gapless::protocol
