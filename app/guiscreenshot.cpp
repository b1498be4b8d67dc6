#include "app/guiscreenshot.h"

#include "ui/mainwindow.h"
#include "ui/panels/flagsdialog.h"

#include <QImage>
#include <QImageWriter>
#include <QPainter>
#include <QPixmap>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::app {

GuiScreenshot::GuiScreenshot(ui::MainWindow *window, QString file, QSize size, QString panel, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_file(std::move(file))
    , m_size(size)
    , m_panel(std::move(panel))
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(kReadyTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] { capture(false); });
}

void GuiScreenshot::start()
{
    m_window->resize(m_size);
    m_window->show();
    if (m_panel != "main"_L1)
        m_window->showPanel(m_panel);
    const auto settle = [this] { QTimer::singleShot(kSettleMs, this, [this] { capture(true); }); };
    if (m_window->isReady())
        settle();
    else
        connect(m_window, &ui::MainWindow::becameReady, this, settle);
    m_timeout.start();
}

void GuiScreenshot::capture(bool ready)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    QTextStream err(stderr);
    if (m_panel != "main"_L1)
        m_window->showPanel(m_panel);
    QImage image = m_window->grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (m_panel == "flags"_L1) {
        // The flags panel is a dialog (UI-14): drawn over the centre of the window.
        QWidget *dialog = m_window->flagsDialog();
        dialog->resize(std::min(dialog->width(), image.width() - 60), std::min(dialog->height(), image.height() - 80));
        const QImage over = dialog->grab().toImage();
        QPainter painter(&image);
        const QPoint at((image.width() - over.width()) / 2, (image.height() - over.height()) / 2);
        painter.fillRect(QRect(at, over.size()).adjusted(-1, -1, 1, 1), QColor(0, 0, 0, 120));
        painter.drawImage(at, over);
    }
    image.setDevicePixelRatio(1.0);
    if (image.size() != m_size)
        image = image.scaled(m_size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    QImageWriter writer(m_file, "png");
    if (!writer.write(image)) {
        err << "gapless: --screenshot " << m_file << ": " << writer.errorString()
            << "; expected a writable PNG path\n";
        emit finished(1);
        return;
    }
    if (!ready) {
        err << "gapless: warning: --screenshot: the window was not ready after " << kReadyTimeoutMs / 1000
            << " s (series list or first page missing); wrote " << m_file << " anyway\n";
        emit finished(1);
        return;
    }
    emit finished(0);
}

} // namespace gapless::app
