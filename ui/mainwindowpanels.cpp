#include "ui/mainwindow.h"

#include "ui/chart/chartview.h"
#include "ui/connectionstatus.h"
#include "ui/models/compensationmodel.h"
#include "ui/models/flagsmodel.h"
#include "ui/models/gapsmodel.h"
#include "ui/models/healthmodel.h"
#include "ui/models/jobsmodel.h"
#include "ui/models/progressmodel.h"
#include "ui/models/reviewmodel.h"
#include "ui/models/serieslistmodel.h"
#include "ui/panels/actionpanels.h"
#include "ui/panels/flagsdialog.h"
#include "ui/panels/gapspanel.h"
#include "ui/panels/progresspanel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace gapless::ui {

namespace {

const QStringList kTimeframes{u"1m"_s, u"5m"_s, u"15m"_s, u"1h"_s, u"4h"_s, u"1d"_s};

/// The id without its timeframe: `binance:spot:BTC/USDT`.
QString instrumentOf(const QString &series)
{
    return series.left(series.lastIndexOf(u':'));
}

QAction *toggle(QToolBar *bar, const QString &text, const QString &tip, const QKeySequence &key, bool on)
{
    QAction *action = bar->addAction(text);
    action->setCheckable(true);
    action->setChecked(on);
    action->setShortcut(key);
    action->setToolTip(u"%1 (%2)"_s.arg(tip, key.toString(QKeySequence::NativeText)));
    return action;
}

} // namespace

void MainWindow::setupToolBar()
{
    QToolBar *bar = addToolBar(tr("Chart"));
    bar->setObjectName(u"chartToolBar"_s);
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    // A toggle that is on must read as on in both themes.
    bar->setStyleSheet(u"QToolButton { padding: 3px 8px; }"
                       u"QToolButton:checked { background-color: palette(highlight); color: palette(highlighted-text);"
                       u" border-radius: 3px; }"_s);
    auto *seriesLabel = new QLabel(tr(" Series "), bar);
    bar->addWidget(seriesLabel);
    m_seriesBox = new QComboBox(bar);
    m_seriesBox->setModel(m_seriesModel);
    m_seriesBox->setModelColumn(SeriesListModel::SeriesColumn);
    m_seriesBox->setMinimumContentsLength(26);
    m_seriesBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_seriesBox->setToolTip(tr("The series on the chart"));
    m_seriesBox->setAccessibleName(tr("Series"));
    seriesLabel->setBuddy(m_seriesBox);
    bar->addWidget(m_seriesBox);
    connect(m_seriesBox, &QComboBox::activated, this, [this](int) { selectSeries(m_seriesBox->currentText()); });

    bar->addWidget(new QLabel(tr("  Timeframe "), bar));
    m_timeframeBox = new QComboBox(bar);
    m_timeframeBox->addItems(kTimeframes);
    m_timeframeBox->setToolTip(tr("Show another timeframe of the same instrument, when the core stores it"));
    m_timeframeBox->setAccessibleName(tr("Timeframe"));
    bar->addWidget(m_timeframeBox);
    connect(m_timeframeBox, &QComboBox::activated, this, [this](int) {
        if (m_selected)
            selectSeries(instrumentOf(m_selected->toString()) + u':' + m_timeframeBox->currentText());
    });
    bar->addSeparator();

    QAction *index = toggle(bar, tr("Index"), tr("Index axis: one slot per bar, breaks shrink; off: linear time"),
                            QKeySequence(Qt::Key_I), m_options.indexAxis);
    connect(index, &QAction::toggled, this, [this, index](bool on) {
        index->setText(on ? tr("Index") : tr("Time"));
        m_chart->setIndexAxis(on);
    });
    index->setText(m_options.indexAxis ? tr("Index") : tr("Time"));
    QAction *local = toggle(bar, tr("UTC"), tr("Times in UTC or local time"), QKeySequence(Qt::Key_T),
                            m_options.localTime);
    connect(local, &QAction::toggled, this, [this, local](bool on) {
        local->setText(on ? tr("Local") : tr("UTC"));
        m_chart->setLocalTime(on);
    });
    local->setText(m_options.localTime ? tr("Local") : tr("UTC"));
    QAction *pivots = toggle(bar, tr("Pivots"), tr("Pivot markers"), QKeySequence(Qt::Key_P), true);
    connect(pivots, &QAction::toggled, m_chart, &ChartView::setPivotsVisible);
    QAction *pen = toggle(bar, tr("Pen"), tr("Confirmed pen polyline"), QKeySequence(Qt::SHIFT | Qt::Key_P), true);
    connect(pen, &QAction::toggled, m_chart, &ChartView::setPenVisible);
}

void MainWindow::updateTimeframes()
{
    if (!m_timeframeBox)
        return;
    const QStringList ids = m_seriesModel->seriesIds();
    const QString instrument = m_selected ? instrumentOf(m_selected->toString()) : QString();
    for (int i = 0; i < kTimeframes.size(); ++i) {
        const bool stored = ids.contains(instrument + u':' + kTimeframes.at(i));
        m_timeframeBox->setItemData(i, stored ? QVariant() : QVariant(0), Qt::UserRole - 1);
    }
    if (m_selected) {
        const int at = m_timeframeBox->findText(m_selected->timeframe().toString());
        if (at >= 0)
            m_timeframeBox->setCurrentIndex(at);
    }
}

void MainWindow::addPanel(const QString &name, const QString &title, QWidget *body, const QString &shortcut)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(body);
    dock->setAccessibleName(tr("%1 panel").arg(title));
    body->setAccessibleName(title);
    for (QTableView *view : body->findChildren<QTableView *>()) {
        if (view->accessibleName().isEmpty())
            view->setAccessibleName(tr("%1 table").arg(title));
    }
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (!m_docks.isEmpty())
        tabifyDockWidget(m_docks.value(u"health"_s), dock);
    m_docks.insert(name, dock);
    QAction *action = dock->toggleViewAction();
    action->setShortcut(QKeySequence(shortcut));
    action->setToolTip(tr("Show or hide the %1 panel").arg(title));
    m_panelActions.append(action);
}

void MainWindow::setupDocks()
{
    setTabPosition(Qt::BottomDockWidgetArea, QTabWidget::North);
    auto *health = new TablePanel(new HealthModel(m_client, this), tr("Waiting for the core's health report…"), this);
    health->setStretchColumn(HealthModel::SeriesColumn);
    addPanel(u"health"_s, tr("Health"), health, u"Alt+1"_s);
    addPanel(u"compensation"_s, tr("Compensation"), new CompensationPanel(new CompensationModel(m_client, this), this),
             u"Alt+2"_s);
    m_progress = new ProgressPanel(new ProgressModel(m_client, {}, this), this);
    m_progress->setDarkTheme(m_options.dark);
    addPanel(u"progress"_s, tr("Progress"), m_progress, u"Alt+3"_s);
    m_gapsModel = new GapsModel(m_client, this);
    auto *gaps = new GapsPanel(m_gapsModel, m_client, this);
    m_gapsPanel = gaps;
    gaps->setStretchColumn(GapsModel::SeriesColumn);
    connect(gaps, &GapsPanel::gapSelected, this, &MainWindow::showGap);
    connect(m_seriesModel, &SeriesListModel::seriesListed, m_gapsModel, [this](const QStringList &ids) {
        for (const QString &id : ids) {
            if (auto series = SeriesId::parse(id))
                m_gapsModel->requestGaps(*series);
        }
    });
    addPanel(u"gaps"_s, tr("Gaps"), gaps, u"Alt+4"_s);
    addPanel(u"review"_s, tr("Review"), new ReviewPanel(new ReviewModel(m_client, this), this), u"Alt+5"_s);
    m_jobsModel = new JobsModel(m_client, this);
    addPanel(u"jobs"_s, tr("Jobs"), new JobsPanel(m_jobsModel, this), u"Alt+6"_s);
    m_docks.value(u"health"_s)->raise();
    resizeDocks({m_docks.value(u"health"_s)}, {300}, Qt::Vertical);
    m_flags = new FlagsDialog(new FlagsModel(m_client, this), this);
}

void MainWindow::setupStatusBar()
{
    m_status = new ConnectionStatus(m_client, m_options.coreLabel, this);
    statusBar()->addWidget(m_status);
    m_lagLabel = new QLabel(this);
    m_lagLabel->setToolTip(tr("How far the selected series' newest bar is behind the newest closed bar (HLT-1)"));
    statusBar()->addPermanentWidget(m_lagLabel);
    m_jobsLabel = new QLabel(tr("No running jobs"), this);
    m_jobsLabel->setToolTip(tr("Jobs queued or running on the core"));
    statusBar()->addPermanentWidget(m_jobsLabel);
    connect(m_jobsModel, &JobsModel::activeCountChanged, this, [this](int count) {
        m_jobsLabel->setText(count == 0 ? tr("No running jobs") : tr("%n running job(s)", nullptr, count));
        m_jobsLabel->setAccessibleName(m_jobsLabel->text());
    });
    updateLag();
}

void MainWindow::setupMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *series = view->addAction(tr("&Series list"), this, [this] { m_seriesView->setFocus(); });
    series->setShortcut(QKeySequence(u"Alt+0"_s));
    QAction *chart = view->addAction(tr("&Chart"), this, [this] { m_chart->setFocus(); });
    chart->setShortcut(QKeySequence(u"Alt+C"_s));
    view->addSeparator();
    for (QAction *action : std::as_const(m_panelActions))
        view->addAction(action);
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    QAction *flags = tools->addAction(tr("&Flags…"), this, [this] { showPanel(u"flags"_s); });
    flags->setShortcut(QKeySequence(u"Ctrl+,"_s));
    flags->setToolTip(tr("The core's settings; runtime-safe ones can be changed"));
}

void MainWindow::showGap(const SeriesId &series, qint64 time)
{
    if (m_selected && *m_selected == series) {
        m_chart->jumpToTime(time);
        return;
    }
    // Another series: its chart is empty until its first page; jump then.
    selectSeries(series.toString());
    m_jumpAfterFirstPage = time;
}

void MainWindow::selectFirstGap()
{
    if (!m_selected || m_gapsPanel->currentRow() >= 0)
        return;
    const QString series = m_selected->toString();
    for (int row = 0; row < m_gapsModel->rowCount(); ++row) {
        if (m_gapsModel->seriesOf(row) == series) {
            const auto *proxy = static_cast<QSortFilterProxyModel *>(m_gapsPanel->view()->model());
            m_gapsPanel->view()->setCurrentIndex(proxy->mapFromSource(m_gapsModel->index(row, 0)));
            return;
        }
    }
    // Not listed yet: try again when rows arrive.
    connect(m_gapsModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::selectFirstGap,
            Qt::SingleShotConnection);
}

bool MainWindow::showPanel(const QString &name)
{
    if (name == "flags"_L1) {
        m_flags->show();
        m_flags->raise();
        return true;
    }
    QDockWidget *dock = m_docks.value(name);
    if (!dock)
        return false;
    dock->show();
    dock->raise();
    if (name == "gaps"_L1)
        selectFirstGap();
    return true;
}

} // namespace gapless::ui
