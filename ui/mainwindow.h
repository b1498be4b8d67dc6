#pragma once

#include "core/domain/seriesid.h"
#include "ui/uistate.h"

#include <QHash>
#include <QMainWindow>

#include <optional>

class QAction;
class QComboBox;
class QDockWidget;
class QFrame;
class QLabel;
class QTableView;

namespace gapless::protocol {
class Client;
}

namespace gapless::ui {

class ChartView;
class ConnectionStatus;
class FlagsDialog;
class GapsModel;
class GapsPanel;
class JobsModel;
class ProgressPanel;
class SeriesListModel;

/// How the window starts (UI-1, UI-3, UI-17).
struct MainWindowOptions
{
    QString statePath;        ///< the `[ui]` INI (D-UI-20); empty: remember nothing
    QString coreLabel;        ///< what "Connected to …" names
    bool dark = false;        ///< the applied theme is dark
    bool indexAxis = true;    ///< ui.axis_mode
    bool localTime = false;   ///< ui.time_zone
    bool offerDemo = true;    ///< an empty database may show the demo banner
    bool remember = true;     ///< save layout and selection back to statePath (not for --screenshot)
};

/// The application window (UI-1): series list left, chart centre, the panels of UI-14 as
/// docks, toolbar and status bar. Everything comes through the protocol client.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    MainWindow(protocol::Client *client, MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// UI-16: `series_list` answered and the selected series' first page drawn, or the list
    /// is empty.
    [[nodiscard]] bool isReady() const { return m_ready; }
    /// Shows and raises the dock of a UI-14 panel (`flags`: opens the dialog); false if unknown.
    /// `gaps` also selects the selected series' first gap, now or when it is listed (D-UI-30).
    bool showPanel(const QString &name);
    [[nodiscard]] QDockWidget *dock(const QString &name) const { return m_docks.value(name); }
    [[nodiscard]] FlagsDialog *flagsDialog() const { return m_flags; }
    [[nodiscard]] ChartView *chartView() const { return m_chart; }
    [[nodiscard]] QTableView *seriesView() const { return m_seriesView; }
    [[nodiscard]] SeriesListModel *seriesModel() const { return m_seriesModel; }
    [[nodiscard]] ConnectionStatus *connectionStatus() const { return m_status; }
    [[nodiscard]] std::optional<SeriesId> selectedSeries() const { return m_selected; }
    void selectSeries(const QString &series);
    /// Hides the demo banner and shows `text` (e.g. "Loading the demo…") in the status bar.
    void setDemoStatus(const QString &text);

signals:
    void becameReady();
    /// "Load demo" on the empty-database banner (UI-3).
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setupViews();
    void setupToolBar();
    void setupDocks();
    void setupStatusBar();
    void setupMenus();
    void addPanel(const QString &name, const QString &title, QWidget *body, const QString &shortcut);
    void handleSeriesListed(const QStringList &ids);
    void updateTimeframes();
    void updateLag();
    void markReady();
    void showGap(const SeriesId &series, qint64 time);
    void selectFirstGap();

    protocol::Client *m_client;
    MainWindowOptions m_options;
    UiState m_state;
    SeriesListModel *m_seriesModel;
    GapsModel *m_gapsModel = nullptr;
    GapsPanel *m_gapsPanel = nullptr;
    JobsModel *m_jobsModel = nullptr;
    ChartView *m_chart;
    QTableView *m_seriesView = nullptr;
    QFrame *m_banner = nullptr;
    QComboBox *m_seriesBox = nullptr;
    QComboBox *m_timeframeBox = nullptr;
    ConnectionStatus *m_status = nullptr;
    QLabel *m_lagLabel = nullptr;
    QLabel *m_jobsLabel = nullptr;
    ProgressPanel *m_progress = nullptr;
    FlagsDialog *m_flags = nullptr;
    QHash<QString, QDockWidget *> m_docks;
    QList<QAction *> m_panelActions;
    std::optional<SeriesId> m_selected;
    std::optional<qint64> m_jumpAfterFirstPage; ///< a gap of another series was selected
    bool m_ready = false;
};

} // namespace gapless::ui
