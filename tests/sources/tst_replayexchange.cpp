// ReplayExchange (SRC-14..16, SRC-18 control routes): klines paging and errors, rows exact
// against the CSV, the forming bar last, aggregation, time endpoints, GET /_replay/state and
// POST /_replay/faults, over real sockets on 127.0.0.1 with virtual time from a FixedClock.
// The REST faults are in tst_replayrest, the streams in tst_replaystream.
#include "core/sources/replay/replayexchange.h"

#include "tests/support/replayfixture.h"
#include "tests/support/httpprobe.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;
using namespace gapless::test;

namespace {

constexpr qint64 kW0 = kReplayW0;
constexpr qint64 kT0 = kReplayT0;

ReplayOptions shiftMode()
{
    ReplayOptions options;
    options.timeMode = ReplayTimeMode::Shift;
    return options;
}

ReplayOptions atSpeed(double speed)
{
    ReplayOptions options;
    options.speed = speed;
    return options;
}

} // namespace

class TestReplayExchange final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void pagesHistoryExactly();
    void defaultLimitIs500();
    void rejectsBadParameters_data();
    void rejectsBadParameters();
    void newestEndsWithFormingBar();
    void endTimeAloneGivesNewestBefore();
    void aggregatesMinutesPresent_data();
    void aggregatesMinutesPresent();
    void shiftModeKeepsFileHoles();
    void serverTimeRunsAtSpeed();
    void stateCountsRequests();
    void postFaultsArmsThem();
    void unknownPathIs404();

private:
    void start(const QString &faults = {}, const ReplayOptions &options = {});
    [[nodiscard]] Candle mapped(qint64 ordinal) const { return contiguousBar(m_rows, ordinal); }

    CandleList m_rows;
    CandleList m_cffex;
    ReplayFixture m_replay;
    HttpProbe m_http;
};

void TestReplayExchange::initTestCase()
{
    m_rows = readPlainCsv(dataFile(u"sse_000001_1m.csv"_s));
    m_cffex = readPlainCsv(dataFile(u"cffex_IFL8_1m_part1.csv"_s));
    QVERIFY(m_rows.size() > 3000);
}

void TestReplayExchange::cleanup()
{
    m_replay.stop();
}

void TestReplayExchange::start(const QString &faults, const ReplayOptions &options)
{
    QVERIFY(m_replay.start({{u"SSEUSDT"_s, m_rows}, {u"IFLUSDT"_s, m_cffex}}, faults, options));
    QCOMPARE(m_replay.exchange().url().host(), u"127.0.0.1"_s);
}

void TestReplayExchange::pagesHistoryExactly()
{
    start();
    const qint64 n = m_rows.size();
    const qint64 first = 1 - n; // the oldest history ordinal carries row 0
    const qint64 startMs = (kT0 - 60 * n) * 1000;
    qint64 row = 0;
    for (int page = 0; page < 2; ++page) {
        const HttpResult r = m_http.get(m_replay.url(
            u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=1000&startTime=%1"_s.arg(startMs + row * 60000)));
        QCOMPARE(r.status, 200);
        const QJsonArray rows = r.json().array();
        QCOMPARE(rows.size(), 1000);
        for (const QJsonValue &value : rows) {
            const QString mismatch = restRowMismatch(value, mapped(first + row), 60);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            ++row;
        }
    }
    const HttpResult window = m_http.get(m_replay.url(
        u"/fapi/v1/klines?symbol=SSEUSDT&interval=1m&startTime=%1&endTime=%2&limit=1500"_s.arg(startMs + 30).arg(
            startMs + 10 * 60000)));
    QCOMPARE(window.status, 200);
    const QJsonArray rows = window.json().array();
    QCOMPARE(rows.size(), 10); // open times in [startTime, endTime]: the first is past startTime
    QVERIFY(restRowMismatch(rows.first(), mapped(first + 1), 60).isEmpty());
    QVERIFY(restRowMismatch(rows.last(), mapped(first + 10), 60).isEmpty());
}

void TestReplayExchange::defaultLimitIs500()
{
    start();
    const HttpResult r = m_http.get(
        m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&startTime=%1"_s.arg((kT0 - 60 * 2000) * 1000)));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().array().size(), 500);
}

void TestReplayExchange::rejectsBadParameters_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("msg");
    const QString limitMsg = u"Data sent for parameter 'limit' is not valid."_s;
    QTest::addRow("spot limit over 1000") << u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=1001"_s << -1130
                                          << limitMsg;
    QTest::addRow("futures limit over 1500") << u"/fapi/v1/klines?symbol=SSEUSDT&interval=1m&limit=1501"_s << -1130
                                             << limitMsg;
    QTest::addRow("limit zero") << u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=0"_s << -1130 << limitMsg;
    QTest::addRow("limit text") << u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=ten"_s << -1130 << limitMsg;
    QTest::addRow("unknown symbol") << u"/api/v3/klines?symbol=BTCUSDT&interval=1m"_s << -1121
                                    << u"Invalid symbol."_s;
    QTest::addRow("lower-case symbol") << u"/fapi/v1/klines?symbol=sseusdt&interval=1m"_s << -1121
                                       << u"Invalid symbol."_s;
    QTest::addRow("7m") << u"/api/v3/klines?symbol=SSEUSDT&interval=7m"_s << -1120 << u"Invalid interval."_s;
    QTest::addRow("1w") << u"/api/v3/klines?symbol=SSEUSDT&interval=1w"_s << -1120 << u"Invalid interval."_s;
    QTest::addRow("no symbol") << u"/api/v3/klines?interval=1m"_s << -1102
                               << u"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."_s;
    QTest::addRow("bad startTime") << u"/api/v3/klines?symbol=SSEUSDT&interval=1m&startTime=x"_s << -1100
                                   << u"Illegal characters found in parameter 'startTime'; legal range is "
                                      u"'^[0-9]{1,20}$'."_s;
    QTest::addRow("start after end") << u"/api/v3/klines?symbol=SSEUSDT&interval=1m&startTime=2&endTime=1"_s
                                     << -1023 << u"Start time is greater than end time."_s;
}

void TestReplayExchange::rejectsBadParameters()
{
    QFETCH(QString, request);
    QFETCH(int, code);
    QFETCH(QString, msg);
    start();
    const HttpResult r = m_http.get(m_replay.url(request));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().object(), (QJsonObject{{u"code"_s, code}, {u"msg"_s, msg}}));
    QVERIFY(!r.header("X-MBX-USED-WEIGHT-1m").isEmpty());
}

void TestReplayExchange::newestEndsWithFormingBar()
{
    start();
    m_replay.wall().setNowMs(kW0 + 30000); // V = T0 + 30 s: the bar at T0 is half formed
    const HttpResult r = m_http.get(m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m"_s));
    QCOMPARE(r.status, 200);
    const QJsonArray rows = r.json().array();
    QCOMPARE(rows.size(), 500);
    // SRC-17 at p = 0.5 of the bar at T0; the bar before it is the last history row, exact.
    QVERIFY(restRowMismatch(rows.at(499), formingAt(mapped(1), 0.5), 60).isEmpty());
    QVERIFY(restRowMismatch(rows.at(498), mapped(0), 60).isEmpty());
    QCOMPARE(mapped(0), [&] { Candle c = m_rows.constLast(); c.time = kT0 - 60; return c; }());
    QVERIFY(restRowMismatch(rows.at(0), mapped(-498), 60).isEmpty());
}

void TestReplayExchange::endTimeAloneGivesNewestBefore()
{
    start();
    const HttpResult r = m_http.get(m_replay.url(
        u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=5&endTime=%1"_s.arg((kT0 - 600) * 1000 + 59999)));
    const QJsonArray rows = r.json().array();
    QCOMPARE(rows.size(), 5);
    for (qsizetype i = 0; i < 5; ++i) // the bar at T0 - 600 is ordinal -9
        QVERIFY(restRowMismatch(rows.at(i), mapped(-13 + i), 60).isEmpty());
}

void TestReplayExchange::aggregatesMinutesPresent_data()
{
    QTest::addColumn<QString>("interval");
    QTest::addColumn<qint64>("tf");
    QTest::addRow("5m") << u"5m"_s << qint64(300);
    QTest::addRow("1h") << u"1h"_s << qint64(3600);
}

void TestReplayExchange::aggregatesMinutesPresent()
{
    QFETCH(QString, interval);
    QFETCH(qint64, tf);
    start({}, shiftMode());
    // Shift mode keeps the file's holes (lunch, nights), so buckets hold the minutes present.
    const qint64 d = kT0 - 60 - m_rows.constLast().time;
    QList<Candle> expected;
    for (const Candle &row : std::as_const(m_rows)) {
        const qint64 bucket = (row.time + d) / tf * tf;
        if (!expected.isEmpty() && expected.constLast().time == bucket) {
            Candle &b = expected.last();
            b.high = std::max(b.high, row.high);
            b.low = std::min(b.low, row.low);
            b.close = row.close;
            b.volume += row.volume;
        } else {
            expected.append(Candle{bucket, row.open, row.high, row.low, row.close, row.volume});
        }
    }
    const qint64 startMs = expected.at(1).time * 1000; // the first bucket may be cut by the tape start
    const HttpResult r = m_http.get(m_replay.url(
        u"/api/v3/klines?symbol=SSEUSDT&interval=%1&limit=300&startTime=%2"_s.arg(interval).arg(startMs)));
    QCOMPARE(r.status, 200);
    const QJsonArray rows = r.json().array();
    QCOMPARE(rows.size(), 300);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString mismatch = restRowMismatch(rows.at(i), expected.at(i + 1), tf);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }
}

void TestReplayExchange::shiftModeKeepsFileHoles()
{
    start({}, shiftMode());
    const qint64 d = kT0 - 60 - m_rows.constLast().time;
    const HttpResult r = m_http.get(m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=1000&startTime=%1"_s
                                                     .arg((m_rows.constFirst().time + d) * 1000)));
    const QJsonArray rows = r.json().array();
    QCOMPARE(rows.size(), 1000);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        Candle expected = m_rows.at(i);
        expected.time += d;
        const QString mismatch = restRowMismatch(rows.at(i), expected, 60);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }
}

void TestReplayExchange::serverTimeRunsAtSpeed()
{
    start({}, atSpeed(2.5));
    m_replay.wall().setNowMs(kW0 + 10000);
    for (const QString &path : {u"/api/v3/time"_s, u"/fapi/v1/time"_s}) {
        const HttpResult r = m_http.get(m_replay.url(path));
        QCOMPARE(r.status, 200);
        // SRC-15/16: V = w0 + (wall - w0)·X
        QCOMPARE(r.json().object(), (QJsonObject{{u"serverTime"_s, kW0 + 25000}, {u"speed"_s, 2.5}}));
        QCOMPARE(r.header("X-MBX-USED-WEIGHT-1m"), QByteArray("1"));
    }
}

void TestReplayExchange::stateCountsRequests()
{
    start(u"drop:every=9"_s);
    QCOMPARE(m_http.get(m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=1m&limit=2"_s)).status, 200);
    QCOMPARE(m_http.get(m_replay.url(u"/api/v3/klines?symbol=SSEUSDT&interval=9m"_s)).status, 400);
    QCOMPARE(m_http.get(m_replay.url(u"/api/v3/nothing"_s)).status, 404);
    const QJsonObject state = m_http.get(m_replay.url(u"/_replay/state"_s)).json().object();
    QCOMPARE(state["requests"_L1].toInteger(), 3);
    QCOMPARE(state["replies"_L1].toObject(), (QJsonObject{{u"200"_s, 1}, {u"400"_s, 1}, {u"404"_s, 1}}));
    QCOMPARE(state["weight_used_1m"_L1].toObject(), (QJsonObject{{u"spot"_s, 5}, {u"futures"_s, 0}}));
    QCOMPARE(state["max_in_flight"_L1].toInteger(), 1);
    QCOMPARE(state["streams_open"_L1].toInteger(), 0);
    QCOMPARE(state["virtual_time_ms"_L1].toInteger(), kW0);
    QCOMPARE(state["tape_start"_L1].toInteger(), kT0);
    QCOMPARE(state["symbols"_L1].toArray(), (QJsonArray{u"IFLUSDT"_s, u"SSEUSDT"_s}));
    QCOMPARE(state["faults"_L1].toArray(), (QJsonArray{u"drop:every=9"_s}));
}

void TestReplayExchange::postFaultsArmsThem()
{
    start();
    const HttpResult added = m_http.post(m_replay.url(u"/_replay/faults"_s), "http5xx:status=502");
    QCOMPARE(added.status, 200);
    QCOMPARE(added.json().object(), (QJsonObject{{u"faults"_s, QJsonArray{u"http5xx:status=502"_s}}}));
    QCOMPARE(m_http.get(m_replay.url(u"/api/v3/time"_s)).status, 502); // once, on the next request
    QCOMPARE(m_http.get(m_replay.url(u"/api/v3/time"_s)).status, 200);
    const HttpResult bad = m_http.post(m_replay.url(u"/_replay/faults"_s), "drop;bogus");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.json()["error"_L1].toString(),
             u"POST /_replay/faults item 2 'bogus': kind 'bogus' is unknown; expected one of disconnect, stall, "
             u"drop, hole, http429, http5xx, latency, malformed, weights, cutoff"_s);
    // A bad SPEC arms none of its items.
    QCOMPARE(m_http.get(m_replay.url(u"/_replay/state"_s)).json()["faults"_L1].toArray().size(), 1);
}

void TestReplayExchange::unknownPathIs404()
{
    start();
    const HttpResult r = m_http.get(m_replay.url(u"/api/v3/ticker"_s));
    QCOMPARE(r.status, 404);
    QVERIFY(r.body.startsWith("path '/api/v3/ticker': unknown; expected /api/v3/klines"));
    QCOMPARE(m_http.get(m_replay.url(u"/_replay/nothing"_s)).status, 404);
}

QTEST_GUILESS_MAIN(TestReplayExchange)
#include "tst_replayexchange.moc"
