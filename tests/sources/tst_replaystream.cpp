// ReplayStream (SRC-16..18) through a ReplayExchange on 127.0.0.1: forming messages every 2 s
// of V interpolated per SRC-17, `x:true` carrying the row exactly, aggregated intervals, and
// the stream faults drop, hole, disconnect (with and without notice), stall, malformed,
// cutoff; pings. Virtual time comes from a FixedClock and moves only with tick().
#include "core/sources/replay/replayexchange.h"

#include "tests/support/replayfixture.h"
#include "tests/support/httpprobe.h"
#include "tests/support/streamprobe.h"
#include "tests/support/testcsv.h"
#include "tests/support/testenv.h"

#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;
using namespace gapless::test;

namespace {

constexpr qint64 kW0 = kReplayW0;
constexpr qint64 kT0 = kReplayT0;

QList<qint64> ordinals(const QList<QJsonObject> &bars)
{
    QList<qint64> out;
    for (const QJsonObject &k : bars)
        out << (k.value("t"_L1).toInteger() / 1000 - kT0) / 60 + 1;
    return out;
}

} // namespace

class TestReplayStream final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void formingInterpolatesAtV();
    void closedCarriesRowExactly();
    void aggregatesLongerIntervals();
    void dropOmitsClosedBars();
    void holeSkipsBars();
    void disconnectWithNotice();
    void disconnectWithoutNotice();
    void stallSilencesStreams();
    void malformedCutsMessages();
    void cutoffClosesAfterSpan();
    void pingsEvery20s();
    void refusesUnknownStreams_data();
    void refusesUnknownStreams();

private:
    void start(const QString &faults = {});
    void setWall(qint64 offsetMs) { m_replay.setWall(offsetMs); }
    [[nodiscard]] Candle mapped(qint64 ordinal) const { return contiguousBar(m_rows, ordinal); }
    [[nodiscard]] ReplayExchange &exchange() { return m_replay.exchange(); }
    [[nodiscard]] StreamProbe *openStream(const QString &interval = u"1m"_s);

    CandleList m_rows;
    ReplayFixture m_replay;
    QList<std::shared_ptr<StreamProbe>> m_probes;
};

void TestReplayStream::initTestCase()
{
    m_rows = readPlainCsv(dataFile(u"cffex_IFL8_1m_part1.csv"_s));
    QVERIFY(m_rows.size() > 100);
}

void TestReplayStream::cleanup()
{
    m_probes.clear();
    m_replay.stop();
}

void TestReplayStream::start(const QString &faults)
{
    QVERIFY(m_replay.start({{u"IFLUSDT"_s, m_rows}}, faults));
}

StreamProbe *TestReplayStream::openStream(const QString &interval)
{
    auto probe = std::make_shared<StreamProbe>();
    m_probes << probe;
    if (!probe->open(exchange().streamUrl(u"IFLUSDT"_s, interval)))
        return nullptr;
    // The stream sends its first forming message as it opens.
    if (!QTest::qWaitFor([&] { return !probe->messages().isEmpty(); }, 5000))
        return nullptr;
    return probe.get();
}

void TestReplayStream::formingInterpolatesAtV()
{
    start();
    m_replay.wall().setNowMs(kW0 + 30000);
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    const QJsonObject event = probe->klines().constFirst();
    QCOMPARE(event.value("E"_L1).toInteger(), kW0 + 30000);
    QCOMPARE(event.value("s"_L1).toString(), u"IFLUSDT"_s);
    QCOMPARE(event.value("k"_L1)["i"_L1].toString(), u"1m"_s);
    QString mismatch = streamBarMismatch(event.value("k"_L1).toObject(), formingAt(mapped(1), 0.5), 60, false);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

    setWall(31000); // the same 2 s slot of V: nothing new
    setWall(32000);
    QTRY_COMPARE(probe->messages().size(), 2);
    mismatch = streamBarMismatch(probe->bars(false).at(1), formingAt(mapped(1), 32.0 / 60.0), 60, false);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestReplayStream::closedCarriesRowExactly()
{
    start();
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    setWall(60500); // within 1 s of V after the close of the bar at T0
    QTRY_COMPARE(probe->bars(true).size(), 1);
    QString mismatch = streamBarMismatch(probe->bars(true).constFirst(), mapped(1), 60, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    setWall(180000); // two closes in one tick arrive in order, before the new forming bar
    QTRY_COMPARE(probe->bars(true).size(), 3);
    QCOMPARE(ordinals(probe->bars(true)), (QList<qint64>{1, 2, 3}));
    QVERIFY(streamBarMismatch(probe->bars(true).at(2), mapped(3), 60, true).isEmpty());
    QTRY_COMPARE(ordinals(probe->bars(false)).constLast(), 4);
    const QJsonObject last = QJsonDocument::fromJson(probe->messages().constLast()).object();
    QCOMPARE(last.value("k"_L1)["x"_L1].toBool(), false);
}

void TestReplayStream::aggregatesLongerIntervals()
{
    start();
    StreamProbe *probe = openStream(u"5m"_s);
    QVERIFY(probe);
    const qint64 bucket = kT0 / 300 * 300; // holds history minutes before T0 and the bar at T0
    const qint64 first = (bucket - kT0) / 60 + 1;
    Candle expected = mapped(first);
    for (qint64 o = first + 1; o <= first + 4; ++o) {
        const Candle m = mapped(o);
        expected.high = std::max(expected.high, m.high);
        expected.low = std::min(expected.low, m.low);
        expected.close = m.close;
        expected.volume += m.volume;
    }
    expected.time = bucket;
    setWall((bucket + 300 - kT0) * 1000);
    QTRY_COMPARE(probe->bars(true).size(), 1);
    const QString mismatch = streamBarMismatch(probe->bars(true).constFirst(), expected, 300, true);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void TestReplayStream::dropOmitsClosedBars()
{
    start(u"drop:every=2"_s);
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    for (int minute = 1; minute <= 6; ++minute)
        setWall(minute * 60000 + 100);
    QTRY_COMPARE(ordinals(probe->bars(false)).constLast(), 7);
    QCOMPARE(ordinals(probe->bars(true)), (QList<qint64>{1, 3, 5}));
    QCOMPARE(exchange().counters().dropped, 3);
    // REST keeps dropped bars.
    HttpProbe http;
    const HttpResult r = http.get(QUrl(exchange().url().toString()
                                             + u"/api/v3/klines?symbol=IFLUSDT&interval=1m&startTime=%1&limit=1"_s.arg(
                                                 (kT0 + 60) * 1000)));
    QCOMPARE(r.json()[0][0].toInteger(), (kT0 + 60) * 1000);
}

void TestReplayStream::holeSkipsBars()
{
    start(u"hole:every=3"_s);
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    for (qint64 ms = 2000; ms <= 6 * 60000 + 2000; ms += 2000)
        setWall(ms);
    QTRY_COMPARE(ordinals(probe->bars(false)).constLast(), 7);
    QCOMPARE(ordinals(probe->bars(true)), (QList<qint64>{1, 2, 4, 5}));
    QVERIFY(!ordinals(probe->bars(false)).contains(3)); // a hole has no forming bar either
    QVERIFY(!ordinals(probe->bars(false)).contains(6));
}

void TestReplayStream::disconnectWithNotice()
{
    start();
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    QCOMPARE(exchange().streamCount(), 1);
    HttpProbe http;
    QCOMPARE(http.post(QUrl(exchange().url().toString() + u"/_replay/faults"_s), "disconnect:notice=true,for=10s")
                 .status,
             200);
    QTRY_VERIFY(probe->isClosed());
    QCOMPARE(QJsonDocument::fromJson(probe->messages().constLast()).object(),
             (QJsonObject{{u"e"_s, u"serverShutdown"_s}, {u"E"_s, kW0}}));
    QCOMPARE(int(probe->socket().closeCode()), 1001);
    QTRY_COMPARE(exchange().streamCount(), 0);

    StreamProbe refused;
    QVERIFY(!refused.open(exchange().streamUrl(u"IFLUSDT"_s))); // upgrades get 503 for `for`
    QCOMPARE(exchange().counters().upgradesRefused, 1);
    m_replay.wall().setNowMs(kW0 + 10000);
    QVERIFY(openStream());
    QCOMPARE(exchange().counters().disconnects, 1);
}

void TestReplayStream::disconnectWithoutNotice()
{
    start();
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    QVERIFY(exchange().addFaults(u"disconnect", u"test"_s).ok());
    QTRY_VERIFY(probe->isClosed());
    QCOMPARE(probe->klines().size(), probe->messages().size()); // no serverShutdown
    QVERIFY(int(probe->socket().closeCode()) != 1001);
}

void TestReplayStream::stallSilencesStreams()
{
    start();
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    QVERIFY(exchange().addFaults(u"stall:for=70s", u"test"_s).ok());
    for (qint64 ms = 2000; ms < 70000; ms += 2000)
        setWall(ms); // the close of the bar at T0 falls in the stall and is lost
    QCOMPARE(exchange().counters().pingsSent, 0); // no pings while stalled
    setWall(70000);
    QTRY_COMPARE(probe->messages().size(), 2);
    QCOMPARE(ordinals(probe->bars(false)), (QList<qint64>{1, 2}));
    QVERIFY(probe->bars(true).isEmpty());
    QCOMPARE(exchange().counters().pingsSent, 1); // the overdue ping goes out with the first message
    QVERIFY(!probe->isClosed());
    setWall(120000);
    QTRY_COMPARE(probe->bars(true).size(), 1);
    QCOMPARE(ordinals(probe->bars(true)), (QList<qint64>{2}));
}

void TestReplayStream::malformedCutsMessages()
{
    start(u"malformed:every=2,target=stream"_s);
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    setWall(2000);
    setWall(4000);
    QTRY_COMPARE(probe->messages().size(), 3);
    QVERIFY(QJsonDocument::fromJson(probe->messages().at(0)).isObject());
    QVERIFY(QJsonDocument::fromJson(probe->messages().at(1)).isNull());
    QVERIFY(probe->messages().at(1).startsWith("{\"E\":"));
    QVERIFY(QJsonDocument::fromJson(probe->messages().at(2)).isObject());
    QCOMPARE(probe->messages().at(1).size(), probe->messages().at(2).size() / 2);
    QCOMPARE(exchange().counters().malformedMessages, 1);
}

void TestReplayStream::cutoffClosesAfterSpan()
{
    start(u"cutoff:after=30s"_s);
    StreamProbe *probe = openStream();
    QVERIFY(probe);
    setWall(29999);
    QVERIFY(!probe->isClosed());
    setWall(30000);
    QTRY_VERIFY(probe->isClosed());
    QCOMPARE(int(probe->socket().closeCode()), 1000);
    QCOMPARE(exchange().counters().cutoffs, 1);
}

void TestReplayStream::pingsEvery20s()
{
    start();
    QVERIFY(openStream());
    setWall(19999);
    QCOMPARE(exchange().counters().pingsSent, 0);
    setWall(20000);
    QCOMPARE(exchange().counters().pingsSent, 1);
    setWall(39999);
    setWall(40000);
    QCOMPARE(exchange().counters().pingsSent, 2);
}

void TestReplayStream::refusesUnknownStreams_data()
{
    QTest::addColumn<QString>("path");
    QTest::addRow("unknown symbol") << u"/ws/btcusdt@kline_1m"_s;
    QTest::addRow("unknown interval") << u"/ws/iflusdt@kline_7m"_s;
    QTest::addRow("not a kline stream") << u"/ws/iflusdt@trade"_s;
}

void TestReplayStream::refusesUnknownStreams()
{
    QFETCH(QString, path);
    start();
    StreamProbe probe;
    QVERIFY(!probe.open(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(exchange().url().port()).arg(path))));
    QCOMPARE(exchange().counters().upgradesRefused, 1);
    QCOMPARE(exchange().counters().streamsOpened, 0);
}

QTEST_GUILESS_MAIN(TestReplayStream)
#include "tst_replaystream.moc"
