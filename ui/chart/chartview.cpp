#include "ui/chart/chartview.h"

#include "core/protocol/client.h"

namespace gapless::ui {

ChartView::ChartView(protocol::Client *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
{
    connect(m_client, &protocol::Client::caughtUp, this, [this](const SeriesId &series, const QJsonObject &) {
        if (m_series && *m_series == series)
            emit firstPageDrawn(series);
    });
}

void ChartView::setSeries(const SeriesId &series)
{
    if (m_series && *m_series == series)
        return;
    if (m_series)
        m_client->unsubscribe(*m_series);
    m_series = series;
    m_client->subscribe(series);
}

std::optional<SeriesId> ChartView::series() const
{
    return m_series;
}

void ChartView::jumpToTime(qint64) {}
void ChartView::setIndexAxis(bool) {}
void ChartView::setLocalTime(bool) {}
void ChartView::setPivotsVisible(bool) {}
void ChartView::setPenVisible(bool) {}
void ChartView::setDarkTheme(bool) {}

CandleChart *ChartView::chart() const
{
    return nullptr;
}

} // namespace gapless::ui
