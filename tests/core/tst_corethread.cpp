// D-UI-31 (UI-2, UI-4): the desktop app's embedded core runs on a CoreThread: it serves while
// the owner's thread is busy, its signals reach the owner's thread, ingest goes through its
// writer, and stop() ends the thread and lets go of the port.
#include "core/ingest/ingestrun.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/corethread.h"
#include "core/store/candlestore.h"
#include "tests/support/testcore.h"
#include "tests/support/testdatabase.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:THREAD:1m");
constexpr qint64 kT0 = 1700000000 - 1700000000 % 60;

} // namespace

class TestCoreThread final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servesWhileTheOwnerThreadIsBlocked();
    void ingestsThroughItsWriter();
    void stopFreesThePortForTheNextCore();
    void reportsAFailedStart_data();
    void reportsAFailedStart();

private:
    [[nodiscard]] std::unique_ptr<CoreThread> makeCore(const QString &listen, const store::StoreUrl &url);
    [[nodiscard]] static bool waitStarted(CoreThread &core);

    TestDatabase m_db;
    FixedClock m_clock{(kT0 + 86400) * 1000};
};

void TestCoreThread::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
}

std::unique_ptr<CoreThread> TestCoreThread::makeCore(const QString &listen, const store::StoreUrl &url)
{
    SettingsSources sources;
    sources.configDir = m_db.tempPath(u"config"_s);
    sources.dataDir = m_db.tempPath(u"data"_s);
    sources.cli.append({u"--db"_s, urlText(url)});
    sources.cli.append({u"--listen"_s, listen});
    auto settings = Settings::load(sources);
    if (!settings) {
        qWarning().noquote() << settings.error().message;
        return nullptr;
    }
    return std::make_unique<CoreThread>(*settings, m_clock, url, store::StoreOptions());
}

bool TestCoreThread::waitStarted(CoreThread &core)
{
    QSignalSpy started(&core, &CoreThread::started);
    QSignalSpy failed(&core, &CoreThread::startFailed);
    core.start();
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30000))
        return false;
    if (!failed.isEmpty())
        qWarning().noquote() << failed.first().first().value<Error>().message;
    return !started.isEmpty() && !core.url().isEmpty();
}

void TestCoreThread::servesWhileTheOwnerThreadIsBlocked()
{
    auto core = makeCore(u"127.0.0.1:0"_s, m_db.freshUrl());
    QVERIFY(core);
    const QThread *owner = QThread::currentThread();
    const QThread *signalledOn = nullptr;
    connect(core.get(), &CoreThread::started, this, [&] { signalledOn = QThread::currentThread(); });
    QVERIFY(waitStarted(*core));
    QCOMPARE(signalledOn, owner);

    // The handshake is answered while this thread waits in a blocking read and runs no
    // events: a core on this thread could not answer at all.
    const QUrl url = core->url();
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray request = "GET " + url.path().toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1:"
                               + QByteArray::number(url.port())
                               + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.write(request);
    QVERIFY(socket.waitForBytesWritten(5000));
    QByteArray reply;
    while (!reply.contains("\r\n\r\n") && socket.waitForReadyRead(10000))
        reply += socket.readAll();
    QVERIFY2(reply.startsWith("HTTP/1.1 101"), reply.constData());
}

void TestCoreThread::ingestsThroughItsWriter()
{
    const store::StoreUrl url = m_db.freshUrl();
    auto core = makeCore(u"127.0.0.1:0"_s, url);
    QVERIFY(core);
    QVERIFY(waitStarted(*core));
    QVERIFY(core->writer());

    ingest::IngestRun run;
    run.source = u"live"_s;
    run.add(kSeries, syntheticCandles(kT0, 30));
    QSignalSpy finished(core->writer(), &ingest::IngestWriter::runFinished);
    core->writer()->submit(run);
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.first().first().value<ingest::RunReport>().ok());

    store::StoreOptions readOnly;
    readOnly.readOnly = true;
    auto opened = store::CandleStore::open(url, readOnly);
    QVERIFY(opened);
    auto rows = (*opened)->range(kSeries, 0, std::numeric_limits<qint64>::max());
    QVERIFY(rows);
    QCOMPARE(rows->size(), qsizetype(30));
    QCOMPARE(rows->first().time, kT0);
}

void TestCoreThread::stopFreesThePortForTheNextCore()
{
    const store::StoreUrl url = m_db.freshUrl();
    auto first = makeCore(u"127.0.0.1:0"_s, url);
    QVERIFY(first);
    QVERIFY(waitStarted(*first));
    const int port = first->url().port();

    QSignalSpy stopped(first.get(), &CoreThread::stopped);
    first->stop();
    first->stop(); // a second call does nothing
    QVERIFY(first->isStopping());
    QCOMPARE(first->writer(), nullptr);
    QVERIFY(stopped.wait(30000));
    QCOMPARE(stopped.count(), 1);

    // The same store and port, as the demo's core takes over from the empty one.
    auto second = makeCore(u"127.0.0.1:%1"_s.arg(port), url);
    QVERIFY(second);
    QVERIFY(waitStarted(*second));
    QCOMPARE(second->url().port(), port);
    first.reset();
    QVERIFY(second->writer());
}

void TestCoreThread::reportsAFailedStart_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::addRow("port in use") << u"port"_s << u"expected a free port"_s;
    QTest::addRow("store path under a file") << u"store"_s << u"not-a-directory"_s;
}

void TestCoreThread::reportsAFailedStart()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    QString listen = u"127.0.0.1:0"_s;
    store::StoreUrl url = m_db.freshUrl();
    if (what == "port"_L1) {
        listen = u"127.0.0.1:%1"_s.arg(taken.serverPort());
    } else {
        if (m_db.isPostgres())
            QSKIP("a file path is an SQLite store");
        QFile file(m_db.tempPath(u"not-a-directory"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        url = store::StoreUrl();
        url.path = file.fileName() + u"/store.db"_s;
    }
    auto core = makeCore(listen, url);
    QVERIFY(core);
    QSignalSpy started(core.get(), &CoreThread::started);
    QSignalSpy failed(core.get(), &CoreThread::startFailed);
    core->start();
    QVERIFY(failed.wait(30000));
    const QString message = failed.first().first().value<Error>().message;
    QVERIFY2(message.contains(expected), qPrintable(message));
    QCOMPARE(started.count(), 0);
    QVERIFY(core->url().isEmpty());
    QCOMPARE(core->writer(), nullptr);

    // A core that failed to start still stops and joins.
    QSignalSpy stopped(core.get(), &CoreThread::stopped);
    core->stop();
    QVERIFY(stopped.wait(30000));
}

QTEST_GUILESS_MAIN(TestCoreThread)
#include "tst_corethread.moc"
