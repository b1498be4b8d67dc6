#pragma once

#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"
#include "core/sources/binance/exchangeclock.h"
#include "core/sources/binance/restwindow.h"
#include "core/sources/binance/weightbudget.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QQueue>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace gapless::sources {

/// The Binance REST client (SRC-1..7): a range of closed bars is split into windows of P
/// slots, at most `source.binance_max_inflight` requests per host, windows delivered in order.
/// Each host keeps its exchange clock (from `/time`), its weight budget, and its pauses after
/// 429, 418 and 403; 5xx, timeouts, network errors and malformed pages are retried with
/// jittered backoff up to `source.binance_rest_max_attempts`. Never returns a forming bar.
/// Lives on the network thread.
class BinanceRestClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BinanceRestClient)
public:
    /// `random` returns u in [0, 1) for the backoff (SRC-7); tests inject a sequence.
    BinanceRestClient(const SourceSettings &settings, const Clock &clock, std::function<double()> random,
                      QObject *parent = nullptr);
    ~BinanceRestClient() override;

    /// Fetches the closed bars of [from, to] (open times in seconds, aligned) of a binance
    /// spot or futures series at a native timeframe; returns the request id. windowFetched()
    /// follows once per window in window order, then rangeFinished().
    quint64 fetchRange(const SeriesId &series, qint64 from, qint64 to);
    /// The exchange clock of the series' market (SRC-3).
    [[nodiscard]] qint64 exchangeNowMs(const SeriesId &series) const;
    /// Requests sent so far (each attempt counts), for BF-23's `requests`.
    [[nodiscard]] qint64 requestCount() const { return m_requests; }
    /// SRC-6: whether the host of the series' market is under a 418 ban at `nowMs`.
    [[nodiscard]] bool isBanned(const SeriesId &series, qint64 nowMs) const;
    /// HLT-6 `sources`: spot, then futures, each `{host, state, weight_used_1m}` with state
    /// `ok`, `paused` (429/403) or `banned` (418).
    [[nodiscard]] QJsonArray hostStates();

signals:
    void windowFetched(const gapless::sources::RestWindowResult &window);
    void rangeFinished(quint64 request, const QStringList &errors);
    /// A failure worth a journal row (step `fetch`): `GET URL: HTTP 503 after 5 attempts`, for
    /// the window [from, to] of `series` (BF-23 retries that range).
    void fetchFailed(const gapless::SeriesId &series, const QString &message, qint64 from, qint64 to);

private:
    struct Host;
    struct Range;
    friend struct Host;

    Host &hostFor(const SeriesId &series);
    void pump(Host &host);
    void send(Host &host, const RestWindow &window, quint64 ticket);
    void syncTime(Host &host);
    void onReply(Host &host, const RestWindow &window, quint64 ticket, QNetworkReply *reply);
    void retryLater(Host &host, RestWindow window, const QString &why);
    void pauseHost(Host &host, qint64 pauseMs, const QString &why, const RestWindow &window);
    void finishWindow(RestWindowResult result);
    [[nodiscard]] QUrl klinesUrl(const Host &host, const RestWindow &window) const;

    SourceSettings m_settings;
    const Clock &m_clock;
    std::function<double()> m_random;
    QNetworkAccessManager *m_network;
    std::unique_ptr<Host> m_spot;
    std::unique_ptr<Host> m_futures;
    QHash<quint64, Range> m_ranges;
    quint64 m_nextRequest = 1;
    qint64 m_requests = 0;
};

} // namespace gapless::sources
