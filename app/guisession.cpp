#include "app/guisession.h"

#include "app/guidemo.h"
#include "app/guiscreenshot.h"
#include "core/runtime/corethread.h"
#include "ui/connectionstatus.h"
#include "ui/mainwindow.h"
#include "ui/models/serieslistmodel.h"

#include <QMessageBox>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace gapless::app {

GuiSession::GuiSession(const GuiOptions &gui, SettingsSources sources, protocol::ClientOptions client,
                       const ui::MainWindowOptions &window, QObject *parent)
    : QObject(parent)
    , m_gui(gui)
    , m_sources(std::move(sources))
    , m_clientOptions(std::move(client))
    , m_windowOptions(std::make_unique<ui::MainWindowOptions>(window))
{
}

GuiSession::~GuiSession()
{
    // The window and its models go before the client they listen to, the client before the core.
    m_screenshot.reset();
    m_window.reset();
    m_client.reset();
    m_core.reset();
    // A core still stopping for the demo's (restartCore) reads a clock this session owns.
    qDeleteAll(findChildren<CoreThread *>(Qt::FindDirectChildrenOnly));
    m_demo.reset();
}

void GuiSession::connectRemote()
{
    openWindow(m_clientOptions.url);
}

void GuiSession::startEmbedded(const Settings &settings, const store::StoreUrl &url,
                               const store::StoreOptions &options)
{
    m_storeUrl = url;
    m_storeOptions = options;
    startCore(settings, m_clock);
}

void GuiSession::startCore(const Settings &settings, const Clock &clock)
{
    m_core = std::make_unique<CoreThread>(settings, clock, m_storeUrl, m_storeOptions);
    connect(m_core.get(), &CoreThread::started, this, [this](const QUrl &url) {
        if (!m_client) {
            openWindow(url);
            if (m_gui.demo) {
                loadDemo(); // replaces this core by the demo's
                return;
            }
        }
        if (m_demo)
            m_demo->importSample(m_core->writer(), m_demo->clock().nowSeconds());
    });
    connect(m_core.get(), &CoreThread::startFailed, this, [this](const Error &error) {
        QTextStream(stderr) << "gapless: " << error.message << "\n";
        if (m_window) {
            m_window->connectionStatus()->setDisconnected(error.message);
            return;
        }
        if (m_gui.screenshotFile.isEmpty())
            QMessageBox::critical(nullptr, tr("Gapless"), tr("The core did not start:\n%1").arg(error.message));
        emit finished(1);
    });
    m_core->start();
}

void GuiSession::openWindow(const QUrl &url)
{
    m_clientOptions.url = url;
    m_client = std::make_unique<protocol::Client>(m_clientOptions);
    m_window = std::make_unique<ui::MainWindow>(m_client.get(), *m_windowOptions);
    connect(m_window.get(), &ui::MainWindow::demoRequested, this, &GuiSession::loadDemo);
    m_client->open();
    if (m_gui.screenshotFile.isEmpty()) {
        m_window->show();
        return;
    }
    m_screenshot = std::make_unique<GuiScreenshot>(m_window.get(), m_gui.screenshotFile, m_gui.size, m_gui.panel);
    connect(m_screenshot.get(), &GuiScreenshot::finished, this, &GuiSession::finished);
    m_screenshot->start();
}

void GuiSession::loadDemo()
{
    if (!m_core || m_demo || m_core->url().isEmpty())
        return;
    m_window->setDemoStatus(tr("Loading the demo: importing the sample and starting the replay exchange…"));
    auto demo = std::make_unique<GuiDemo>(m_clock);
    if (auto ok = demo->start(); !ok) {
        m_window->setDemoStatus(tr("Demo failed: %1").arg(ok.error().message));
        return;
    }
    // The demo core replaces the empty one on the same port; the client reconnects by itself.
    SettingsSources sources = m_sources;
    sources.cli.append(demo->coreSettings());
    sources.cli.append({u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_core->url().port())});
    auto settings = Settings::load(sources);
    if (!settings) {
        m_window->setDemoStatus(tr("Demo failed: %1").arg(settings.error().message));
        return;
    }
    m_demo = std::move(demo);
    connect(m_demo.get(), &GuiDemo::imported, this, [this](qint64 rows) {
        m_window->setDemoStatus(tr("Demo loaded: %1 sample bars imported; DEMO/USDT streams from the replay "
                                   "exchange").arg(rows));
        m_window->seriesModel()->refresh();
    });
    connect(m_demo.get(), &GuiDemo::importFailed, this, [this](const Error &error) {
        m_window->setDemoStatus(tr("Demo import failed: %1").arg(error.message));
    });
    restartCore(*settings, m_demo->clock());
}

void GuiSession::restartCore(const Settings &settings, const Clock &clock)
{
    // The old core stops on its own thread while the window goes on; the new one takes its
    // port once the old one has let go of it.
    CoreThread *old = m_core.release();
    old->setParent(this);
    connect(old, &CoreThread::stopped, this, [this, old, settings, &clock] {
        old->deleteLater();
        startCore(settings, clock);
    });
    old->stop();
}

} // namespace gapless::app
