#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/sources/binance/klinemessage.h"
#include "core/sources/binance/livegate.h"
#include "core/sources/binance/reconnectpolicy.h"

#include <QObject>
#include <QQueue>
#include <QUrl>

#include <functional>
#include <optional>

class QTimer;

namespace gapless {
class Clock;
}

namespace gapless::sources {

class BinanceRestClient;
class KlineConnection;
struct RestWindowResult;

/// The timings of a kline stream job (SRC-8..11), injectable so that tests can shorten them.
/// Every time below is measured on the job's Clock; only `pollIntervalMs` is real time.
struct KlineStreamOptions
{
    int catchUpCandles = 5000;      ///< empty store: bars fetched on connect (backfill.max_candles_per_request)
    int bufferLimit = 10000;        ///< messages held while catching up; one more restarts (SRC-10)
    qint64 pingIntervalMs = 20000;
    qint64 silenceTimeoutMs = 60000; ///< no frame at all (or no handshake): dead
    qint64 staleAfterMs = 4000;      ///< no kline message for longer: stale
    qint64 maxAgeMs = (23 * 60 + 45) * 60 * 1000; ///< then a new connection replaces this one
    qint64 healTimeoutMs = 10000;    ///< SRC-9: a held bar waits at most this long for REST
    qint64 stableAfterMs = 60000;    ///< live this long: the backoff's n starts again from 0
    qint64 banPauseMs = 300000;      ///< a handshake refused with 418 or 403
    int malformedLimit = 10;         ///< malformed messages within the window: reconnect
    qint64 malformedWindowMs = 60000;
    ReconnectPolicy::Options reconnect;
    int pollIntervalMs = 250;        ///< how often the job looks at its clock
};

/// The live kline stream of one 1m base series of Binance spot or futures (SRC-8..12).
///
/// It connects `{ws base}/ws/<symbol lower>@kline_1m`; on every (re)connect it catches up
/// (SRC-10): it buffers the stream, fetches (head, E(xnow)] by REST (an empty store: the last
/// `catchUpCandles` bars), hands those rows on, drains the buffer through the live gate
/// (SRC-9) and is live. Closed bars leave through candlesReceived(), source `live` from the
/// stream and `backfill` from REST, ascending and each once; forming bars only through
/// formingUpdated(). The job never writes to the store: its owner submits what it receives
/// to the ingest writer and tells it the head through `head`.
///
/// Connections: pings every 20 s, 60 s of silence is dead, > 4 s without a kline message is
/// stale; either reconnects after min(60 s, 1 s·2^n)·u, at most 250 connects per 5 min. At
/// 23 h 45 min of age or on `serverShutdown` a second connection opens and takes over once
/// it streams; the old one is closed once the new one brought a closed bar. Lives on the
/// thread of its BinanceRestClient.
class KlineStreamJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KlineStreamJob)
public:
    /// SRC-12.
    enum class State { Connecting, CatchingUp, Live, Stale, Backoff, Banned };
    Q_ENUM(State)

    /// The newest stored time of the series, if any; called on the job's thread.
    using HeadFunction = std::function<std::optional<qint64>()>;

    /// `series` is a binance spot or futures 1m series; `wsBase` its market's
    /// `source.binance_*_ws`; `random` returns values in [0, 1) for the backoff. `rest` and
    /// `clock` outlive the job.
    KlineStreamJob(const SeriesId &series, const QString &wsBase, BinanceRestClient &rest, const Clock &clock,
                   HeadFunction head, std::function<double()> random, KlineStreamOptions options = {},
                   QObject *parent = nullptr);
    ~KlineStreamJob() override;

    void start();
    /// Closes the connections; nothing is emitted afterwards.
    void stop();

    [[nodiscard]] const SeriesId &series() const { return m_series; }
    [[nodiscard]] QUrl streamUrl() const { return m_url; }
    /// SRC-12; `banned` also while the REST host of its market is under a 418 ban (SRC-6).
    [[nodiscard]] State state() const { return m_restBanned ? State::Banned : m_state; }
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// When the current connection last received a frame (clock ms); -1 without one.
    [[nodiscard]] qint64 lastFrameMs() const;
    /// Whether a REST catch-up or heal is under way.
    [[nodiscard]] bool isFetching() const { return m_catchUpRequest != 0 || m_healRequest != 0; }
    /// Connections opened so far, replacements included.
    [[nodiscard]] int connects() const { return m_connects; }

    /// `connecting`, `catching_up`, `live`, `stale`, `backoff`, `banned`.
    [[nodiscard]] static QString stateName(State state);

signals:
    void stateChanged(const gapless::SeriesId &series, gapless::sources::KlineStreamJob::State state);
    /// Closed bars for the pipeline, ascending, never one already handed on: `source` is
    /// `live` for stream bars, `backfill` for REST rows (catch-up and heals).
    void candlesReceived(const gapless::SeriesId &series, const gapless::CandleList &candles, const QString &source);
    /// The bar still forming, for the hub only (PROTO-23); never stored.
    void formingUpdated(const gapless::SeriesId &series, const gapless::Candle &candle);
    /// A message that failed its checks, dropped; for a journal row (step `fetch`).
    void messageRejected(const gapless::SeriesId &series, const QString &error, const QByteArray &message);
    /// A hole the gate could not heal within its time (SRC-9); the held bar went in anyway.
    void healFailed(const gapless::SeriesId &series, qint64 from, qint64 to, const QString &error);

private:
    // Connections (klinestreamjob.cpp).
    void connectPrimary();
    [[nodiscard]] KlineConnection *openConnection();
    void discard(KlineConnection *&connection, bool closeNormally);
    void onOpened(KlineConnection *connection);
    void onEnded(KlineConnection *connection, const QString &reason, int httpStatus);
    void onMessage(KlineConnection *connection, const QByteArray &bytes);
    void reject(KlineConnection *connection, const QString &error, const QByteArray &bytes);
    void fail(const QString &reason, State next = State::Backoff);
    [[nodiscard]] bool promoteStandby();
    void startRotation();
    void switchToStandby();
    void poll();
    [[nodiscard]] bool checkPrimary(qint64 now);
    void checkStandby(qint64 now);
    void setState(State state);
    void followRestBan(qint64 now);

    // Catch-up, gate and heals (klinestreamcatchup.cpp).
    void startCatchUp();
    void finishCatchUp();
    void abandonRequests();
    void onWindowFetched(const RestWindowResult &window);
    void onRangeFinished(quint64 request, const QStringList &errors);
    void drain(QList<KlineMessage> messages);
    void take(const KlineMessage &message);
    void releaseRipe();
    void pumpGate();
    void startHeal(qint64 from, qint64 to);
    void finishHeal(const QString &error);
    void emitStep(const LiveGate::Step &step);

    SeriesId m_series;
    QUrl m_url;
    BinanceRestClient &m_rest;
    const Clock &m_clock;
    HeadFunction m_head;
    KlineStreamOptions m_options;
    ReconnectPolicy m_policy;
    LiveGate m_gate;
    QTimer *m_poll;
    State m_state = State::Connecting;
    bool m_running = false;
    bool m_restBanned = false; ///< the REST host is banned (SRC-6): state() is `banned` meanwhile
    KlineConnection *m_primary = nullptr;
    KlineConnection *m_standby = nullptr;  ///< a replacement being opened (SRC-11)
    KlineConnection *m_retiring = nullptr; ///< the replaced one, until the new one brings a closed bar
    qint64 m_reconnectAtMs = 0;
    qint64 m_liveSinceMs = -1;
    qint64 m_rotateRetryAtMs = 0;
    int m_connects = 0;
    quint64 m_catchUpRequest = 0;
    quint64 m_healRequest = 0;
    qint64 m_healFrom = 0;
    qint64 m_healTo = 0;
    qint64 m_healStartedMs = 0;
    CandleList m_healRows;
    CandleList m_unripe;          ///< closed bars the clock does not yet see closed
    QQueue<qint64> m_malformedMs; ///< when recent malformed messages came
};

} // namespace gapless::sources
