#include "ui/mainwindow.h"

#include "core/protocol/client.h"
#include "ui/chart/chartview.h"
#include "ui/connectionstatus.h"
#include "ui/format.h"
#include "ui/models/serieslistmodel.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::ui {

MainWindow::MainWindow(protocol::Client *client, MainWindowOptions options, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_state(m_options.statePath, m_options.remember)
    , m_seriesModel(new SeriesListModel(client, this))
    , m_chart(new ChartView(client, this))
{
    setObjectName(u"main"_s);
    setWindowTitle(tr("Gapless"));
    setAccessibleName(tr("Gapless main window"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setupViews();
    setupToolBar();
    setupDocks();
    setupStatusBar();
    setupMenus();
    resize(1280, 800);
    if (!m_state.geometry().isEmpty())
        restoreGeometry(m_state.geometry());
    if (!m_state.dockState().isEmpty())
        restoreState(m_state.dockState());
    m_chart->setIndexAxis(m_options.indexAxis);
    m_chart->setLocalTime(m_options.localTime);
    m_chart->setDarkTheme(m_options.dark);
    connect(m_seriesModel, &SeriesListModel::seriesListed, this, &MainWindow::handleSeriesListed);
    connect(m_chart, &ChartView::firstPageDrawn, this, [this](const SeriesId &series) {
        if (!m_selected || *m_selected != series)
            return;
        markReady();
        if (const auto time = std::exchange(m_jumpAfterFirstPage, std::nullopt))
            m_chart->jumpToTime(*time);
    });
    connect(m_seriesModel, &QAbstractItemModel::dataChanged, this, &MainWindow::updateLag);
}

MainWindow::~MainWindow() = default;

void MainWindow::setupViews()
{
    m_seriesView = new QTableView(this);
    m_seriesView->setObjectName(u"seriesList"_s);
    m_seriesView->setModel(m_seriesModel);
    m_seriesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_seriesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_seriesView->setShowGrid(false);
    m_seriesView->setWordWrap(false);
    m_seriesView->verticalHeader()->hide();
    m_seriesView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_seriesView->horizontalHeader()->setStretchLastSection(false);
    m_seriesView->horizontalHeader()->setSectionResizeMode(SeriesListModel::SeriesColumn, QHeaderView::Stretch);
    m_seriesView->horizontalHeader()->resizeSection(SeriesListModel::LampColumn, 130);
    m_seriesView->horizontalHeader()->resizeSection(SeriesListModel::LagColumn, 90);
    m_seriesView->setIconSize(QSize(14, 14));
    m_seriesView->setAccessibleName(tr("Series list: health lamp, series id, lag"));
    m_seriesView->setToolTip(tr("Every series of the core. Lamp: ● fresh, ▲ lagging, ■ stale or failing, ○ not live"));
    m_seriesView->setMinimumWidth(200);
    connect(m_seriesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    selectSeries(current.siblingAtColumn(SeriesListModel::SeriesColumn).data().toString());
            });

    m_banner = new QFrame(this);
    m_banner->setObjectName(u"demoBanner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, m_options.dark ? QColor(0x23, 0x35, 0x52) : QColor(0xe3, 0xee, 0xfc));
    m_banner->setPalette(bannerPalette);
    auto *text = new QLabel(tr("<b>This database is empty.</b> Load the bundled demo: real SSE Composite 1-minute "
                               "bars and a local replay exchange that streams live bars with outages, so gaps, "
                               "backfill and health can be seen without a network."),
                            m_banner);
    text->setWordWrap(true);
    auto *load = new QPushButton(tr("&Load demo"), m_banner);
    load->setToolTip(tr("Import the bundled sample and start the replay exchange"));
    load->setAccessibleName(tr("Load demo"));
    auto *later = new QPushButton(tr("&Not now"), m_banner);
    later->setToolTip(tr("Hide this banner; it stays hidden"));
    later->setAccessibleName(tr("Not now"));
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(text, 1);
    bannerLayout->addWidget(load);
    bannerLayout->addWidget(later);
    m_banner->hide();
    connect(load, &QPushButton::clicked, this, &MainWindow::demoRequested);
    connect(later, &QPushButton::clicked, this, [this] {
        m_state.setDemoDeclined(true);
        m_banner->hide();
    });

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addWidget(m_banner);
    centreLayout->addWidget(m_chart, 1);
    m_chart->setAccessibleName(tr("Candlestick chart"));
    m_chart->setMinimumSize(200, 150);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"mainSplitter"_s);
    splitter->addWidget(m_seriesView);
    splitter->addWidget(centre);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({440, 840});
    setCentralWidget(splitter);
}

void MainWindow::handleSeriesListed(const QStringList &ids)
{
    m_banner->setVisible(ids.isEmpty() && m_options.offerDemo && !m_state.demoDeclined());
    updateTimeframes();
    if (ids.isEmpty()) {
        markReady();
        return;
    }
    if (m_selected && ids.contains(m_selected->toString()))
        return;
    const QString saved = m_state.selectedSeries();
    selectSeries(ids.contains(saved) ? saved : ids.constFirst());
}

void MainWindow::selectSeries(const QString &series)
{
    auto id = SeriesId::parse(series);
    if (!id || (m_selected && *m_selected == *id))
        return;
    m_selected = *id;
    m_jumpAfterFirstPage.reset();
    m_state.setSelectedSeries(series);
    const int row = m_seriesModel->rowOfKey(series);
    if (row >= 0 && m_seriesView->currentIndex().row() != row)
        m_seriesView->setCurrentIndex(m_seriesModel->index(row, SeriesListModel::SeriesColumn));
    if (m_seriesBox && m_seriesBox->currentText() != series)
        m_seriesBox->setCurrentIndex(m_seriesBox->findText(series));
    m_chart->setSeries(*id);
    setWindowTitle(tr("%1 — Gapless").arg(series));
    updateTimeframes();
    updateLag();
}

void MainWindow::updateLag()
{
    if (!m_lagLabel)
        return;
    const QJsonObject row = m_selected ? m_seriesModel->current(m_selected->toString()) : QJsonObject();
    const QJsonValue lag = row.value("lag_seconds"_L1);
    m_lagLabel->setText(!m_selected    ? tr("No series selected")
                        : lag.isDouble() ? tr("Head lag %1").arg(formatDuration(lag.toInteger()))
                                         : tr("Head lag —"));
    m_lagLabel->setAccessibleName(m_lagLabel->text());
}

void MainWindow::markReady()
{
    if (m_ready)
        return;
    m_ready = true;
    emit becameReady();
}

void MainWindow::setDemoStatus(const QString &text)
{
    m_banner->hide();
    statusBar()->showMessage(text, 15000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_state.setLayout(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace gapless::ui
