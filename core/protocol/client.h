#pragma once

#include "core/domain/candle.h"
#include "core/domain/error.h"
#include "core/domain/seriesid.h"
#include "core/protocol/protocolversion.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QWebSocket;

namespace gapless::protocol {

/// How a Client connects and retries (PROTO-29). `random` returns u in [0, 1); tests inject
/// a fixed sequence, the default is QRandomGenerator::global().
struct ClientOptions
{
    QUrl url;                   ///< ws://HOST:PORT/ws/market
    QString token;              ///< sent as `Authorization: Bearer T` when set (SEC-1)
    int reconnectBaseMs = 500;  ///< client.reconnect_base_ms
    int reconnectCapMs = 30000; ///< client.reconnect_cap_ms
    int pingIntervalMs = 20000;
    int silenceTimeoutMs = 60000;
    int stableAfterMs = 10000;  ///< a connection up this long resets the failure count
    std::function<double()> random;
};

/// PROTO-29: `min(cap, base * 2^n) * (0.5 + u / 2)`, n = failures since a stable connection.
[[nodiscard]] qint64 reconnectDelayMs(int failures, int baseMs, int capMs, double u);

/// The market-protocol client (PROTO-29..32); no GUI. Holds, per subscribed series, the closed
/// candles received so far in ascending order without duplicates, resubscribes from the
/// newest one after every reconnect and fetches ranges the server reports healed or rewritten.
/// Lives on one thread; every signal fires on it.
class Client final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)
public:
    enum class State { Disconnected, Connecting, Resyncing, Live };
    Q_ENUM(State)

    explicit Client(ClientOptions options, QObject *parent = nullptr);
    ~Client() override;

    /// Connects and keeps reconnecting until close().
    void open();
    /// Closes with 1000 and stops reconnecting.
    void close();
    /// Drops the connection as a network failure would; the client reconnects by its backoff.
    void abortConnection();

    [[nodiscard]] State state() const { return m_state; }

    /// PROTO-11: `since` null = the newest catchup_limit candles. Re-sent after each reconnect
    /// with the newest held closed time instead, when there is one (PROTO-30).
    void subscribe(const SeriesId &series, std::optional<qint64> since = std::nullopt);
    void unsubscribe(const SeriesId &series);
    void watch(WatchTopic topic, const std::optional<SeriesId> &series = std::nullopt);
    void unwatch(WatchTopic topic, const std::optional<SeriesId> &series = std::nullopt);
    /// Sends a command and returns its request_id; resultReceived() answers it. A command in
    /// flight when the connection drops is answered ok:false `unavailable` (PROTO-30).
    QString sendCommand(const QString &name, const QJsonObject &args = {},
                        const std::optional<QString> &idempotencyKey = std::nullopt);

    /// The closed candles held for `series`, ascending, no duplicates.
    [[nodiscard]] const CandleList &candles(const SeriesId &series) const;
    [[nodiscard]] QList<SeriesId> subscriptions() const;
    /// Whether the last `caught_up` of `series` has arrived on the current connection.
    [[nodiscard]] bool isCaughtUp(const SeriesId &series) const;
    /// No range fetch (PROTO-31, or an announced hole checked again after a reconnect) is
    /// running or waiting: with every series caught up, the held candles are complete.
    [[nodiscard]] bool isIdle() const;
    /// PROTO-31: closed candles dropped because one at or after their time was already held.
    [[nodiscard]] qint64 duplicatesDropped() const { return m_duplicatesDropped; }
    /// The last `hello` frame, empty before the first.
    [[nodiscard]] const QJsonObject &hello() const { return m_hello; }

signals:
    void stateChanged(gapless::protocol::Client::State state);
    void helloReceived(const QJsonObject &hello);
    /// A closed candle newly held (from candle_closed, candles_batch or a fetch merge).
    void candleClosed(const gapless::SeriesId &series, const gapless::Candle &candle);
    /// A batch newly held, ascending; candleClosed is not emitted for its candles.
    void candlesReceived(const gapless::SeriesId &series, const gapless::CandleList &candles);
    void candleForming(const gapless::SeriesId &series, const gapless::Candle &candle);
    void gapReceived(const gapless::SeriesId &series, qint64 expectedNextTime, qint64 actualTime, qint64 missingBars,
                     bool healed);
    /// A held range was replaced by a fetch after `gap healed:true` or `history_rewritten`,
    /// once its last page is merged. `fromTime`..`toTime` (inclusive open times) is the hole's
    /// bars or the rewritten range.
    void rangeMerged(const gapless::SeriesId &series, qint64 fromTime, qint64 toTime);
    /// The `caught_up` answering the last subscribe of `series` sent on this connection.
    void caughtUp(const gapless::SeriesId &series, const QJsonObject &data);
    void systemEvent(const QString &event, const QString &seriesId, const QString &message, const QJsonObject &data);
    void healthReceived(const QJsonObject &frame);
    void progressReceived(const QJsonObject &frame);
    void ingestErrorReceived(const QJsonObject &frame);
    void jobReceived(const QJsonObject &frame);
    void debugEventReceived(const QJsonObject &frame);
    /// The answer to sendCommand(): `data` if ok, else `error` with the error's own `data`
    /// (such as retry_after_ms) in `data`.
    void resultReceived(const QString &requestId, bool ok, const QJsonValue &data, const gapless::Error &error,
                        bool replayed);
    /// An `error` frame (PROTO-7): the frame it answers was rejected; the socket stays open.
    void errorReceived(const gapless::Error &error, const QString &seriesId, const QString &requestId);
    /// The connection dropped; the next attempt starts in `delayMs`, after `failures` failed
    /// attempts since a connection last stayed up stableAfterMs (PROTO-29).
    void reconnectScheduled(int failures, qint64 delayMs);

private:
    struct Private;
    struct WatchKey;

    void handleConnected();
    void handleDropped(const QString &reason, int failures, qint64 delayMs);
    void setState(State state);
    void updateSyncState();
    void sendFrame(const QJsonObject &frame);
    void sendWatch(MessageType type, const WatchKey &key);
    void failCommand(const QString &requestId, const QString &reason);

    void handleText(const QString &text);
    void handleCandles(MessageType type, const QJsonObject &frame);
    void acceptCandles(MessageType type, const QString &seriesId, const CandleList &candles);
    void handleGap(const QJsonObject &frame);
    void handleSystem(const QJsonObject &frame);
    void handleResult(const QJsonObject &frame);
    void handleError(const QJsonObject &frame);

    std::unique_ptr<Private> d;
    State m_state = State::Disconnected;
    QJsonObject m_hello;
    qint64 m_duplicatesDropped = 0;
};

} // namespace gapless::protocol
