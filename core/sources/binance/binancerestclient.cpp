#include "core/sources/binance/binancerestclient.h"

#include "core/sources/binance/binanceresthost.h"
#include "core/sources/binance/klinerows.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>


using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr int kSpotPage = 1000;
constexpr qint64 kTimeResyncMs = 600000;
// A waiting host looks again at least this often, so a clock that jumps ends a wait early.
constexpr qint64 kRecheckMs = 250;

} // namespace

BinanceRestClient::BinanceRestClient(const SourceSettings &settings, const Clock &clock,
                                     std::function<double()> random, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(clock)
    , m_random(std::move(random))
    , m_network(new QNetworkAccessManager(this))
    , m_spot(std::make_unique<Host>(false, settings.binanceSpotRest, settings.binanceSpotWeightLimit,
                                    settings.binanceWeightBudgetPct))
    , m_futures(std::make_unique<Host>(true, settings.binanceFuturesRest, settings.binanceFuturesWeightLimit,
                                       settings.binanceWeightBudgetPct))
{
    qRegisterMetaType<gapless::sources::RestWindowResult>();
    for (Host *host : {m_spot.get(), m_futures.get()}) {
        host->timer = new QTimer(this);
        host->timer->setSingleShot(true);
        connect(host->timer, &QTimer::timeout, this, [this, host] { pump(*host); });
    }
}

BinanceRestClient::~BinanceRestClient() = default;

bool BinanceRestClient::isBanned(const SeriesId &series, qint64 nowMs) const
{
    const Host &host = series.market() == "futures"_L1 ? *m_futures : *m_spot;
    return nowMs < host.bannedUntilMs;
}

QJsonArray BinanceRestClient::hostStates()
{
    const qint64 now = m_clock.nowMs();
    QJsonArray states;
    for (Host *host : {m_spot.get(), m_futures.get()}) {
        const QUrl url(host->base);
        QString state = u"ok"_s;
        if (now < host->bannedUntilMs)
            state = u"banned"_s;
        else if (now < host->pausedUntilMs)
            state = u"paused"_s;
        states.append(QJsonObject{
            {u"host"_s, url.port() > 0 ? u"%1:%2"_s.arg(url.host()).arg(url.port()) : url.host()},
            {u"state"_s, state},
            {u"weight_used_1m"_s, host->budget.used(now, host->clock)}});
    }
    return states;
}

BinanceRestClient::Host &BinanceRestClient::hostFor(const SeriesId &series)
{
    return series.market() == "futures"_L1 ? *m_futures : *m_spot;
}

qint64 BinanceRestClient::exchangeNowMs(const SeriesId &series) const
{
    const Host &host = series.market() == "futures"_L1 ? *m_futures : *m_spot;
    return host.clock.nowMs(m_clock.nowMs());
}

quint64 BinanceRestClient::fetchRange(const SeriesId &series, qint64 from, qint64 to)
{
    const quint64 request = m_nextRequest++;
    const auto interval = binanceInterval(series.timeframe());
    const bool network = series.exchange() == "binance"_L1
                         && (series.market() == "spot"_L1 || series.market() == "futures"_L1);
    if (!network || !interval || to < from) {
        const QString error = !network ? u"series_id '%1': no Binance source; expected binance:spot or "
                                         u"binance:futures"_s.arg(series.toString())
                              : !interval ? u"series_id '%1': no native Binance interval; expected 1m 3m 5m 15m 30m "
                                            u"1h 2h 4h 6h 8h 12h 1d"_s.arg(series.toString())
                                          : QString();
        QMetaObject::invokeMethod(this, [this, request, error] {
            emit rangeFinished(request, error.isEmpty() ? QStringList() : QStringList{error});
        }, Qt::QueuedConnection);
        return request;
    }
    Host &host = hostFor(series);
    const qint64 tf = series.timeframe().seconds();
    const int page = host.futures ? m_settings.binanceFuturesPageLimit : kSpotPage;
    Range range;
    for (qint64 start = from; start <= to; start += page * tf) {
        RestWindow w;
        w.request = request;
        w.index = range.windows++;
        w.series = series;
        w.from = start;
        w.to = std::min(to, start + (page - 1) * tf);
        w.limit = page;
        host.queue.enqueue(w);
    }
    m_ranges.insert(request, range);
    pump(host);
    return request;
}

QUrl BinanceRestClient::klinesUrl(const Host &host, const RestWindow &window) const
{
    QUrl url(host.base + (host.futures ? u"/fapi/v1/klines"_s : u"/api/v3/klines"_s));
    QUrlQuery query;
    query.addQueryItem(u"symbol"_s, binanceSymbol(window.series));
    query.addQueryItem(u"interval"_s, *binanceInterval(window.series.timeframe()));
    query.addQueryItem(u"startTime"_s, QString::number(window.from * 1000));
    query.addQueryItem(u"endTime"_s, QString::number(window.to * 1000));
    query.addQueryItem(u"limit"_s, QString::number(window.limit));
    url.setQuery(query);
    return url;
}

void BinanceRestClient::pump(Host &host)
{
    const qint64 now = m_clock.nowMs();
    if (!host.timeKnown || now - host.lastSyncMs >= kTimeResyncMs) {
        if (!host.timeRequested)
            syncTime(host);
        if (!host.timeKnown)
            return; // SRC-3: the clock first, so that no forming bar slips through
    }
    if (now < host.pausedUntilMs) {
        host.timer->start(int(std::min(host.pausedUntilMs - now, kRecheckMs)));
        return;
    }
    host.pauseJournalled = false;
    while (host.inflight < m_settings.binanceMaxInflight && !host.queue.isEmpty()) {
        const RestWindow &next = host.queue.head();
        qint64 waitMs = 0;
        const auto ticket = host.budget.reserve(klinesWeight(host.futures, next.limit), now, host.clock, &waitMs);
        if (!ticket) {
            host.timer->start(int(std::min(waitMs, kRecheckMs)));
            return;
        }
        send(host, host.queue.dequeue(), *ticket);
    }
}

void BinanceRestClient::send(Host &host, const RestWindow &window, quint64 ticket)
{
    QNetworkRequest request(klinesUrl(host, window));
    request.setTransferTimeout(m_settings.binanceRestTimeoutMs);
    ++host.inflight;
    ++m_requests;
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, &host, window, ticket, reply] {
        onReply(host, window, ticket, reply);
    });
}

} // namespace gapless::sources
