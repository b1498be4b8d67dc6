#include "ui/mainwindow.h"

using namespace Qt::StringLiterals;

namespace gapless::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(u"Gapless"_s);
    resize(1280, 800);
}

} // namespace gapless::ui
