#include "ui/panels/progresspanel.h"

#include "ui/models/progressmodel.h"
#include "ui/panels/progressdelegate.h"
#include "ui/panels/tablepanel.h"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QLineSeries>
#include <QSplitter>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace gapless::ui {

ProgressPanel::ProgressPanel(ProgressModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new TablePanel(model, tr("No backfill has run yet. Gaps → Backfill starts one."), this))
    , m_chart(new QChart)
    , m_chartView(new QChartView(m_chart, this))
    , m_series(new QLineSeries)
    , m_axisX(new QValueAxis)
    , m_axisY(new QValueAxis)
{
    m_table->view()->setItemDelegateForColumn(ProgressModel::ProgressColumn, new ProgressDelegate(m_table->view()));
    m_table->setStretchColumn(ProgressModel::SeriesColumn);
    m_table->setColumnMinimumWidth(ProgressModel::ProgressColumn, 160);

    m_series->setName(tr("candles filled / s"));
    m_chart->addSeries(m_series);
    m_axisX->setRange(-kSamples, 0);
    m_axisX->setLabelFormat(QStringLiteral("%d s"));
    m_axisX->setTickCount(6);
    m_axisY->setRange(0, 10);
    m_axisY->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_series->attachAxis(m_axisX);
    m_series->attachAxis(m_axisY);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(140);
    m_chartView->setAccessibleName(tr("Backfill throughput, candles per second, last five minutes"));
    m_chartView->setToolTip(m_chartView->accessibleName());

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chartView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_lastTotal = model->totalFilled();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ProgressPanel::sample);
    m_timer.start();
}

void ProgressPanel::sample()
{
    const qint64 total = m_model->totalFilled();
    const qint64 perSecond = std::max<qint64>(0, total - m_lastTotal);
    m_lastTotal = total;
    ++m_tick;
    QList<QPointF> points = m_series->points();
    for (QPointF &p : points)
        p.setX(p.x() - 1);
    points.append(QPointF(0, double(perSecond)));
    while (points.size() > kSamples + 1)
        points.removeFirst();
    double top = 10;
    for (const QPointF &p : std::as_const(points))
        top = std::max(top, p.y() * 1.15);
    m_series->replace(points);
    m_axisY->setRange(0, top);
}

void ProgressPanel::setDarkTheme(bool dark)
{
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundRoundness(0);
}

} // namespace gapless::ui
