#include "core/sources/binance/exchangetimeclock.h"

#include "core/runtime/logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr int kResyncMs = 600000; // SRC-3
constexpr int kRetryMs = 5000;
constexpr int kTimeoutMs = 10000;

} // namespace

ExchangeTimeClock::ExchangeTimeClock(const Clock &local, const QString &restBase, bool futures, QObject *parent)
    : QObject(parent)
    , m_local(local)
    , m_url(restBase + (futures ? u"/fapi/v1/time"_s : u"/api/v3/time"_s))
    , m_network(new QNetworkAccessManager(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ExchangeTimeClock::request);
}

ExchangeTimeClock::~ExchangeTimeClock() = default;

void ExchangeTimeClock::start()
{
    request();
}

qint64 ExchangeTimeClock::nowMs() const
{
    const qint64 local = m_local.nowMs();
    QMutexLocker lock(&m_mutex);
    return m_clock.nowMs(local);
}

bool ExchangeTimeClock::isSynced() const
{
    QMutexLocker lock(&m_mutex);
    return m_clock.isSynced();
}

void ExchangeTimeClock::request()
{
    QNetworkRequest request(m_url);
    request.setTransferTimeout(kTimeoutMs);
    const qint64 sent = m_local.nowMs();
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, sent, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        if (status != 200 || !json.value("serverTime"_L1).isDouble()) {
            const QString error = u"GET %1: %2; expected HTTP 200 with a serverTime"_s.arg(
                m_url.toString(), status ? u"HTTP %1"_s.arg(status) : reply->errorString());
            qCWarning(lcSources) << "source.clock = exchange:" << error;
            m_timer->start(kRetryMs);
            emit syncFailed(error);
            return;
        }
        {
            QMutexLocker lock(&m_mutex);
            m_clock.update(qint64(json.value("serverTime"_L1).toDouble()), json.value("speed"_L1).toDouble(1), sent,
                           m_local.nowMs());
        }
        m_timer->start(kResyncMs);
        emit synced();
    });
}

} // namespace gapless::sources
