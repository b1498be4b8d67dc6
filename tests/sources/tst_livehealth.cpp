// The `health` command of a running core (HLT-6) against the replay exchange: it answers
// what the health topic shows (HLT-5, from the core's monitor), counts every open
// ingest_errors row of the store (also those older than the core), lists the REST hosts and
// the OBS-4 counters; a REST 418 (SRC-6) bans the live job (SRC-12) and the lamp says
// source_down until the ban ends (HLT-2/3).
#include "core/backfill/startupsync.h"
#include "core/ingest/errorjournal.h"
#include "core/ingest/journalentry.h"
#include "core/runtime/livejobs.h"
#include "core/store/candlestore.h"
#include "tests/support/frameclient.h"
#include "tests/support/httpprobe.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

const SeriesId kBase = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
const QString kId = kBase.toString();
const SeriesId kFile = *SeriesId::parse(u"file:test:WAVE:1m"_s);

ingest::JournalEntry journalRow(const SeriesId &series, const QString &status, qint64 runId)
{
    ingest::JournalEntry e;
    e.atMs = kReplayW0 - 3600000 + runId;
    e.runId = runId;
    e.source = u"live"_s;
    e.step = u"store"_s;
    e.seriesId = series.toString();
    e.message = u"disk full"_s;
    e.status = status;
    return e;
}

} // namespace

class TestLiveHealth : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void healthCommandAnswersWhatTheTopicShows();
    void healthCommandRejectsBadSeries_data();
    void healthCommandRejectsBadSeries();
    void restBanBansTheLiveJob();

private:
    [[nodiscard]] bool startReplay(const QString &faults);
    [[nodiscard]] QStringList replaySettings() const;
    /// Sends a `health` command and returns its `result` frame.
    [[nodiscard]] QJsonObject health(FrameClient &client, const QJsonObject &args);
    /// The newest `health` frame of the series that matches, or an empty object.
    [[nodiscard]] static QJsonObject lastHealth(const FrameClient &client, const QString &seriesId);
    /// Moves both clocks 2 s at a time until `done` holds (at most `steps` steps).
    bool stepUntil(TestCore &core, qint64 &offsetMs, int steps, const std::function<bool()> &done);

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
    int m_requests = 0;
};

void TestLiveHealth::init()
{
    m_rows = *sources::ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
}

bool TestLiveHealth::startReplay(const QString &faults)
{
    m_replay = std::make_unique<ReplayFixture>();
    if (!m_replay->start({sources::ReplaySymbol{u"DEMOUSDT"_s, m_rows}}, faults))
        return false;
    m_replay->setWall(5000);
    return true;
}

QStringList TestLiveHealth::replaySettings() const
{
    QString ws = m_replay->url({}).toString();
    ws.replace(u"http://"_s, u"ws://"_s);
    return {u"source.binance_spot_rest="_s + m_replay->url({}).toString(), u"source.binance_spot_ws="_s + ws,
            u"backfill.max_candles_per_request=300"_s};
}

QJsonObject TestLiveHealth::health(FrameClient &client, const QJsonObject &args)
{
    const QString id = u"h%1"_s.arg(++m_requests);
    client.sendJson({{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, u"health"_s}, {u"args"_s, args}});
    return client.waitFor([&](const QJsonObject &f) {
        return f.value("type"_L1) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    });
}

QJsonObject TestLiveHealth::lastHealth(const FrameClient &client, const QString &seriesId)
{
    for (auto it = client.frames().crbegin(); it != client.frames().crend(); ++it) {
        if (it->value("type"_L1) == "health"_L1 && it->value("series_id"_L1).toString() == seriesId)
            return *it;
    }
    return {};
}

bool TestLiveHealth::stepUntil(TestCore &core, qint64 &offsetMs, int steps, const std::function<bool()> &done)
{
    for (int i = 0; i < steps; ++i) {
        if (QTest::qWaitFor(done, 300))
            return true;
        offsetMs += 2000;
        core.clock().setNowMs(kReplayW0 + offsetMs);
        m_replay->setWall(offsetMs);
    }
    return done();
}

void TestLiveHealth::healthCommandAnswersWhatTheTopicShows()
{
    QVERIFY(startReplay({}));
    TestCore core(kReplayW0 + 5000, replaySettings());
    // Before the core starts: a file series, and journal rows it did not write (HLT-5 open_errors).
    QVERIFY(core.seed(kFile, syntheticCandles(kReplayT0 - 6000, 10)));
    {
        auto store = store::CandleStore::open(core.storeUrl(), {});
        QVERIFY(store);
        ingest::ErrorJournal journal(**store);
        QVERIFY(journal.append(journalRow(kFile, u"open"_s, 1)));
        QVERIFY(journal.append(journalRow(kFile, u"resolved"_s, 2)));
        QVERIFY(journal.append(journalRow(kBase, u"open"_s, 3)));
    }
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson(subscribeFrame(kId, QJsonValue(), true));
    QTRY_VERIFY_WITH_TIMEOUT(core.core().liveJobs()->isLive(kBase), 20000);
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"health"_s}});
    QVERIFY(!client.waitForSystem(u"watching"_s, {}, 10000).isEmpty());

    // HLT-3 row 6: live, lag 0, one open error (older than this core): yellow ingest_errors.
    QTRY_COMPARE_WITH_TIMEOUT(lastHealth(client, kId).value("source_state"_L1).toString(), u"live"_s, 20000);
    const QJsonObject frame = lastHealth(client, kId);
    QCOMPARE(frame.value("reason"_L1).toString(), u"ingest_errors"_s);
    const QJsonObject one = health(client, {{u"series_id"_s, kId}});
    QVERIFY2(one.value("ok"_L1).toBool(), qPrintable(one.value("error"_L1).toObject().value("message"_L1).toString()));
    const QJsonArray items = one.value("data"_L1).toObject().value("series"_L1).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject item = items.first().toObject();
    for (const char *field : {"series_id", "lamp", "reason", "source_state", "open_errors", "head_time", "tf"})
        QCOMPARE(item.value(QLatin1StringView(field)), frame.value(QLatin1StringView(field)));
    QCOMPARE(item.value("lamp"_L1).toString(), u"yellow"_s);
    QCOMPARE(item.value("open_errors"_L1).toInteger(), 1);
    QCOMPARE(item.value("head_time"_L1).toInteger(), kReplayT0 - 60);

    // Every series: the file series is not live (gray) and counts its one open row.
    const QJsonObject all = health(client, {}).value("data"_L1).toObject();
    QJsonObject file;
    for (const QJsonValue &v : all.value("series"_L1).toArray()) {
        if (v.toObject().value("series_id"_L1).toString() == kFile.toString())
            file = v.toObject();
    }
    QCOMPARE(file.value("lamp"_L1).toString(), u"gray"_s);
    QCOMPARE(file.value("reason"_L1).toString(), u"not_live"_s);
    QCOMPARE(file.value("open_errors"_L1).toInteger(), 1);
    // HLT-6: the BF-21 report of the startup sync (no series configured: done at once), the
    // REST hosts, the OBS-4 counters.
    QCOMPARE(all.value("startup_sync"_L1).toObject().value("series_total"_L1).toInteger(), 0);
    QCOMPARE(all.value("startup_sync"_L1).toObject().value("state"_L1),
             core.core().startupSync()->report().value("state"_L1));
    const QJsonArray sources = all.value("sources"_L1).toArray();
    QCOMPARE(sources.size(), 2);
    QCOMPARE(sources.at(0).toObject().value("host"_L1).toString(),
             u"127.0.0.1:%1"_s.arg(m_replay->url({}).port()));
    QCOMPARE(sources.at(0).toObject().value("state"_L1).toString(), u"ok"_s);
    QVERIFY(sources.at(0).toObject().value("weight_used_1m"_L1).toInteger() > 0);
    const QJsonObject counters = all.value("counters"_L1).toObject();
    QVERIFY(counters.value("ingest.runs.ok"_L1).toInteger() >= 1);
    QCOMPARE(counters.value("ingest_errors.open"_L1).toInteger(), 2);
}

void TestLiveHealth::healthCommandRejectsBadSeries_data()
{
    QTest::addColumn<QJsonValue>("seriesId");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an id") << QJsonValue(u"not a series"_s) << u"bad_request"_s << u"series_id"_s;
    QTest::newRow("a number") << QJsonValue(7) << u"bad_request"_s << u"series_id"_s;
    QTest::newRow("unknown series") << QJsonValue(u"binance:spot:NONE/USDT:1m"_s) << u"not_found"_s
                                    << u"'binance:spot:NONE/USDT:1m': unknown series"_s;
}

void TestLiveHealth::healthCommandRejectsBadSeries()
{
    QFETCH(QJsonValue, seriesId);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QVERIFY(startReplay({}));
    TestCore core(kReplayW0 + 5000, replaySettings());
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    // Once the monitor has read the store it answers, with the readers' errors.
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"health"_s}});
    QVERIFY(!client.waitForSystem(u"watching"_s, {}, 10000).isEmpty());
    QTRY_VERIFY(health(client, {}).value("data"_L1).toObject().value("counters"_L1).toObject().contains(
        "ingest_errors.open"_L1));
    const QJsonObject r = health(client, {{u"series_id"_s, seriesId}});
    QCOMPARE(r.value("error"_L1).toObject().value("code"_L1).toString(), code);
    const QString text = r.value("error"_L1).toObject().value("message"_L1).toString();
    QVERIFY2(text.contains(message), qPrintable(text));
}

void TestLiveHealth::restBanBansTheLiveJob()
{
    // The replay bans the host on the first klines request over a limit of 1 (SRC-16 weights).
    QVERIFY(startReplay(u"weights:limit=1,ban_after=0"_s));
    TestCore core(kReplayW0 + 5000, replaySettings());
    // A head 2 bars back: lag 0 (HLT-1 close grace), so the lamp shows the source (row 5).
    CandleList seeded;
    for (qint64 ordinal = -9; ordinal <= -1; ++ordinal)
        seeded.append(contiguousBar(m_rows, ordinal));
    QVERIFY(core.seed(kBase, seeded));
    QVERIFY2(core.start(), qPrintable(core.error()));
    FrameClient client;
    QVERIFY(client.open(core.url()));
    client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"health"_s}, {u"series_id"_s, kId}});
    client.sendJson(subscribeFrame(kId, seeded.constLast().time, true));

    // The job's catch-up gets a 418: the job is banned, the lamp says source_down.
    QTRY_COMPARE_WITH_TIMEOUT(lastHealth(client, kId).value("source_state"_L1).toString(), u"banned"_s, 20000);
    QCOMPARE(lastHealth(client, kId).value("reason"_L1).toString(), u"source_down"_s);
    const QJsonObject banned = health(client, {{u"series_id"_s, kId}}).value("data"_L1).toObject();
    QCOMPARE(banned.value("series"_L1).toArray().first().toObject().value("reason"_L1).toString(), u"source_down"_s);
    QCOMPARE(banned.value("sources"_L1).toArray().first().toObject().value("state"_L1).toString(), u"banned"_s);
    QVERIFY(!core.core().liveJobs()->isLive(kBase));

    // The ban (120 s, Retry-After) ends and the limit is lifted: the job goes live again.
    HttpProbe http;
    QCOMPARE(http.post(m_replay->url(u"/_replay/faults"_s), "weights:limit=100000").status, 200);
    qint64 offset = 5000 + 121000;
    core.clock().setNowMs(kReplayW0 + offset);
    m_replay->setWall(offset);
    QVERIFY(stepUntil(core, offset, 60, [&] { return core.core().liveJobs()->isLive(kBase); }));
    QTRY_COMPARE_WITH_TIMEOUT(lastHealth(client, kId).value("source_state"_L1).toString(), u"live"_s, 20000);
    QVERIFY(lastHealth(client, kId).value("reason"_L1).toString() != u"source_down"_s);
    const QJsonObject after = health(client, {{u"series_id"_s, kId}}).value("data"_L1).toObject();
    QCOMPARE(after.value("sources"_L1).toArray().first().toObject().value("state"_L1).toString(), u"ok"_s);
}

QTEST_GUILESS_MAIN(TestLiveHealth)
#include "tst_livehealth.moc"
