#pragma once

#include "core/domain/candle.h"
#include "ui/chart/chartmodel.h"
#include "ui/chart/chartpainter.h"
#include "ui/chart/chartpalette.h"

#include <QWidget>

#include <optional>
#include <span>

namespace gapless::ui {

/// The candlestick chart (UI-5..13): QPainter over a CandleBuffer, only the visible bars drawn.
/// It knows nothing of the protocol; ChartView feeds it.
class CandleChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CandleChart)
public:
    static constexpr double kMinSpacing = 0.01;
    static constexpr double kMaxSpacing = 64;
    static constexpr double kDefaultSpacing = 6;
    /// Fewer loaded bars than this left of the view ask for an older page (UI-13).
    static constexpr qsizetype kPagingMargin = 50;

    explicit CandleChart(QWidget *parent = nullptr);

    [[nodiscard]] const ChartModel &model() const { return m_model; }
    void setTimeframe(qint64 seconds);
    void setTitle(const QString &title);
    /// Drops all data and returns to the default view.
    void clear();

    /// Closed candles, ascending: appended or merged by time.
    void addCandles(std::span<const Candle> candles);
    /// A forming (or closed) bar: replaces or appends the last slot, repainting only that bar
    /// and the price axis when the price range holds (UI-13).
    void updateLastCandle(const Candle &candle);
    /// An older page (UI-13), prepended without shifting the view; an empty page or
    /// `hasMore` false marks the start of history.
    void prependPage(std::span<const Candle> candles, bool hasMore);
    /// The page asked for by olderHistoryWanted() failed; the next view change asks again.
    void pageFailed() { m_pageInFlight = false; }
    [[nodiscard]] bool isPageInFlight() const { return m_pageInFlight; }
    [[nodiscard]] bool isAtStartOfHistory() const { return m_startOfHistory; }
    /// UI-13 cap: no page is asked for once this many candles are held.
    void setMaxLoadedCandles(qsizetype max) { m_maxLoaded = max; }
    [[nodiscard]] qsizetype maxLoadedCandles() const { return m_maxLoaded; }

    void setGaps(const QList<ChartGap> &gaps);
    void addGap(const ChartGap &gap);
    /// Healing data arrived for [from, to]: the bands it fills vanish (UI-11).
    void healRange(qint64 from, qint64 to);
    void setOverlays(QList<ChartMarker> markers, QList<ChartSegment> segments);

    void setIndexAxis(bool on);
    [[nodiscard]] bool indexAxis() const { return m_model.indexAxis(); }
    void setLocalTime(bool on);
    [[nodiscard]] bool isLocalTime() const { return !m_utc; }
    void setPivotsVisible(bool on);
    void setPenVisible(bool on);
    void setDarkTheme(bool dark);
    [[nodiscard]] bool isDarkTheme() const { return m_dark; }

    [[nodiscard]] double barSpacing() const { return m_spacing; }
    /// Zooms about the plot's right edge, or about `anchorX` when given.
    void setBarSpacing(double spacing, std::optional<double> anchorX = std::nullopt);
    /// Scrolls by `bars` slots (positive = towards newer).
    void scrollBars(double bars);
    void scrollToEnd();
    void scrollToStart();
    /// Centres the view on the bar or gap at `time`.
    void centreOnTime(qint64 time);
    /// G / Shift+G: centres the next (previous) gap after (before) the view centre.
    bool jumpToGap(bool forward);
    [[nodiscard]] bool isFollowingLive() const { return m_follow; }
    /// Auto price range (UI-6): the visible range ±5 %; false after a price-axis drag.
    [[nodiscard]] bool isAutoScale() const { return !m_manualRange; }
    void resetPriceScale();

    /// Screen geometry, for tests and the input handlers.
    [[nodiscard]] ChartFrame frame() const;
    [[nodiscard]] double xOfIndex(qsizetype index) const;
    /// The index range [first, last) of the bars in view.
    [[nodiscard]] std::pair<qsizetype, qsizetype> visibleRange() const;
    /// The crosshair readout at `x` (UI-8): `DATE TIME O H L C V Δ%` or the gap text.
    [[nodiscard]] QString readoutAt(double x) const;
    [[nodiscard]] QString readout() const { return m_readout; }
    [[nodiscard]] bool isKeyboardCrosshair() const { return m_keyboardCrosshair; }

signals:
    /// Fewer than kPagingMargin loaded bars lie left of the view (UI-13); one at a time.
    void olderHistoryWanted(qint64 beforeTime);
    void framePainted();
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    [[nodiscard]] std::pair<double, double> autoRange() const;
    [[nodiscard]] QRectF plotRect() const;
    void viewMoved();
    void requestOlderIfNeeded();
    void setCrosshairX(double x, std::optional<double> y);
    void moveKeyboardCrosshair(int bars);
    /// What keeps the view still while slots shift: the newest bar when it is in view (follow
    /// live), else the bar at the right edge.
    struct Anchor
    {
        bool follow = true;
        qint64 time = 0;
        double offset = 0;
    };
    [[nodiscard]] Anchor anchor() const;
    void restore(const Anchor &anchor);
    [[nodiscard]] double defaultRightSlot() const;
    [[nodiscard]] bool lastBarVisible() const;

    ChartModel m_model;
    ChartPalette m_palette = ChartPalette::light();
    QString m_title;
    double m_spacing = kDefaultSpacing;
    double m_rightSlot = 0;
    bool m_follow = true;
    bool m_utc = true;
    bool m_pivots = true;
    bool m_pen = true;
    bool m_dark = false;
    bool m_startOfHistory = false;
    bool m_pageInFlight = false;
    qsizetype m_maxLoaded = 2000000;
    std::optional<std::pair<double, double>> m_manualRange;

    // Input state (chartinput.cpp).
    std::optional<QPointF> m_crosshair;
    QString m_readout;
    bool m_keyboardCrosshair = false;
    std::optional<QPointF> m_dragStart;
    double m_dragStartSlot = 0;
    bool m_dragPriceAxis = false;
    std::pair<double, double> m_dragStartRange;
};

} // namespace gapless::ui
