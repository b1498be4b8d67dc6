#pragma once

#include <QObject>
#include <QSize>
#include <QTimer>

namespace gapless::ui {
class MainWindow;
}

namespace gapless::app {

/// `--screenshot FILE [--size WxH] [--panel NAME]` (UI-16): once the window is ready (or
/// after 10 s), writes the whole window with NAME's dock raised as an 8-bit PNG of exactly
/// W×H px, then finished(0), or finished(1) when it was not ready in time or not written.
class GuiScreenshot final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiScreenshot)
public:
    static constexpr int kReadyTimeoutMs = 10000;
    /// After ready: two coalescing periods (UI-15), so the tables show what has arrived.
    static constexpr int kSettleMs = 450;

    GuiScreenshot(ui::MainWindow *window, QString file, QSize size, QString panel, QObject *parent = nullptr);

    /// Shows the window and waits for it to become ready.
    void start();

signals:
    void finished(int exitCode);

private:
    void capture(bool ready);

    ui::MainWindow *m_window;
    QString m_file;
    QSize m_size;
    QString m_panel;
    QTimer m_timeout;
    bool m_done = false;
};

} // namespace gapless::app
