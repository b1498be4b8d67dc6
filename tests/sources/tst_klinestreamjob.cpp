// The Binance kline stream job (SRC-8..12) against the replay exchange on 127.0.0.1: it
// catches up by REST and goes live; closed bars reach the ingest output in order, each once,
// with no hole, across a disconnect, dropped bars, a serverShutdown, a replacement by age, a
// stalled stream and malformed messages; forming bars are signalled and never ingested. The
// wall clock is the test's: every step moves it 2 s (one forming message of the replay) and
// waits for the job to see that step's messages.
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/binance/klinestreamjob.h"
#include "core/sources/replay/replaytape.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testenv.h"

#include <QCoreApplication>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;
using namespace gapless::test;

namespace {

using State = KlineStreamJob::State;

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kStepMs = 2000;
constexpr int kCatchUp = 30;

KlineStreamOptions testOptions()
{
    KlineStreamOptions o;
    o.pollIntervalMs = 10;
    o.catchUpCandles = kCatchUp;
    o.reconnect.baseMs = 400; // u = 0.5 with the tests' random: 200 ms, 400 ms, … 2 s
    o.reconnect.capMs = 4000;
    return o;
}

struct Ingested
{
    Candle candle;
    QString source;
};

} // namespace

class TestKlineStreamJob final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void catchesUpAndStreams();
    void disconnectLeavesNoHole();
    void droppedBarIsHealed();
    void healTimeoutIngestsTheHeldBar();
    void serverShutdownSwitchesWithoutLoss();
    void ageReplacesTheConnectionOnceLive();
    void staleStreamReconnects();
    void malformedMessagesAreJournalled();
    void malformedFloodReconnects();

private:
    bool start(const QString &faults = {}, KlineStreamOptions options = testOptions());
    [[nodiscard]] qint64 offset() const { return m_replay->wall().nowMs() - kReplayW0; }
    [[nodiscard]] qint64 virtualS() const { return m_replay->wall().nowMs() / 1000; }
    /// The newest bar closed at the wall's V (DOM-9).
    [[nodiscard]] qint64 latestClosed() const { return (virtualS() / 60) * 60 - 60; }
    void step();
    bool runUntil(const std::function<bool()> &done, qint64 maxOffsetMs);
    bool runUntilLiveAt(qint64 lastTime, qint64 maxOffsetMs);
    [[nodiscard]] std::optional<qint64> head() const;
    /// What is wrong with the ingest output: a hole, a repeat, a bar that is not the tape's
    /// closed bar, or a bar before `from`; empty when it is the tape from `from` on.
    [[nodiscard]] QString ingestMismatch(qint64 from) const;
    [[nodiscard]] QList<State> statesAfter(qsizetype index) const { return m_states.mid(index); }

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
    std::unique_ptr<BinanceRestClient> m_rest;
    std::unique_ptr<KlineStreamJob> m_job;
    QList<Ingested> m_ingested;
    CandleList m_forming;
    QList<State> m_states;
    QStringList m_rejected;
    QStringList m_healFailures;
    bool m_restBeforeStep = true;
};

void TestKlineStreamJob::init()
{
    m_rows = *ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
    m_replay = std::make_unique<ReplayFixture>();
    m_ingested.clear();
    m_forming.clear();
    m_states.clear();
    m_rejected.clear();
    m_healFailures.clear();
    m_restBeforeStep = true;
}

void TestKlineStreamJob::cleanup()
{
    m_job.reset();
    m_rest.reset();
    m_replay.reset();
}

bool TestKlineStreamJob::start(const QString &faults, KlineStreamOptions options)
{
    if (!m_replay->start({ReplaySymbol{u"DEMOUSDT"_s, m_rows}}, faults))
        return false;
    // 10 s past T0, so REST already has T0 - 60 closed (SRC-3: xnow - 2).
    m_replay->setWall(10000);
    SourceSettings settings;
    settings.binanceSpotRest = m_replay->url({}).toString();
    settings.binanceSpotWs = u"ws://127.0.0.1:%1"_s.arg(m_replay->url({}).port());
    m_rest = std::make_unique<BinanceRestClient>(settings, m_replay->wall(), [] { return 0.0; });
    m_job = std::make_unique<KlineStreamJob>(kSeries, settings.binanceSpotWs, *m_rest, m_replay->wall(),
                                             [this] { return head(); }, [] { return 0.0; }, options);
    connect(m_job.get(), &KlineStreamJob::candlesReceived, this,
            [this](const SeriesId &series, const CandleList &candles, const QString &source) {
                QCOMPARE(series, kSeries);
                for (const Candle &c : candles)
                    m_ingested.append({c, source});
            });
    connect(m_job.get(), &KlineStreamJob::formingUpdated, this,
            [this](const SeriesId &, const Candle &c) { m_forming.append(c); });
    connect(m_job.get(), &KlineStreamJob::stateChanged, this,
            [this](const SeriesId &, State state) { m_states.append(state); });
    connect(m_job.get(), &KlineStreamJob::messageRejected, this,
            [this](const SeriesId &, const QString &error, const QByteArray &message) {
                QVERIFY(!message.isEmpty());
                m_rejected.append(error);
            });
    connect(m_job.get(), &KlineStreamJob::healFailed, this,
            [this](const SeriesId &, qint64, qint64, const QString &error) { m_healFailures.append(error); });
    if (m_job->streamUrl() != m_replay->exchange().streamUrl(u"DEMOUSDT"_s)) {
        qWarning("stream url %s", qPrintable(m_job->streamUrl().toString()));
        return false;
    }
    m_job->start();
    return true;
}

std::optional<qint64> TestKlineStreamJob::head() const
{
    // The owner's store would say this once the writer committed what the job handed on.
    if (m_ingested.isEmpty())
        return std::nullopt;
    qint64 newest = m_ingested.constFirst().candle.time;
    for (const Ingested &i : m_ingested)
        newest = std::max(newest, i.candle.time);
    return newest;
}

void TestKlineStreamJob::step()
{
    // REST answers while the clock stands still, as it would within a 2 s step on a real
    // exchange, however busy the machine running the test is.
    if (m_restBeforeStep)
        (void)QTest::qWaitFor([&] { return !m_job->isFetching(); }, 5000);
    const State before = m_job->state();
    m_replay->setWall((offset() / kStepMs + 1) * kStepMs);
    const qint64 wall = m_replay->wall().nowMs();
    QCoreApplication::processEvents();
    const bool open = before == State::Live || before == State::CatchingUp;
    // Open: until this step's messages arrive. Connecting: until the handshake ends. Waiting
    // to reconnect: long enough for the job's poll to look at the clock.
    const int waitMs = open ? 300 : before == State::Connecting ? 2000 : 60;
    (void)QTest::qWaitFor([&] {
        if (m_job->state() != before)
            return true;
        return open && m_job->lastFrameMs() >= wall;
    }, waitMs);
}

bool TestKlineStreamJob::runUntil(const std::function<bool()> &done, qint64 maxOffsetMs)
{
    while (!done() && offset() < maxOffsetMs)
        step();
    return done();
}

bool TestKlineStreamJob::runUntilLiveAt(qint64 lastTime, qint64 maxOffsetMs)
{
    return runUntil([&] {
        return m_job->state() == State::Live && !m_ingested.isEmpty() && m_ingested.constLast().candle.time >= lastTime;
    }, maxOffsetMs);
}

QString TestKlineStreamJob::ingestMismatch(qint64 from) const
{
    if (m_ingested.isEmpty())
        return u"nothing ingested"_s;
    qint64 expected = from;
    for (const Ingested &i : m_ingested) {
        if (i.candle.time != expected)
            return u"bar %1 from %2: expected %3"_s.arg(i.candle.time).arg(i.source).arg(expected);
        if (i.source != "live"_L1 && i.source != "backfill"_L1)
            return u"bar %1: source %2"_s.arg(i.candle.time).arg(i.source);
        // Equal to the tape's row: a forming bar would differ (SRC-17 interpolates it).
        if (i.candle != contiguousBar(m_rows, (i.candle.time - kReplayT0) / 60 + 1))
            return u"bar %1 from %2: not the tape's closed bar"_s.arg(i.candle.time).arg(i.source);
        expected += 60;
    }
    return {};
}

void TestKlineStreamJob::catchesUpAndStreams()
{
    QVERIFY(start());
    const qint64 firstHistory = kReplayT0 - kCatchUp * 60;
    QVERIFY(runUntilLiveAt(kReplayT0 + 4 * 60, 320000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    QCOMPARE(m_states.first(), State::CatchingUp); // connecting came first, before start()
    QCOMPARE(m_states.constLast(), State::Live);
    QCOMPARE(m_states.size(), 2);
    // SRC-10: an empty store gets the last catchUpCandles bars by REST, then the stream.
    const QString mismatch = ingestMismatch(firstHistory);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    for (qsizetype i = 0; i < m_ingested.size(); ++i)
        QCOMPARE(m_ingested.at(i).source, i < kCatchUp ? u"backfill"_s : u"live"_s);
    // SRC-8, DOM-5: forming bars are signalled, newer than what was ingested, never stored.
    QVERIFY(m_forming.size() > 100);
    for (const Candle &f : std::as_const(m_forming))
        QVERIFY(f.time >= kReplayT0);
    QVERIFY(m_rejected.isEmpty());
    QVERIFY(m_healFailures.isEmpty());
    QCOMPARE(m_job->connects(), 1);
}

void TestKlineStreamJob::disconnectLeavesNoHole()
{
    QVERIFY(start());
    QVERIFY(runUntilLiveAt(kReplayT0 + 60, 130000));
    const qsizetype mark = m_states.size();
    const qint64 cut = virtualS();
    // Streams close and upgrades are refused for 150 s: several bars close meanwhile.
    QVERIFY(m_replay->exchange().addFaults(u"disconnect:for=150s"_s, u"test"_s).ok());
    QVERIFY(runUntil([&] { return m_job->state() != State::Live; }, offset() + 10000));
    QVERIFY(runUntilLiveAt(cut + 150 + 60, offset() + 300000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    const QList<State> after = statesAfter(mark);
    QVERIFY(after.contains(State::Backoff));
    QVERIFY(after.contains(State::CatchingUp));
    QCOMPARE(after.constLast(), State::Live);
    QVERIFY(m_job->connects() > 2); // refused attempts while the exchange was down
    // SRC-10: no hole, no repeat, and the forming bar at the cut never went in.
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QVERIFY(std::any_of(m_ingested.cbegin() + kCatchUp, m_ingested.cend(), [&](const Ingested &i) {
        return i.source == "backfill"_L1 && i.candle.time > cut; // the bars closed while down
    }));
}

void TestKlineStreamJob::droppedBarIsHealed()
{
    QVERIFY(start(u"drop:every=3"_s));
    QVERIFY(runUntilLiveAt(kReplayT0 + 6 * 60, 440000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    // SRC-9: each dropped x:true was fetched by REST when the next bar came.
    qsizetype healed = 0;
    for (qsizetype i = kCatchUp; i < m_ingested.size(); ++i)
        healed += m_ingested.at(i).source == "backfill"_L1;
    QCOMPARE(healed, qsizetype(m_replay->exchange().counters().dropped));
    QVERIFY(healed >= 2);
    QVERIFY(m_healFailures.isEmpty());
    QCOMPARE(m_job->connects(), 1);
}

void TestKlineStreamJob::healTimeoutIngestsTheHeldBar()
{
    // REST answers after 0.8 s of real time while the steps move the clock 2 s each within
    // milliseconds: the heal runs out of time and the held bar goes in anyway (SRC-9).
    KlineStreamOptions options = testOptions();
    options.healTimeoutMs = 6000;
    QVERIFY(start(u"latency:min=800ms,max=800ms"_s, options));
    m_restBeforeStep = false;
    QTRY_COMPARE_WITH_TIMEOUT(m_job->state(), State::Live, 10000); // the clock stands still meanwhile
    QCOMPARE(m_ingested.constLast().candle.time, kReplayT0 - 60);
    QVERIFY(m_replay->exchange().addFaults(u"drop"_s, u"test"_s).ok()); // the next x:true
    const qint64 dropped = latestClosed() + 60;
    QVERIFY(runUntil([&] { return !m_healFailures.isEmpty(); }, offset() + 180000));
    QCOMPARE(m_healFailures, QStringList{u"no reply within 6000 ms"_s});
    QCOMPARE(m_ingested.constLast().candle.time, dropped + 60);
    QCOMPARE(m_ingested.constLast().source, u"live"_s);
    QCOMPARE(m_ingested.at(m_ingested.size() - 2).candle.time, dropped - 60); // the hole stays, for BF-6
    QCOMPARE(m_job->state(), State::Live);
}

void TestKlineStreamJob::serverShutdownSwitchesWithoutLoss()
{
    QVERIFY(start());
    QVERIFY(runUntilLiveAt(kReplayT0 + 60, 130000));
    const qsizetype mark = m_states.size();
    // serverShutdown, then close 1001; upgrades are refused only for 1 ms of wall time.
    QVERIFY(m_replay->exchange().addFaults(u"disconnect:notice=true,for=1ms"_s, u"test"_s).ok());
    m_replay->wall().setNowMs(m_replay->wall().nowMs() + 1000);
    QVERIFY(runUntil([&] { return m_job->connects() == 2 && m_job->state() == State::Live; }, offset() + 20000));
    const qint64 resumed = latestClosed();
    QVERIFY(runUntilLiveAt(resumed + 120, offset() + 200000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    // SRC-11: a new connection at once, no backoff, and no bar lost.
    QCOMPARE(m_job->connects(), 2);
    QVERIFY(!statesAfter(mark).contains(State::Backoff));
    QVERIFY(!statesAfter(mark).contains(State::Stale));
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QTRY_COMPARE(m_replay->exchange().streamCount(), 1);
}

void TestKlineStreamJob::ageReplacesTheConnectionOnceLive()
{
    KlineStreamOptions options = testOptions();
    options.maxAgeMs = 40000;
    QVERIFY(start({}, options));
    QVERIFY(runUntilLiveAt(kReplayT0, 70000));
    const qsizetype mark = m_states.size();
    QVERIFY(runUntilLiveAt(kReplayT0 + 3 * 60, 250000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    // SRC-11: the replacement takes over while the old one still streams: the job stays live.
    QVERIFY(m_job->connects() >= 4);
    QCOMPARE(statesAfter(mark), QList<State>());
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    // Every bar came from a stream: none fell between two connections, so none needed REST.
    for (qsizetype i = kCatchUp; i < m_ingested.size(); ++i)
        QCOMPARE(m_ingested.at(i).source, u"live"_s);
    // Each old connection is closed once its replacement brought a closed bar.
    QVERIFY(runUntil([&] { return m_replay->exchange().streamCount() == 1; }, offset() + 120000));
}

void TestKlineStreamJob::staleStreamReconnects()
{
    QVERIFY(start());
    QVERIFY(runUntilLiveAt(kReplayT0 + 60, 130000));
    const qsizetype mark = m_states.size();
    // Streams stay open but say nothing, pings included, for 30 s (SRC-11: > 4 s is stale).
    QVERIFY(m_replay->exchange().addFaults(u"stall:for=30s"_s, u"test"_s).ok());
    const qint64 stalledAt = offset();
    QVERIFY(runUntil([&] { return m_job->state() == State::Stale; }, offset() + 10000));
    QVERIFY(offset() - stalledAt > 4000);
    QVERIFY(offset() - stalledAt <= 8000);
    QVERIFY(runUntilLiveAt(latestClosed() + 120, offset() + 200000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    QVERIFY(m_job->connects() >= 2);
    QCOMPARE(statesAfter(mark).constLast(), State::Live);
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestKlineStreamJob::malformedMessagesAreJournalled()
{
    // Every 7th stream message is cut in half: journalled, dropped, no reconnect (< 10 a minute).
    QVERIFY(start(u"malformed:every=7,target=stream"_s));
    QVERIFY(runUntilLiveAt(kReplayT0 + 5 * 60, 380000));
    QTRY_COMPARE(m_ingested.constLast().candle.time, latestClosed());
    QVERIFY(m_rejected.size() >= 10);
    QCOMPARE(m_rejected.size(), qsizetype(m_replay->exchange().counters().malformedMessages));
    for (const QString &error : std::as_const(m_rejected)) {
        QVERIFY2(error.startsWith(m_job->streamUrl().toString() + u": message: invalid JSON at offset "_s),
                 qPrintable(error));
    }
    QCOMPARE(m_job->connects(), 1);
    // A cut x:true is a dropped bar: the gate heals it (SRC-9).
    const QString mismatch = ingestMismatch(kReplayT0 - kCatchUp * 60);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestKlineStreamJob::malformedFloodReconnects()
{
    KlineStreamOptions options = testOptions();
    options.staleAfterMs = 60000; // so that the malformed rule, not staleness, ends the connection
    QVERIFY(start({}, options));
    QVERIFY(runUntilLiveAt(kReplayT0, 70000));
    QVERIFY(m_replay->exchange().addFaults(u"malformed:every=1,target=stream"_s, u"test"_s).ok());
    const qint64 floodAt = offset();
    QVERIFY(runUntil([&] { return m_job->connects() == 2; }, offset() + 60000));
    // SRC-8: the 10th malformed message within 60 s ends the connection.
    QCOMPARE(m_rejected.size(), 10);
    QVERIFY(offset() - floodAt <= 30000);
    QVERIFY(m_states.contains(State::Backoff));
}

QTEST_GUILESS_MAIN(TestKlineStreamJob)
#include "tst_klinestreamjob.moc"
