// UI-1, UI-3, UI-16: the main window against a real core: the selected series (saved, else
// the first by id), readiness, the demo banner remembered, panels raised by name.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/chart/chartview.h"
#include "ui/connectionstatus.h"
#include "ui/mainwindow.h"
#include "ui/models/serieslistmodel.h"

#include <QAction>
#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void selectsTheFirstSeriesByIdThenTheSavedOne();
    void emptyDatabaseShowsTheBannerUntilDeclined();
    void panelsAreDocksNamedForScreenshots();
};

namespace {

const qint64 kStart = 1'726'600'000 / 60 * 60;

} // namespace

void TestMainWindow::selectsTheFirstSeriesByIdThenTheSavedOne()
{
    QTemporaryDir dir;
    test::TestCore core(1'726'700'000'000);
    QVERIFY2(core.start(), qPrintable(core.error()));
    QVERIFY(core.ingest(*SeriesId::parse(u"file:cn:b:1m"), test::syntheticCandles(kStart, 5)));
    QVERIFY(core.ingest(*SeriesId::parse(u"file:cn:a:1m"), test::syntheticCandles(kStart, 5)));
    ui::MainWindowOptions options;
    options.statePath = dir.filePath(u"ui.ini"_s);
    options.coreLabel = u"test core"_s;
    {
        protocol::Client client(test::clientOptions(core.url()));
        ui::MainWindow window(&client, options);
        QSignalSpy ready(&window, &ui::MainWindow::becameReady);
        client.open();
        QVERIFY(ready.wait(10000));
        QCOMPARE(window.selectedSeries()->toString(), u"file:cn:a:1m"_s);
        QCOMPARE(window.chartView()->series()->toString(), u"file:cn:a:1m"_s);
        QVERIFY(window.connectionStatus()->text().startsWith(u"Connected to test core"_s));
        window.selectSeries(u"file:cn:b:1m"_s);
        QCOMPARE(window.seriesView()->currentIndex().row(), window.seriesModel()->rowOfKey(u"file:cn:b:1m"_s));
    }
    protocol::Client client(test::clientOptions(core.url()));
    ui::MainWindow window(&client, options);
    QSignalSpy ready(&window, &ui::MainWindow::becameReady);
    client.open();
    QVERIFY(ready.wait(10000));
    QCOMPARE(window.selectedSeries()->toString(), u"file:cn:b:1m"_s); // saved in [ui]
}

void TestMainWindow::emptyDatabaseShowsTheBannerUntilDeclined()
{
    QTemporaryDir dir;
    test::TestCore core(1'726'700'000'000);
    QVERIFY2(core.start(), qPrintable(core.error()));
    ui::MainWindowOptions options;
    options.statePath = dir.filePath(u"ui.ini"_s);
    {
        protocol::Client client(test::clientOptions(core.url()));
        ui::MainWindow window(&client, options);
        window.show();
        QSignalSpy ready(&window, &ui::MainWindow::becameReady);
        client.open();
        QVERIFY(ready.wait(10000)); // an empty database is ready at once (UI-16)
        auto *banner = window.findChild<QWidget *>(u"demoBanner"_s);
        QVERIFY(banner && banner->isVisible());
        QSignalSpy demo(&window, &ui::MainWindow::demoRequested);
        QPushButton *load = nullptr;
        QPushButton *later = nullptr;
        for (QPushButton *button : banner->findChildren<QPushButton *>()) {
            if (button->accessibleName() == "Load demo"_L1)
                load = button;
            if (button->accessibleName() == "Not now"_L1)
                later = button;
        }
        QVERIFY(load && later);
        load->click();
        QCOMPARE(demo.count(), 1);
        later->click();
        QVERIFY(!banner->isVisible());
    }
    protocol::Client client(test::clientOptions(core.url()));
    ui::MainWindow window(&client, options);
    window.show();
    QSignalSpy ready(&window, &ui::MainWindow::becameReady);
    client.open();
    QVERIFY(ready.wait(10000));
    QVERIFY(!window.findChild<QWidget *>(u"demoBanner"_s)->isVisible()); // "Not now" remembered
}

void TestMainWindow::panelsAreDocksNamedForScreenshots()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::MainWindow window(&client, {});
    window.show();
    for (const QString &name : {u"health"_s, u"compensation"_s, u"progress"_s, u"gaps"_s, u"review"_s, u"jobs"_s}) {
        QDockWidget *dock = window.dock(name);
        QVERIFY2(dock, qPrintable(name));
        QCOMPARE(dock->objectName(), name);
        QVERIFY(!dock->accessibleName().isEmpty());
        QVERIFY(window.showPanel(name));
        QVERIFY(dock->isVisible());
        QVERIFY(!dock->visibleRegion().isEmpty()); // raised above its tabbed siblings
        // UI-18: every table and button names itself and explains itself.
        for (QTableView *view : dock->findChildren<QTableView *>())
            QVERIFY2(!view->accessibleName().isEmpty(), qPrintable(name));
        for (QPushButton *button : dock->findChildren<QPushButton *>()) {
            QVERIFY2(!button->accessibleName().isEmpty(), qPrintable(button->text()));
            QVERIFY2(!button->toolTip().isEmpty(), qPrintable(button->text()));
        }
        QVERIFY(!dock->toggleViewAction()->shortcut().isEmpty());
    }
    QVERIFY(window.showPanel(u"flags"_s));
    QVERIFY(!window.showPanel(u"charts"_s));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
