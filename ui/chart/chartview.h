#pragma once

#include "core/domain/seriesid.h"

#include <QWidget>

#include <optional>

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class CandleChart;

/// The chart of one series, fed by the protocol client (UI-5..13).
class ChartView : public QWidget
{
    Q_OBJECT
public:
    explicit ChartView(gapless::protocol::Client *client, QWidget *parent = nullptr);

    void setSeries(const gapless::SeriesId &series);
    [[nodiscard]] std::optional<gapless::SeriesId> series() const;
    void jumpToTime(qint64 time);
    void setIndexAxis(bool on);
    void setLocalTime(bool on);
    void setPivotsVisible(bool on);
    void setPenVisible(bool on);
    void setDarkTheme(bool dark);
    [[nodiscard]] CandleChart *chart() const;

signals:
    void firstPageDrawn(const gapless::SeriesId &series);
    void headLagChanged(qint64 lagSeconds);
    void gapsChanged(const gapless::SeriesId &series, int count);

private:
    gapless::protocol::Client *m_client;
    std::optional<gapless::SeriesId> m_series;
};

} // namespace gapless::ui
