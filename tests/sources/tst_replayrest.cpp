// ReplayRest (SRC-5, SRC-16, SRC-18): the REST faults of a replay exchange on 127.0.0.1:
// weights with 429 then 418, http429 with Retry-After, http5xx, latency, malformed bodies and
// holes, counted in /_replay/state. Virtual time comes from a FixedClock.
#include "core/sources/replay/replayexchange.h"

#include "tests/support/replayfixture.h"
#include "tests/support/httpprobe.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;

namespace {

constexpr qint64 kW0 = kReplayW0;
constexpr qint64 kT0 = kReplayT0;

} // namespace

class TestReplayRest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void weightsLimitThenBan();
    void http429AndHttp5xx();
    void latencyHoldsReplies();
    void malformedCutsBodyInHalf();
    void holeIsGoneFromRest();

private:
    void start(const QString &faults);

    CandleList m_rows;
    ReplayFixture m_replay;
    HttpProbe m_http;
};

void TestReplayRest::initTestCase()
{
    m_rows = readPlainCsv(dataFile(u"sse_000001_1m.csv"_s));
}

void TestReplayRest::cleanup()
{
    m_replay.stop();
}

void TestReplayRest::start(const QString &faults)
{
    QVERIFY(m_replay.start({{u"SSEUSDT"_s, m_rows}}, faults));
}

void TestReplayRest::weightsLimitThenBan()
{
    start(u"weights:limit=10,ban_after=2"_s);
    const QUrl klines = m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=1"_s);
    QList<int> statuses;
    QList<QByteArray> used;
    QList<QByteArray> retryAfter;
    for (int i = 0; i < 9; ++i) {
        const HttpResult r = m_http.get(klines);
        statuses << r.status;
        used << r.header("X-MBX-USED-WEIGHT-1m");
        retryAfter << r.header("Retry-After");
    }
    // Spot klines weigh 2: five fit in 10, two more get 429, then 418 (SRC-5, SRC-18).
    QCOMPARE(statuses, (QList<int>{200, 200, 200, 200, 200, 429, 429, 418, 418}));
    QCOMPARE(used, (QList<QByteArray>{"2", "4", "6", "8", "10", "12", "14", "16", "18"}));
    QCOMPARE(retryAfter.at(5), QByteArray("60")); // to the next minute of V
    QCOMPARE(retryAfter.at(7), QByteArray("120"));
    QCOMPARE(m_http.get(m_replay.url(u"/fapi/v1/time"_s)).status, 200); // the other host has its own budget
    m_replay.wall().setNowMs(kW0 + 119000);
    QCOMPARE(m_http.get(klines).status, 418);
    m_replay.wall().setNowMs(kW0 + 120000);
    const HttpResult after = m_http.get(klines);
    QCOMPARE(after.status, 200);
    QCOMPARE(after.header("X-MBX-USED-WEIGHT-1m"), QByteArray("2"));
}

void TestReplayRest::http429AndHttp5xx()
{
    start(u"http429:every=3,retry_after=7;http5xx:every=2,status=503"_s);
    QList<int> statuses;
    for (int i = 0; i < 6; ++i) {
        const HttpResult r = m_http.get(m_replay.url(u"/api/v3/time"_s));
        statuses << r.status;
        if (r.status == 429)
            QCOMPARE(r.header("Retry-After"), QByteArray("7"));
    }
    QCOMPARE(statuses, (QList<int>{200, 503, 429, 503, 200, 429}));
    const HttpResult state = m_http.get(m_replay.url(u"/_replay/state"_s));
    QCOMPARE(state.json()["requests"_L1].toInteger(), 6); // control routes are not counted
}

void TestReplayRest::latencyHoldsReplies()
{
    start(u"latency:min=150ms,max=200ms"_s);
    QElapsedTimer timer;
    timer.start();
    const QUrl spot = m_replay.url(u"/api/v3/time"_s);
    const QList<HttpResult> replies = m_http.getAll({spot, spot, m_replay.url(u"/fapi/v1/time"_s)});
    const qint64 elapsed = timer.elapsed();
    for (const HttpResult &r : replies)
        QCOMPARE(r.status, 200);
    QVERIFY2(elapsed >= 150, qPrintable(QString::number(elapsed)));
    const QJsonObject state = m_http.get(m_replay.url(u"/_replay/state"_s)).json().object();
    QCOMPARE(state["delayed_replies"_L1].toInteger(), 3);
    QCOMPARE(state["max_in_flight"_L1].toInteger(), 3);
    QCOMPARE(state["in_flight"_L1].toInteger(), 0);
}

void TestReplayRest::malformedCutsBodyInHalf()
{
    start(u"malformed:every=2"_s);
    const QUrl klines = m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=3"_s);
    const HttpResult whole = m_http.get(klines);
    const HttpResult cut = m_http.get(klines);
    QCOMPARE(cut.status, 200);
    QVERIFY(whole.json().isArray());
    QCOMPARE(cut.body, whole.body.left(whole.body.size() / 2));
    QVERIFY(cut.json().isNull());
}

void TestReplayRest::holeIsGoneFromRest()
{
    start(u"hole:every=2"_s);
    m_replay.wall().setNowMs(kW0 + 600000 + 30000); // ten bars closed, the 11th forming
    const HttpResult r = m_http.get(
        m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&startTime=%1"_s.arg((kT0 - 120) * 1000)));
    QList<qint64> opens;
    for (const QJsonValue &row : r.json().array())
        opens << (row[0].toInteger() / 1000 - kT0) / 60 + 1; // back to the ordinal
    QCOMPARE(opens, (QList<qint64>{-1, 0, 1, 3, 5, 7, 9, 11}));
}

QTEST_GUILESS_MAIN(TestReplayRest)
#include "tst_replayrest.moc"
