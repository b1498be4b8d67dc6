// BinanceRestClient: replies, retries, pauses and ordered delivery (SRC-2..7).
#include "core/sources/binance/binancerestclient.h"

#include "core/runtime/logging.h"
#include "core/sources/binance/binanceresthost.h"
#include "core/sources/binance/klinerows.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kBackoffCapMs = 30000;
constexpr qint64 kBanDefaultMs = 300000;
constexpr qint64 kForbiddenPauseMs = 300000;

std::optional<qint64> retryAfterMs(const QNetworkReply *reply)
{
    bool ok = false;
    const qint64 seconds = reply->rawHeader("Retry-After").trimmed().toLongLong(&ok);
    return ok && seconds >= 0 ? std::optional(seconds * 1000) : std::nullopt;
}

std::optional<int> usedWeight(const QNetworkReply *reply)
{
    bool ok = false;
    const int used = reply->rawHeader("X-MBX-USED-WEIGHT-1m").trimmed().toInt(&ok);
    return ok ? std::optional(used) : std::nullopt;
}

QString urlText(const QNetworkReply *reply)
{
    return reply->request().url().toString(QUrl::FullyEncoded);
}

// `code -1121: Invalid symbol.` from a Binance error body, or the body's start.
QString binanceMessage(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (json.contains("code"_L1))
        return u"code %1: %2"_s.arg(json.value("code"_L1).toInteger()).arg(json.value("msg"_L1).toString());
    return QString::fromUtf8(body.left(120));
}

} // namespace

void BinanceRestClient::syncTime(Host &host)
{
    host.timeRequested = true;
    QNetworkRequest request(QUrl(host.base + (host.futures ? u"/fapi/v1/time"_s : u"/api/v3/time"_s)));
    request.setTransferTimeout(m_settings.binanceRestTimeoutMs);
    const qint64 sent = m_clock.nowMs();
    ++m_requests;
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, &host, sent, reply] {
        reply->deleteLater();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        host.timeRequested = false;
        if (status == 200 && json.value("serverTime"_L1).isDouble()) {
            host.clock.update(qint64(json.value("serverTime"_L1).toDouble()), json.value("speed"_L1).toDouble(1), sent,
                              m_clock.nowMs());
            host.timeKnown = true;
            host.timeAttempts = 0;
            host.lastSyncMs = m_clock.nowMs();
            pump(host);
            return;
        }
        // SRC-7 holds for /time too; after the last attempt the local clock stands in.
        if (++host.timeAttempts >= m_settings.binanceRestMaxAttempts) {
            qCWarning(lcSources) << "GET" << urlText(reply) << "failed" << host.timeAttempts
                                 << "times; using the local clock";
            host.timeKnown = true;
            host.timeAttempts = 0;
            host.lastSyncMs = m_clock.nowMs();
            pump(host);
            return;
        }
        const double u = 0.5 + 0.5 * m_random();
        const qint64 delay = qint64(std::min<double>(kBackoffCapMs, 1000.0 * std::pow(2.0, host.timeAttempts - 1)) * u);
        QTimer::singleShot(delay, this, [this, &host] { syncTime(host); });
    });
}

void BinanceRestClient::onReply(Host &host, const RestWindow &window, quint64 ticket, QNetworkReply *reply)
{
    reply->deleteLater();
    --host.inflight;
    const qint64 now = m_clock.nowMs();
    host.budget.observeReply(ticket, usedWeight(reply), now, host.clock);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString get = u"GET "_s + urlText(reply);
    if (status == 429 || status == 418 || status == 403) {
        // SRC-6: the host waits; the window goes back first in line without using an attempt.
        host.queue.prepend(window);
        qint64 pause = kForbiddenPauseMs;
        if (status == 429)
            pause = retryAfterMs(reply).value_or(host.clock.nextMinuteLocalMs(now) - now);
        else if (status == 418) {
            pause = retryAfterMs(reply).value_or(kBanDefaultMs);
            host.bannedUntilMs = std::max(host.bannedUntilMs, now + pause); // SRC-6: state banned
        }
        pauseHost(host, pause, u"%1: HTTP %2, paused %3 ms"_s.arg(get).arg(status).arg(pause), window);
    } else if (status >= 500 || status == 0) {
        retryLater(host, window, status ? u"HTTP %1"_s.arg(status) : reply->errorString());
    } else if (status != 200) {
        RestWindowResult failed{window.request, window.index, window.series, window.from, window.to, {}, {}, {}};
        failed.error = u"%1: HTTP %2 %3"_s.arg(get).arg(status).arg(binanceMessage(body));
        emit fetchFailed(window.series, failed.error, window.from, window.to);
        finishWindow(failed);
    } else if (auto rows = parseKlineRows(body, window.series.timeframe().seconds(), window.from, window.to); !rows) {
        retryLater(host, window, u"malformed reply: "_s + rows.error().message);
    } else {
        const qint64 tf = window.series.timeframe().seconds();
        const qint64 xnowS = host.clock.nowMs(now) / 1000;
        RestWindowResult result{window.request, window.index, window.series, window.from, window.to, {}, {}, {}};
        result.candles = closedRows(*rows, tf, now / 1000, xnowS);
        // SRC-4: a closed slot the successful window lacks is source_missing.
        const qint64 closedLimit = std::min(now / 1000, xnowS - 2);
        qsizetype next = 0;
        for (qint64 t = window.from; t <= window.to && t + tf <= closedLimit; t += tf) {
            while (next < result.candles.size() && result.candles.at(next).time < t)
                ++next;
            if (next >= result.candles.size() || result.candles.at(next).time != t)
                result.sourceMissing.append(t);
        }
        finishWindow(result);
    }
    pump(host);
}

void BinanceRestClient::retryLater(Host &host, RestWindow window, const QString &why)
{
    // SRC-7: min(30 s, 1 s·2^(k-1))·u, u in [0.5, 1), then the window fails and is journalled.
    ++window.attempts;
    if (window.attempts >= m_settings.binanceRestMaxAttempts) {
        RestWindowResult failed{window.request, window.index, window.series, window.from, window.to, {}, {}, {}};
        failed.error = u"GET %1: %2 after %3 attempts"_s.arg(klinesUrl(host, window).toString(QUrl::FullyEncoded), why)
                           .arg(window.attempts);
        emit fetchFailed(window.series, failed.error, window.from, window.to);
        finishWindow(failed);
        return;
    }
    const double u = 0.5 + 0.5 * m_random();
    const qint64 delay = qint64(std::min<double>(kBackoffCapMs, 1000.0 * std::pow(2.0, window.attempts - 1)) * u);
    QTimer::singleShot(delay, this, [this, &host, window] {
        host.queue.prepend(window);
        pump(host);
    });
}

void BinanceRestClient::pauseHost(Host &host, qint64 pauseMs, const QString &why, const RestWindow &window)
{
    const qint64 until = m_clock.nowMs() + pauseMs;
    host.pausedUntilMs = std::max(host.pausedUntilMs, until);
    qCWarning(lcSources) << why;
    if (!host.pauseJournalled) {
        host.pauseJournalled = true; // once per pause (SRC-6)
        emit fetchFailed(window.series, why, window.from, window.to);
    }
}

void BinanceRestClient::finishWindow(RestWindowResult result)
{
    auto it = m_ranges.find(result.request);
    if (it == m_ranges.end())
        return;
    if (!result.error.isEmpty())
        it->errors.append(result.error);
    it->done.insert(result.index, std::move(result));
    // SRC-4: windows reach the caller in order, whatever order their replies came in.
    while (it->done.contains(it->delivered)) {
        emit windowFetched(it->done.take(it->delivered));
        ++it->delivered;
    }
    if (it->delivered == it->windows) {
        const quint64 request = it.key();
        const QStringList errors = it->errors;
        m_ranges.erase(it);
        emit rangeFinished(request, errors);
    }
}

} // namespace gapless::sources
