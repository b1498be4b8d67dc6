// UI-4 (tables), UI-15: the GUI thread never stalls while a table takes a flood of updates. A
// server on its own thread pushes 10,000 `job` frames (2,500 jobs, four rounds of 2,500 frames
// 50 ms apart); the jobs panel is shown; a 50 ms timer on the GUI thread keeps ticking within
// 100 ms.
#include "core/protocol/client.h"
#include "tests/ui/scriptedcommands.h"
#include "tests/ui/stallmeter.h"
#include "ui/models/jobsmodel.h"
#include "ui/panels/actionpanels.h"

#include <QElapsedTimer>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr int kJobs = 2500;
const QStringList kStates{u"queued"_s, u"running"_s, u"running"_s, u"succeeded"_s};
constexpr int kFrames = 10000; // kJobs × kStates
/// Far denser than any core's jobs topic. Receiving a frame costs the protocol client about
/// 5 µs on the GUI thread, so one unpaced burst of all 10,000 frames is read in one 50–80 ms
/// slice; D-UI-29.
constexpr int kRoundGapMs = 50;

QJsonObject jobFrame(int job, int step)
{
    const qint64 done = 1000 * step / (kStates.size() - 1);
    return test::topicFrame(
        u"job", {{u"job_id"_s, QString::number((qint64(1) << 53) + job)},
                 {u"kind"_s, u"backfill"_s},
                 {u"series_id"_s, u"binance:spot:S%1/USDT:1m"_s.arg(job)},
                 {u"state"_s, kStates.at(step)},
                 {u"progress"_s, QJsonObject{{u"done"_s, done}, {u"total"_s, 1000}, {u"unit"_s, u"candles"_s},
                                             {u"note"_s, u"fetch"_s}}},
                 {u"error"_s, QJsonValue(QJsonValue::Null)}});
}

/// A ScriptedServer living on its own thread, so that sending the flood costs the GUI thread
/// nothing: all the GUI thread does is what the UI does with the frames.
class ThreadedServer
{
public:
    ThreadedServer()
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        onThread([this] {
            m_server = new ScriptedServer;
            if (m_server->listen())
                m_url = m_server->url();
        });
    }
    ~ThreadedServer()
    {
        onThread([this] { delete m_server; });
        m_thread.quit();
        m_thread.wait();
    }
    Q_DISABLE_COPY_MOVE(ThreadedServer)

    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] int connections()
    {
        int n = 0;
        onThread([&] { n = m_server->connectionCount(); });
        return n;
    }
    /// Sends each round's frames at once, `gapMs` apart, on the server's thread; returns at once.
    void sendRounds(QList<QList<QJsonObject>> rounds, int gapMs)
    {
        auto pending = std::make_shared<QList<QList<QJsonObject>>>(std::move(rounds));
        auto next = std::make_shared<std::function<void()>>();
        *next = [this, pending, next, gapMs] {
            if (pending->isEmpty())
                return;
            for (const QJsonObject &frame : pending->takeFirst())
                m_server->send(frame);
            QTimer::singleShot(gapMs, &m_context, *next);
        };
        QMetaObject::invokeMethod(&m_context, *next);
    }

private:
    void onThread(const std::function<void()> &work)
    {
        QMetaObject::invokeMethod(&m_context, work, Qt::BlockingQueuedConnection);
    }

    QThread m_thread;
    QObject m_context;
    ScriptedServer *m_server = nullptr;
    QUrl m_url;
};

} // namespace

class TestTableStall final : public QObject
{
    Q_OBJECT

private slots:
    void timerKeepsTickingWhileTheJobsTableTakesTenThousandUpdates();
};

void TestTableStall::timerKeepsTickingWhileTheJobsTableTakesTenThousandUpdates()
{
    ThreadedServer server;
    QVERIFY(server.url().isValid());
    protocol::Client client(test::clientOptions(server.url()));
    ui::JobsModel model(&client);
    ui::JobsPanel panel(&model);
    panel.resize(1000, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    QCOMPARE(server.connections(), 1);

    // Every job moves one step per round: 2,500 frames at once, a round each kRoundGapMs.
    QList<QList<QJsonObject>> rounds;
    for (int step = 0; step < kStates.size(); ++step) {
        QList<QJsonObject> &round = rounds.emplace_back();
        for (int job = 0; job < kJobs; ++job)
            round.append(jobFrame(job, step));
    }
    QCOMPARE(kJobs * rounds.size(), kFrames);

    test::StallMeter meter;
    meter.start();
    server.sendRounds(std::move(rounds), kRoundGapMs);
    // Done when every job's last frame is in the table and the view has painted it.
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == kJobs && model.activeCount() == 0, 60000);
    const qint64 applied = meter.elapsed();
    QTest::qWait(2 * ui::RowTableModel::kCoalesceMs);
    meter.stop();

    QCOMPARE(model.rowCount(), kJobs);
    const int lastRow = model.rowOfKey(QString::number((qint64(1) << 53) + kJobs - 1));
    QVERIFY(lastRow >= 0);
    QCOMPARE(model.index(lastRow, ui::JobsModel::StateColumn).data().toString(), u"succeeded"_s);
    QVERIFY(panel.view()->isVisible());
    qInfo().noquote() << u"UI-4 tables: %1 frames applied in %2 ms; %3 ticks, longest interval %4 ms"_s.arg(kFrames)
                             .arg(applied)
                             .arg(meter.ticks())
                             .arg(meter.worst());
    QVERIFY(meter.ticks() > 2);
    QVERIFY2(meter.worst() <= 100, qPrintable(u"the 50 ms timer stalled %1 ms"_s.arg(meter.worst())));
}

QTEST_MAIN(TestTableStall)
#include "tst_tablestall.moc"
