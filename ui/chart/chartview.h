#pragma once

#include "core/domain/seriesid.h"
#include "ui/chart/overlayset.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QJsonObject;
class QTimer;

namespace gapless {
struct Error;
namespace protocol {
class Client;
}
} // namespace gapless

namespace gapless::ui {

class CandleChart;

/// The chart of one series, fed through protocol::Client (UI-2, UI-11..13, UI-16): subscribes,
/// shows catch-up, closed and forming candles, asks for the gaps and overlays after catch-up,
/// pages older history in as the user scrolls back, and drops a gap band when its healing data
/// arrive.
class ChartView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartView)
public:
    /// A page of older history (UI-13; the `candles` command's maximum).
    static constexpr int kPageLimit = 5000;

    explicit ChartView(gapless::protocol::Client *client, QWidget *parent = nullptr);

    /// Unsubscribes the old series, subscribes the new one and clears the chart.
    void setSeries(const gapless::SeriesId &series);
    [[nodiscard]] std::optional<gapless::SeriesId> series() const;
    /// Centres the view on that bar or gap, paging older history in first when needed.
    void jumpToTime(qint64 time);
    void setIndexAxis(bool on);
    void setLocalTime(bool on);
    void setPivotsVisible(bool on);
    void setPenVisible(bool on);
    void setDarkTheme(bool dark);
    [[nodiscard]] CandleChart *chart() const;

signals:
    /// UI-16 readiness: the series' first page (its catch-up) has been painted.
    void firstPageDrawn(const gapless::SeriesId &series);
    /// Seconds from the newest closed bar's end to now, when it changes.
    void headLagChanged(qint64 lagSeconds);
    /// The number of gap bands of the series changed.
    void gapsChanged(const gapless::SeriesId &series, int count);

private:
    enum class Request { Page, Gaps, Overlays };

    void setupConnections();
    [[nodiscard]] bool isCurrent(const SeriesId &series) const { return m_series && *m_series == series; }
    void handleCaughtUp(const SeriesId &series);
    void handleCandles(const SeriesId &series, const CandleList &candles);
    void handleGap(const SeriesId &series, qint64 expectedNext, qint64 actual, qint64 missing, bool healed);
    void handleRangeMerged(const SeriesId &series, qint64 from, qint64 to);
    void handleResult(const QString &requestId, bool ok, const QJsonValue &data, const Error &error);
    void retry(Request request);
    void handlePage(const QJsonObject &data);
    void handleGaps(const QJsonObject &data);
    void handleOverlays(const QJsonObject &data);
    void requestPage(qint64 before);
    void requestGaps();
    void requestOverlays();
    void updateHeadLag();
    void emitGapsChanged();

    protocol::Client *m_client;
    CandleChart *m_chart;
    QTimer *m_lagTimer;
    std::optional<SeriesId> m_series;
    QHash<QString, Request> m_pending;
    bool m_pageInFlight = false;
    bool m_caughtUpOnce = false;
    bool m_waitingFirstFrame = false;
    std::optional<qint64> m_jumpTarget;
    OverlaySet m_overlays;
    qint64 m_overlayCursor = 0;
    bool m_overlaysInFlight = false;
    bool m_overlaysDirty = false;
    std::optional<qint64> m_headTime;
    std::optional<qint64> m_lastLag;
    int m_gapCount = -1;
};

} // namespace gapless::ui
