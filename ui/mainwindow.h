#pragma once

#include <QMainWindow>

namespace gapless::ui {

/// The application window: series list, chart and dockable panels (UI-1).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace gapless::ui
