#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"
#include "core/sources/replay/replayclock.h"
#include "core/sources/replay/replaycontext.h"
#include "core/sources/replay/replaycounters.h"
#include "core/sources/replay/replayfaults.h"
#include "core/sources/replay/replayfeed.h"
#include "core/sources/replay/replayrest.h"
#include "core/sources/replay/replaytape.h"
#include "core/sources/replay/replayweights.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocketServer;

namespace gapless::sources {

class ReplayHttpConnection;
class ReplayStream;

/// The rows one symbol replays (1m, ascending, aligned; ReplayTape::readCsv gives them).
struct ReplaySymbol
{
    QString symbol;
    CandleList rows;
};

/// How a replay exchange runs (SRC-14).
struct ReplayOptions
{
    quint16 port = 0;                 ///< on 127.0.0.1; 0 picks a free port
    double speed = 1;                 ///< X in (0, 3600]
    ReplayTimeMode timeMode = ReplayTimeMode::Contiguous;
    quint64 seed = 1;
    QList<ReplayFaultItem> faults;    ///< armed at start
    /// Wall ms between ticks: 0 derives it from the speed (500/X, within [10, 250]); < 0 runs
    /// no timer, so that only tick() moves the streams (tests with a FixedClock).
    int tickIntervalMs = 0;
};

/// A local exchange speaking the Binance spot and futures formats from tapes of real 1m bars
/// (SRC-14..18): the test double of every network test and the engine of the offline demo.
/// One listener on 127.0.0.1 answers REST (`/api/v3/*`, `/fapi/v1/*`), the kline streams
/// (`/ws/<symbol>@kline_<interval>`) and the control routes `GET /_replay/state` and
/// `POST /_replay/faults` (body: a fault SPEC). Virtual time runs from the injected wall clock,
/// and every fault is seeded or counted, so a run is reproducible. Lives on one thread.
class ReplayExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayExchange)
public:
    /// `symbols` not empty, each with rows; `wall` outlives the exchange. w0 = wall now.
    ReplayExchange(const Clock &wall, const QList<ReplaySymbol> &symbols, ReplayOptions options,
                   QObject *parent = nullptr);
    ~ReplayExchange() override;

    /// Listens on 127.0.0.1:port; returns the base URL `http://127.0.0.1:P`.
    [[nodiscard]] Result<QUrl> listen();
    [[nodiscard]] QUrl url() const { return m_url; }
    /// `ws://127.0.0.1:P/ws/<symbol lower>@kline_<interval>`.
    [[nodiscard]] QUrl streamUrl(const QString &symbol, const QString &interval = QStringLiteral("1m")) const;
    [[nodiscard]] const ReplayClock &clock() const { return m_clock; }
    [[nodiscard]] const ReplayTape *tape(const QString &symbol) const { return m_feed.tape(symbol); }
    [[nodiscard]] const ReplayCounters &counters() const { return m_counters; }
    [[nodiscard]] int streamCount() const { return int(m_streams.size()); }

    /// Does what is due at the clock's current time: timed faults, then every stream's
    /// messages and pings. A timer calls it (ReplayOptions::tickIntervalMs); tests may too.
    void tick();
    /// Arms the items of `spec` as `POST /_replay/faults` does; `input` names it in errors.
    [[nodiscard]] Result<void> addFaults(QStringView spec, const QString &input);
    /// The counters and settings `GET /_replay/state` answers.
    [[nodiscard]] QJsonObject state() const;
    /// Stops listening and closes every stream (1001).
    void close();

signals:
    /// A kline stream was opened; `symbol` upper case.
    void streamOpened(const QString &symbol, const QString &interval);
    /// A kline stream ended, whoever closed it.
    void streamClosed(const QString &symbol, const QString &interval);

private:
    void onPendingTcp();
    void onRequest(ReplayHttpConnection *connection, const ReplayHttpRequest &request);
    void onUpgrade(QTcpSocket *socket, const ReplayHttpRequest &request);
    void onWebSocket();
    void refuse(QTcpSocket *socket, const ReplayHttpReply &reply);
    [[nodiscard]] ReplayHttpReply control(const ReplayHttpRequest &request);
    void addFault(const ReplayFaultItem &item);
    void fireTimedFaults();
    void removeStream(ReplayStream *stream);

    ReplayOptions m_options;
    ReplayClock m_clock;
    ReplayFaults m_faults;
    ReplayFeed m_feed;
    ReplayWeights m_weights;
    ReplayCounters m_counters;
    ReplayContext m_context;
    ReplayRest m_rest;
    QTcpServer *m_tcp;
    QWebSocketServer *m_ws;
    QTimer *m_ticker;
    QList<ReplayStream *> m_streams;
    QUrl m_url;
};

} // namespace gapless::sources
