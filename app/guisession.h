#pragma once

#include "app/guioptions.h"
#include "core/protocol/client.h"
#include "core/runtime/clock.h"
#include "core/runtime/settings.h"
#include "core/store/candlestore.h"

#include <QObject>

#include <memory>

namespace gapless {
class CoreThread;
}

namespace gapless::ui {
class MainWindow;
struct MainWindowOptions;
}

namespace gapless::app {

class GuiDemo;
class GuiScreenshot;

/// One GUI run (UI-2): starts the embedded core (unless `--connect`), then the protocol
/// client and the main window, and `--screenshot` when asked. Lives on the GUI thread; the
/// embedded core runs on a CoreThread of its own (UI-4, D-UI-31).
class GuiSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiSession)
public:
    /// `sources`: what the settings were loaded from, to load them again for the demo core.
    GuiSession(const GuiOptions &gui, SettingsSources sources, protocol::ClientOptions client,
               const ui::MainWindowOptions &window, QObject *parent = nullptr);
    ~GuiSession() override;

    /// Attaches to the core at `client.url`.
    void connectRemote();
    /// Starts an embedded core on `url`; the client connects once it listens.
    void startEmbedded(const Settings &settings, const store::StoreUrl &url, const store::StoreOptions &options);

signals:
    /// The session is over with this exit code (a screenshot written, the core failed).
    void finished(int exitCode);

private:
    void openWindow(const QUrl &url);
    void startCore(const Settings &settings, const Clock &clock);
    void loadDemo();
    /// Replaces the running core by one on `settings` once the old one has stopped.
    void restartCore(const Settings &settings, const Clock &clock);

    GuiOptions m_gui;
    SettingsSources m_sources;
    protocol::ClientOptions m_clientOptions;
    std::unique_ptr<ui::MainWindowOptions> m_windowOptions;
    SystemClock m_clock;
    store::StoreUrl m_storeUrl;
    store::StoreOptions m_storeOptions;
    std::unique_ptr<GuiDemo> m_demo;
    std::unique_ptr<CoreThread> m_core;
    std::unique_ptr<protocol::Client> m_client;
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<GuiScreenshot> m_screenshot;
};

} // namespace gapless::app
