// UI-3, BF-24, D-UI-25, D-UI-31: `gapless demo` opens the window on an embedded core that runs
// on its own thread, replaces it by the demo's core on the same port once it has stopped, and
// imports the sample through the new core's writer while the replay streams DEMO/USDT.
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

qsizetype storedCount(const QString &path, const QString &series)
{
    store::StoreUrl url;
    url.path = path;
    store::StoreOptions options;
    options.readOnly = true;
    auto opened = store::CandleStore::open(url, options);
    if (!opened)
        return -1;
    auto rows = (*opened)->range(*SeriesId::parse(series), 0, std::numeric_limits<qint64>::max());
    return rows ? rows->size() : -1;
}

} // namespace

class TestGuiDemo final : public QObject
{
    Q_OBJECT

private slots:
    void demoCoreTakesOverAndImports();
};

void TestGuiDemo::demoCoreTakesOverAndImports()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(u"demo.db"_s);
    QProcessEnvironment env;
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    QProcess gui;
    test::startGapless(gui, {u"demo"_s, u"--db"_s, db}, dir.filePath(u"home"_s), env);
    QVERIFY2(gui.waitForStarted(10000), qPrintable(gui.errorString()));

    // The whole sample (16,080 bars) through the demo core's writer, and live bars from the
    // replay exchange that only the demo core's settings point at.
    QTRY_VERIFY_WITH_TIMEOUT(storedCount(db, u"file:cn:000001.SH:1m"_s) == 16080
                                 || gui.state() == QProcess::NotRunning,
                             60000);
    QTRY_VERIFY_WITH_TIMEOUT(storedCount(db, u"binance:spot:DEMO/USDT:1m"_s) > 0
                                 || gui.state() == QProcess::NotRunning,
                             60000);
    QVERIFY2(gui.state() == QProcess::Running,
             qPrintable(u"gapless demo ended early (exit %1): %2"_s.arg(gui.exitCode())
                            .arg(QString::fromUtf8(gui.readAllStandardError()))));
    QCOMPARE(storedCount(db, u"file:cn:000001.SH:1m"_s), qsizetype(16080));

    gui.terminate();
    QVERIFY(gui.waitForFinished(30000));
}

QTEST_GUILESS_MAIN(TestGuiDemo)
#include "tst_guidemo.moc"
