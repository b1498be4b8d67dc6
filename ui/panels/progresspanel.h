#pragma once

#include <QTimer>
#include <QWidget>

#include <functional>

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace gapless::ui {

class ProgressModel;
class TablePanel;

/// Backfill progress (UI-14 progress): a bar, the rate and ETA per series, and a Qt Charts
/// line of candles filled per second, one sample a second over the last five minutes.
class ProgressPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressPanel)
public:
    static constexpr int kSamples = 300;

    explicit ProgressPanel(ProgressModel *model, QWidget *parent = nullptr);

    /// Takes one throughput sample now (the panel's timer does so every second).
    void sample();
    [[nodiscard]] QLineSeries *throughput() const { return m_series; }
    void setDarkTheme(bool dark);

private:
    ProgressModel *m_model;
    TablePanel *m_table;
    QChart *m_chart;
    QChartView *m_chartView;
    QLineSeries *m_series;
    QValueAxis *m_axisX;
    QValueAxis *m_axisY;
    QTimer m_timer;
    qint64 m_lastTotal = 0;
    int m_tick = 0;
};

} // namespace gapless::ui
