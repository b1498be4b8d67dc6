// Observability (OBS-1..OBS-5): the debug event ring, the health counters, the log line per
// event and the signal.
#include "core/domain/canonicaljson.h"
#include "core/runtime/clock.h"
#include "core/runtime/eventlog.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;
using gapless::DebugEvent;
using gapless::EventLog;

namespace {

struct LogLine
{
    QtMsgType type;
    QString category;
    QString text;
};

// Captures log lines for its lifetime, restoring QtTest's own handler after. Records come
// from several threads at once, hence the mutex.
class LogCapture
{
public:
    LogCapture()
    {
        s_current = this;
        m_previous = qInstallMessageHandler(&LogCapture::handle);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previous);
        s_current = nullptr;
    }
    Q_DISABLE_COPY_MOVE(LogCapture)

    QList<LogLine> lines() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_lines;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        LogCapture *self = s_current;
        if (!self)
            return;
        const QMutexLocker lock(&self->m_mutex);
        self->m_lines.append(LogLine{type, QString::fromUtf8(context.category), text});
    }

    // A message handler is a plain function: this is how it finds the capture (tests only).
    static inline LogCapture *s_current = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QList<LogLine> m_lines;
};

const QStringList kObs4Names{u"ingest.runs.ok"_s,      u"ingest.runs.failed"_s,  u"candles.inserted"_s,
                             u"candles.updated"_s,     u"candles.identical"_s,   u"candles.rejected"_s,
                             u"candles.anomalies"_s,   u"factor.rebuilds"_s,     u"overlay.versions"_s,
                             u"compensation.done"_s,   u"compensation.failed"_s, u"journal.write_failed"_s,
                             u"ingest_errors.open"_s};

} // namespace

class TestEventLog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void ringKeepsTheLast2000();
    void recentReturnsNewestOldestFirst_data();
    void recentReturnsNewestOldestFirst();
    void stampsWithTheClock();
    void eventJsonHasObs2Shape_data();
    void eventJsonHasObs2Shape();
    void countersStartAtZero();
    void countersAddUp();
    void gaugeIsSetNotAdded();
    void emitsOnTheRecordingThread();
    void logsOnceInTheModuleCategory_data();
    void logsOnceInTheModuleCategory();
    void recordsFromManyThreads();
};

void TestEventLog::initTestCase()
{
    // Debug lines are off by default (OBS-1); this test wants to see them.
    QLoggingCategory::setFilterRules(u"gapless.*.debug=true"_s);
}

void TestEventLog::ringKeepsTheLast2000()
{
    // OBS-2: a ring of 2000.
    gapless::FixedClock clock(1000);
    EventLog log(clock);
    LogCapture quiet;
    for (int i = 0; i < 2500; ++i)
        log.record(u"ingest.done"_s, u"debug"_s, {}, i, QJsonObject{{u"i"_s, i}});
    const QList<DebugEvent> all = log.recent(100000);
    QCOMPARE(all.size(), 2000);
    QCOMPARE(all.constFirst().data.value(u"i"_s).toInt(), 500);
    QCOMPARE(all.constLast().data.value(u"i"_s).toInt(), 2499);
    for (qsizetype k = 1; k < all.size(); ++k)
        QCOMPARE(*all.at(k).runId, *all.at(k - 1).runId + 1);
}

void TestEventLog::recentReturnsNewestOldestFirst_data()
{
    QTest::addColumn<int>("recorded");
    QTest::addColumn<int>("max");
    QTest::addColumn<QList<int>>("expected");
    QTest::addRow("empty log") << 0 << 10 << QList<int>{};
    QTest::addRow("fewer than max") << 3 << 10 << QList<int>{0, 1, 2};
    QTest::addRow("newest max") << 5 << 2 << QList<int>{3, 4};
    QTest::addRow("max 0") << 5 << 0 << QList<int>{};
    QTest::addRow("negative max") << 5 << -1 << QList<int>{};
    QTest::addRow("wrapped ring") << 2003 << 4 << QList<int>{1999, 2000, 2001, 2002};
}

void TestEventLog::recentReturnsNewestOldestFirst()
{
    QFETCH(int, recorded);
    QFETCH(int, max);
    QFETCH(QList<int>, expected);
    gapless::FixedClock clock(1000);
    EventLog log(clock);
    LogCapture quiet;
    for (int i = 0; i < recorded; ++i)
        log.record(u"ingest.done"_s, u"debug"_s, {}, std::nullopt, QJsonObject{{u"i"_s, i}});
    QList<int> got;
    for (const DebugEvent &e : log.recent(max))
        got << e.data.value(u"i"_s).toInt();
    QCOMPARE(got, expected);
}

void TestEventLog::stampsWithTheClock()
{
    gapless::FixedClock clock(1709251200123);
    EventLog log(clock);
    LogCapture quiet;
    log.record(u"store.migrated"_s, u"info"_s, {}, std::nullopt, {});
    clock.setNowMs(1709251200999);
    log.record(u"store.migrated"_s, u"info"_s, {}, std::nullopt, {});
    const QList<DebugEvent> events = log.recent(2);
    QCOMPARE(events.at(0).tsMs, 1709251200123);
    QCOMPARE(events.at(1).tsMs, 1709251200999);
}

void TestEventLog::eventJsonHasObs2Shape_data()
{
    QTest::addColumn<DebugEvent>("event");
    QTest::addColumn<QByteArray>("expected");
    // OBS-2 `{ts_ms, event, level, series_id?, run_id?, data}`: absent ones are null.
    QTest::addRow("full") << DebugEvent{1709251200123, u"ingest.failed"_s, u"warning"_s, u"binance:spot:BTCUSDT:1m"_s,
                                        7, QJsonObject{{u"step"_s, u"factor"_s}, {u"error_id"_s, 12}}}
                          << QByteArray(R"({"data":{"error_id":12,"step":"factor"},"event":"ingest.failed",)"
                                        R"("level":"warning","run_id":7,"series_id":"binance:spot:BTCUSDT:1m",)"
                                        R"("ts_ms":1709251200123})");
    QTest::addRow("no series, no run") << DebugEvent{5, u"store.migrated"_s, u"info"_s, {}, std::nullopt, {}}
                                       << QByteArray(R"({"data":{},"event":"store.migrated","level":"info",)"
                                                     R"("run_id":null,"series_id":null,"ts_ms":5})");
}

void TestEventLog::eventJsonHasObs2Shape()
{
    QFETCH(DebugEvent, event);
    QFETCH(QByteArray, expected);
    const QJsonObject json = event.toJson();
    QCOMPARE(json.keys(), (QStringList{u"data"_s, u"event"_s, u"level"_s, u"run_id"_s, u"series_id"_s, u"ts_ms"_s}));
    QCOMPARE(gapless::canonicalJson(json), expected);
}

void TestEventLog::countersStartAtZero()
{
    // OBS-4: every name is there from the start, at 0.
    gapless::FixedClock clock(0);
    EventLog log(clock);
    const QJsonObject counters = log.counters();
    QStringList keys = counters.keys();
    QStringList expected = kObs4Names;
    expected.sort();
    QCOMPARE(keys, expected);
    for (const QString &name : kObs4Names) {
        QVERIFY2(counters.value(name).isDouble(), qPrintable(name));
        QCOMPARE(counters.value(name).toInteger(-1), 0);
    }
}

void TestEventLog::countersAddUp()
{
    gapless::FixedClock clock(0);
    EventLog log(clock);
    log.add(u"ingest.runs.ok");
    log.add(u"ingest.runs.ok");
    log.add(u"candles.inserted", 1440);
    log.add(u"candles.inserted", 60);
    log.add(u"jobs.started", 2); // a name outside OBS-4 starts at 0
    const QJsonObject counters = log.counters();
    QCOMPARE(counters.value(u"ingest.runs.ok"_s).toInteger(), 2);
    QCOMPARE(counters.value(u"candles.inserted"_s).toInteger(), 1500);
    QCOMPARE(counters.value(u"jobs.started"_s).toInteger(), 2);
    QCOMPARE(counters.value(u"ingest.runs.failed"_s).toInteger(-1), 0);
    QCOMPARE(log.counter(u"candles.inserted"), 1500);
    QCOMPARE(counters.size(), kObs4Names.size() + 1);
}

void TestEventLog::gaugeIsSetNotAdded()
{
    gapless::FixedClock clock(0);
    EventLog log(clock);
    log.setGauge(u"ingest_errors.open", 5);
    log.setGauge(u"ingest_errors.open", 3);
    QCOMPARE(log.counters().value(u"ingest_errors.open"_s).toInteger(), 3);
    QCOMPARE(log.counter(u"ingest_errors.open"), 3);
}

void TestEventLog::emitsOnTheRecordingThread()
{
    gapless::FixedClock clock(42);
    EventLog log(clock);
    LogCapture quiet;
    QSignalSpy spy(&log, &EventLog::eventRecorded);
    QThread *emittedOn = nullptr;
    connect(&log, &EventLog::eventRecorded, &log, [&] { emittedOn = QThread::currentThread(); },
            Qt::DirectConnection);
    std::unique_ptr<QThread> worker(QThread::create([&] {
        log.record(u"compensation.done"_s, u"info"_s, u"file:cn:X:1m"_s, 3, QJsonObject{{u"candles"_s, 10}});
    }));
    worker->start();
    QVERIFY(worker->wait());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(emittedOn, worker.get());
    const auto event = spy.at(0).at(0).value<DebugEvent>();
    QCOMPARE(event, (DebugEvent{42, u"compensation.done"_s, u"info"_s, u"file:cn:X:1m"_s, 3,
                                QJsonObject{{u"candles"_s, 10}}}));

    // A receiver on this thread gets it queued, with the same value.
    QList<DebugEvent> received;
    QObject receiver;
    connect(&log, &EventLog::eventRecorded, &receiver, [&](const DebugEvent &e) { received << e; },
            Qt::QueuedConnection);
    std::unique_ptr<QThread> second(QThread::create([&] {
        log.record(u"ingest.failed"_s, u"warning"_s, {}, std::nullopt, {});
    }));
    second->start();
    QVERIFY(second->wait());
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(received.constFirst().event, u"ingest.failed"_s);
}

void TestEventLog::logsOnceInTheModuleCategory_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("category");
    QTest::addColumn<int>("type");
    QTest::addRow("ingest warning") << u"ingest.failed"_s << u"warning"_s << u"gapless.core.ingest"_s
                                    << int(QtWarningMsg);
    QTest::addRow("ingest debug") << u"ingest.started"_s << u"debug"_s << u"gapless.core.ingest"_s << int(QtDebugMsg);
    QTest::addRow("compensation") << u"compensation.failed"_s << u"critical"_s << u"gapless.core.ingest"_s
                                  << int(QtCriticalMsg);
    QTest::addRow("journal critical") << u"journal.write_failed"_s << u"critical"_s << u"gapless.core.ingest"_s
                                      << int(QtCriticalMsg);
    QTest::addRow("factor") << u"factor.rebuild"_s << u"info"_s << u"gapless.core.factor"_s << int(QtInfoMsg);
    QTest::addRow("fingerprint") << u"factor.fingerprint_mismatch"_s << u"warning"_s << u"gapless.core.factor"_s
                                 << int(QtWarningMsg);
    QTest::addRow("store") << u"store.migrated"_s << u"info"_s << u"gapless.core.store"_s << int(QtInfoMsg);
    QTest::addRow("unknown module") << u"startup"_s << u"info"_s << u"gapless.core.runtime"_s << int(QtInfoMsg);
    QTest::addRow("unknown level") << u"ingest.done"_s << u"loud"_s << u"gapless.core.ingest"_s << int(QtWarningMsg);
}

void TestEventLog::logsOnceInTheModuleCategory()
{
    // OBS-1, OBS-5: one line, in the module's category, at the event's level.
    QFETCH(QString, event);
    QFETCH(QString, level);
    QFETCH(QString, category);
    QFETCH(int, type);
    gapless::FixedClock clock(0);
    EventLog log(clock);
    LogCapture capture;
    log.record(event, level, u"file:cn:X:1m"_s, 9, QJsonObject{{u"step"_s, u"store"_s}});
    const QList<LogLine> lines = capture.lines();
    QCOMPARE(lines.size(), 1);
    const LogLine &line = lines.constFirst();
    QCOMPARE(line.category, category);
    QCOMPARE(int(line.type), type);
    QCOMPARE(line.text, event + uR"( series=file:cn:X:1m run=9 {"step":"store"})"_s);
}

void TestEventLog::recordsFromManyThreads()
{
    gapless::FixedClock clock(0);
    EventLog log(clock);
    LogCapture quiet;
    constexpr int kPerThread = 1500;
    const auto work = [&] {
        for (int i = 0; i < kPerThread; ++i) {
            log.record(u"ingest.done"_s, u"debug"_s, {}, std::nullopt, {});
            log.add(u"ingest.runs.ok");
        }
    };
    std::unique_ptr<QThread> t1(QThread::create(work));
    std::unique_ptr<QThread> t2(QThread::create(work));
    t1->start();
    t2->start();
    QVERIFY(t1->wait());
    QVERIFY(t2->wait());
    QCOMPARE(log.recent(EventLog::kCapacity + 1).size(), EventLog::kCapacity);
    QCOMPARE(log.counter(u"ingest.runs.ok"), 2 * kPerThread);
}

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
