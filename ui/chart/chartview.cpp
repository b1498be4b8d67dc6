#include "ui/chart/chartview.h"

#include "core/domain/error.h"
#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "ui/chart/candlechart.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <span>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

Q_LOGGING_CATEGORY(lcChart, "gapless.ui.chart", QtInfoMsg)

/// More than the `gaps` command's default, so that a long history keeps all its bands.
constexpr int kGapsLimit = 100000;
constexpr int kLagIntervalMs = 1000;
constexpr int kDefaultRetryMs = 200;

} // namespace

ChartView::ChartView(protocol::Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_chart(new CandleChart(this))
    , m_lagTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chart);
    setFocusProxy(m_chart);
    setAccessibleName(tr("Chart"));
    m_lagTimer->setInterval(kLagIntervalMs);
    setupConnections();
}

void ChartView::setupConnections()
{
    connect(m_client, &protocol::Client::caughtUp, this, [this](const SeriesId &s, const QJsonObject &) {
        handleCaughtUp(s);
    });
    connect(m_client, &protocol::Client::candlesReceived, this, &ChartView::handleCandles);
    connect(m_client, &protocol::Client::candleClosed, this, [this](const SeriesId &s, const Candle &c) {
        handleCandles(s, CandleList{c});
    });
    connect(m_client, &protocol::Client::candleForming, this, [this](const SeriesId &s, const Candle &c) {
        if (isCurrent(s))
            m_chart->updateLastCandle(c);
    });
    connect(m_client, &protocol::Client::gapReceived, this, &ChartView::handleGap);
    connect(m_client, &protocol::Client::rangeMerged, this, &ChartView::handleRangeMerged);
    connect(m_client, &protocol::Client::resultReceived, this,
            [this](const QString &id, bool ok, const QJsonValue &data, const Error &error, bool) {
                handleResult(id, ok, data, error);
            });
    connect(m_client, &protocol::Client::systemEvent, this,
            [this](const QString &event, const QString &seriesId, const QString &, const QJsonObject &) {
                if (event == "factor.rebuild"_L1 && m_series && seriesId == m_series->toString())
                    requestOverlays();
            });
    connect(m_chart, &CandleChart::olderHistoryWanted, this, &ChartView::requestPage);
    connect(m_chart, &CandleChart::framePainted, this, [this] {
        if (m_waitingFirstFrame && m_series) {
            m_waitingFirstFrame = false;
            emit firstPageDrawn(*m_series);
        }
    });
    connect(m_lagTimer, &QTimer::timeout, this, &ChartView::updateHeadLag);
}

void ChartView::setSeries(const SeriesId &series)
{
    if (m_series)
        m_client->unsubscribe(*m_series);
    m_series = series;
    m_pending.clear();
    m_pageInFlight = false;
    m_caughtUpOnce = false;
    m_waitingFirstFrame = false;
    m_jumpTarget.reset();
    m_overlays.clear();
    m_overlayCursor = 0;
    m_overlaysInFlight = false;
    m_overlaysDirty = false;
    m_headTime.reset();
    m_lastLag.reset();
    m_gapCount = -1;
    m_chart->clear();
    m_chart->setTimeframe(series.timeframe().seconds());
    m_chart->setTitle(series.toString());
    m_client->subscribe(series);
    m_lagTimer->start();
}

std::optional<SeriesId> ChartView::series() const
{
    return m_series;
}

CandleChart *ChartView::chart() const
{
    return m_chart;
}

void ChartView::jumpToTime(qint64 time)
{
    const CandleBuffer &candles = m_chart->model().candles();
    if (!candles.isEmpty() && time < candles.first().time && !m_chart->isAtStartOfHistory()) {
        m_jumpTarget = time;
        requestPage(candles.first().time);
        return;
    }
    m_chart->centreOnTime(time);
}

void ChartView::setIndexAxis(bool on) { m_chart->setIndexAxis(on); }
void ChartView::setLocalTime(bool on) { m_chart->setLocalTime(on); }
void ChartView::setPivotsVisible(bool on) { m_chart->setPivotsVisible(on); }
void ChartView::setPenVisible(bool on) { m_chart->setPenVisible(on); }
void ChartView::setDarkTheme(bool dark) { m_chart->setDarkTheme(dark); }

void ChartView::handleCaughtUp(const SeriesId &series)
{
    if (!isCurrent(series))
        return;
    // After every (re)connect: the holes and overlays may have changed while away.
    requestGaps();
    requestOverlays();
    if (m_caughtUpOnce)
        return;
    m_caughtUpOnce = true;
    m_waitingFirstFrame = true;
    if (!m_chart->isVisible()) {
        m_waitingFirstFrame = false;
        emit firstPageDrawn(series);
    } else {
        m_chart->update();
    }
    updateHeadLag();
}

void ChartView::handleCandles(const SeriesId &series, const CandleList &candles)
{
    if (!isCurrent(series) || candles.isEmpty())
        return;
    m_chart->addCandles(std::span<const Candle>(candles.constData(), size_t(candles.size())));
    if (!m_headTime || candles.constLast().time > *m_headTime)
        m_headTime = candles.constLast().time;
    emitGapsChanged();
    updateHeadLag();
    if (m_client->isCaughtUp(series))
        requestOverlays();
}

void ChartView::handleGap(const SeriesId &series, qint64 expectedNext, qint64 actual, qint64 missing, bool healed)
{
    if (!isCurrent(series) || healed)
        return; // a healed hole's band goes when its data arrive (rangeMerged)
    m_chart->addGap({expectedNext - series.timeframe().seconds(), actual, missing});
    emitGapsChanged();
}

void ChartView::handleRangeMerged(const SeriesId &series, qint64 from, qint64 to)
{
    if (!isCurrent(series))
        return;
    const CandleList &held = m_client->candles(series);
    const auto first = std::lower_bound(held.cbegin(), held.cend(), from,
                                        [](const Candle &c, qint64 t) { return c.time < t; });
    const auto last = std::upper_bound(first, held.cend(), to, [](qint64 t, const Candle &c) { return t < c.time; });
    if (first != last)
        m_chart->addCandles(std::span<const Candle>(&*first, size_t(std::distance(first, last))));
    m_chart->healRange(from, to);
    emitGapsChanged();
}

void ChartView::requestPage(qint64 before)
{
    if (!m_series || m_pageInFlight)
        return;
    m_pageInFlight = true;
    const QString id = m_client->sendCommand(
        u"candles"_s, QJsonObject{{u"series_id"_s, m_series->toString()}, {u"before"_s, before}, {u"limit"_s, kPageLimit}});
    m_pending.insert(id, Request::Page);
}

void ChartView::requestGaps()
{
    const QString id = m_client->sendCommand(
        u"gaps"_s, QJsonObject{{u"series_id"_s, m_series->toString()}, {u"limit"_s, kGapsLimit}});
    m_pending.insert(id, Request::Gaps);
}

void ChartView::requestOverlays()
{
    if (!m_series)
        return;
    if (m_overlaysInFlight) {
        m_overlaysDirty = true;
        return;
    }
    m_overlaysInFlight = true;
    const QString id = m_client->sendCommand(
        u"overlays"_s, QJsonObject{{u"series_id"_s, m_series->toString()}, {u"cursor"_s, m_overlayCursor}});
    m_pending.insert(id, Request::Overlays);
}

void ChartView::handleResult(const QString &requestId, bool ok, const QJsonValue &data, const Error &error)
{
    const auto it = m_pending.constFind(requestId);
    if (it == m_pending.cend())
        return;
    const Request request = *it;
    m_pending.erase(it);
    if (!ok) {
        if (error.code == ErrorCode::RateLimited) {
            // SEC-2: ask again once the server's token bucket allows; the chart keeps waiting.
            const int delay = int(data.toObject().value("retry_after_ms"_L1).toInteger(kDefaultRetryMs));
            QTimer::singleShot(std::max(delay, 1), this, [this, request, series = m_series] {
                if (m_series != series)
                    return;
                retry(request);
            });
            return;
        }
        qCWarning(lcChart) << "chart:" << m_series->toString() << "request failed:" << error.message;
        if (request == Request::Page) {
            m_pageInFlight = false;
            m_chart->pageFailed();
        } else if (request == Request::Overlays) {
            m_overlaysInFlight = false;
            if (error.code == ErrorCode::Conflict) { // the cursor is past the store's: start again
                m_overlays.clear();
                m_overlayCursor = 0;
            }
        }
        return;
    }
    const QJsonObject object = data.toObject();
    switch (request) {
    case Request::Page: handlePage(object); break;
    case Request::Gaps: handleGaps(object); break;
    case Request::Overlays: handleOverlays(object); break;
    }
}

void ChartView::retry(Request request)
{
    switch (request) {
    case Request::Page:
        m_pageInFlight = false;
        if (m_chart->model().candles().isEmpty())
            m_chart->pageFailed();
        else
            requestPage(m_chart->model().candles().first().time);
        break;
    case Request::Gaps: requestGaps(); break;
    case Request::Overlays:
        m_overlaysInFlight = false;
        requestOverlays();
        break;
    }
}

void ChartView::handlePage(const QJsonObject &data)
{
    m_pageInFlight = false;
    auto candles = protocol::candlesFromJson(data.value("candles"_L1));
    if (!candles) {
        qCWarning(lcChart) << "chart:" << m_series->toString() << "ignored a page:" << candles.error().message;
        m_chart->pageFailed();
        return;
    }
    m_chart->prependPage(std::span<const Candle>(candles->constData(), size_t(candles->size())),
                         data.value("has_more"_L1).toBool());
    emitGapsChanged();
    if (!m_jumpTarget)
        return;
    const CandleBuffer &held = m_chart->model().candles();
    if (held.isEmpty() || held.first().time <= *m_jumpTarget || m_chart->isAtStartOfHistory()
        || held.size() >= m_chart->maxLoadedCandles()) {
        const qint64 target = *m_jumpTarget;
        m_jumpTarget.reset();
        m_chart->centreOnTime(target);
    } else {
        requestPage(held.first().time);
    }
}

void ChartView::handleGaps(const QJsonObject &data)
{
    QList<ChartGap> gaps;
    const QJsonArray array = data.value("gaps"_L1).toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject gap = value.toObject();
        gaps.append({gap.value("prev_time"_L1).toInteger(), gap.value("next_time"_L1).toInteger(),
                     gap.value("missing_bars"_L1).toInteger()});
    }
    m_chart->setGaps(gaps);
    emitGapsChanged();
}

void ChartView::handleOverlays(const QJsonObject &data)
{
    m_overlaysInFlight = false;
    if (const int skipped = m_overlays.apply(data.value("items"_L1).toArray()))
        qCWarning(lcChart) << "chart:" << m_series->toString() << "skipped" << skipped << "malformed overlay items";
    m_overlayCursor = data.value("next_cursor"_L1).toInteger(m_overlayCursor);
    m_chart->setOverlays(m_overlays.markers(), m_overlays.segments());
    if (data.value("has_more"_L1).toBool() || m_overlaysDirty) {
        m_overlaysDirty = false;
        requestOverlays();
    }
}

void ChartView::updateHeadLag()
{
    if (!m_headTime || !m_series)
        return;
    const qint64 lag =
        std::max<qint64>(0, QDateTime::currentSecsSinceEpoch() - (*m_headTime + m_series->timeframe().seconds()));
    if (m_lastLag == lag)
        return;
    m_lastLag = lag;
    emit headLagChanged(lag);
}

void ChartView::emitGapsChanged()
{
    const int count = int(m_chart->model().gaps().size());
    if (count == m_gapCount || !m_series)
        return;
    m_gapCount = count;
    emit gapsChanged(*m_series, count);
}

} // namespace gapless::ui
