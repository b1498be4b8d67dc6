// The Binance REST client (SRC-1..7) against the replay exchange on 127.0.0.1: paging in
// order, never a forming bar, source_missing for holes, and each fault answered as SRC-6/7
// say without losing a page. The wall clock is the test's, so pauses end when it moves.
#include "core/sources/binance/binancerestclient.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testenv.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::sources;
using namespace gapless::test;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);

CandleList tapeRows()
{
    return *ReplayTape::readCsv(dataFile(u"sse_000001_1m.csv"_s));
}

// The bars the tape carries in [from, to], history slots before T0.
CandleList expectedBars(const CandleList &rows, qint64 from, qint64 to)
{
    CandleList out;
    for (qint64 t = from; t <= to; t += 60)
        out.append(contiguousBar(rows, (t - kReplayT0) / 60 + 1));
    return out;
}

struct Fetch
{
    QList<RestWindowResult> windows;
    QStringList errors;
    QStringList journal;
    bool finished = false;

    [[nodiscard]] CandleList candles() const
    {
        CandleList out;
        for (const RestWindowResult &w : windows)
            out += w.candles;
        return out;
    }
};

} // namespace

class TestBinanceRestClient : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void pagesArriveInOrder();
    void neverAFormingBar();
    void holesAreSourceMissing();
    void tooManyRequestsPausesAndLosesNothing();
    void serverErrorsAreRetried();
    void malformedPagesAreRetried();
    void givesUpAfterMaxAttempts();
    void badSymbolIsNotRetried();
    void weightLimitBansAndRecovers();
    void refusesSeriesWithoutSource();

private:
    bool startExchange(const QString &faults);
    Fetch run(const SeriesId &series, qint64 from, qint64 to, const std::function<void(Fetch &)> &whileRunning = {});

    CandleList m_rows;
    std::unique_ptr<ReplayFixture> m_replay;
    std::unique_ptr<BinanceRestClient> m_client;
};

void TestBinanceRestClient::init()
{
    m_rows = tapeRows();
    m_replay = std::make_unique<ReplayFixture>();
}

void TestBinanceRestClient::cleanup()
{
    m_client.reset();
    m_replay.reset();
}

bool TestBinanceRestClient::startExchange(const QString &faults)
{
    if (!m_replay->start({ReplaySymbol{u"DEMOUSDT"_s, m_rows}}, faults))
        return false;
    SourceSettings settings;
    settings.binanceSpotRest = m_replay->url({}).toString();
    settings.binanceFuturesRest = settings.binanceSpotRest;
    settings.binanceRestMaxAttempts = 3;
    m_client = std::make_unique<BinanceRestClient>(settings, m_replay->wall(), [] { return 0.0; });
    return true;
}

Fetch TestBinanceRestClient::run(const SeriesId &series, qint64 from, qint64 to,
                                 const std::function<void(Fetch &)> &whileRunning)
{
    Fetch fetch;
    QObject context;
    connect(m_client.get(), &BinanceRestClient::windowFetched, &context,
            [&](const RestWindowResult &w) { fetch.windows.append(w); });
    connect(m_client.get(), &BinanceRestClient::fetchFailed, &context,
            [&](const SeriesId &, const QString &message) { fetch.journal.append(message); });
    const quint64 request = m_client->fetchRange(series, from, to);
    connect(m_client.get(), &BinanceRestClient::rangeFinished, &context,
            [&](quint64 id, const QStringList &errors) {
                if (id == request) {
                    fetch.errors = errors;
                    fetch.finished = true;
                }
            });
    (void)QTest::qWaitFor([&] {
        if (whileRunning)
            whileRunning(fetch);
        return fetch.finished;
    }, 30000);
    return fetch;
}

void TestBinanceRestClient::pagesArriveInOrder()
{
    QVERIFY(startExchange({}));
    m_replay->setWall(5000); // T0 - 60 is closed once the exchange clock is 2 s past T0 (SRC-3)
    const qint64 from = kReplayT0 - 2500 * 60;
    const qint64 to = kReplayT0 - 60;
    const Fetch fetch = run(kSeries, from, to);
    QVERIFY(fetch.finished);
    QVERIFY(fetch.errors.isEmpty());
    QCOMPARE(fetch.windows.size(), 3); // 1000 + 1000 + 500 slots (SRC-4)
    for (int i = 0; i < fetch.windows.size(); ++i)
        QCOMPARE(fetch.windows.at(i).index, i);
    QCOMPARE(fetch.candles(), expectedBars(m_rows, from, to));
    QCOMPARE(m_client->requestCount(), 4); // /api/v3/time first, then the three pages
}

void TestBinanceRestClient::neverAFormingBar()
{
    QVERIFY(startExchange({}));
    m_replay->setWall(90 * 1000); // V = T0 + 90 s: slot T0 is closed, T0 + 60 is forming
    const Fetch fetch = run(kSeries, kReplayT0 - 120, kReplayT0 + 600);
    QVERIFY(fetch.errors.isEmpty());
    // SRC-3 keeps a bar only if open + 60 <= min(now, xnow - 2): T0 + 60 + 60 > V.
    QCOMPARE(fetch.candles(), expectedBars(m_rows, kReplayT0 - 120, kReplayT0));
    QVERIFY(fetch.windows.first().sourceMissing.isEmpty());
}

void TestBinanceRestClient::holesAreSourceMissing()
{
    QVERIFY(startExchange(u"hole:len=3"_s));
    m_replay->setWall(10 * 60 * 1000);
    const Fetch fetch = run(kSeries, kReplayT0, kReplayT0 + 8 * 60);
    QVERIFY(fetch.errors.isEmpty());
    const RestWindowResult &w = fetch.windows.first();
    QCOMPARE(w.sourceMissing.size(), 3);
    QCOMPARE(w.candles.size() + w.sourceMissing.size(), 9);
    for (const qint64 t : w.sourceMissing)
        QVERIFY(std::none_of(w.candles.begin(), w.candles.end(), [t](const Candle &c) { return c.time == t; }));
}

void TestBinanceRestClient::tooManyRequestsPausesAndLosesNothing()
{
    QVERIFY(startExchange(u"http429:every=2,retry_after=5"_s));
    const qint64 from = kReplayT0 - 4000 * 60;
    const qint64 to = kReplayT0 - 60;
    qint64 wall = 5000;
    const Fetch fetch = run(kSeries, from, to, [&](Fetch &) {
        // Pauses end on the client's clock: let it run fast.
        wall += 100;
        m_replay->setWall(wall);
    });
    QVERIFY(fetch.finished);
    QVERIFY(fetch.errors.isEmpty());
    QVERIFY(!fetch.journal.isEmpty());
    QVERIFY(fetch.journal.first().contains(u"HTTP 429"_s));
    QCOMPARE(fetch.candles(), expectedBars(m_rows, from, to));
}

void TestBinanceRestClient::serverErrorsAreRetried()
{
    QVERIFY(startExchange(u"http5xx:every=2,status=503"_s));
    m_replay->setWall(5000);
    const qint64 from = kReplayT0 - 3000 * 60;
    const qint64 to = kReplayT0 - 60;
    const Fetch fetch = run(kSeries, from, to);
    QVERIFY(fetch.errors.isEmpty());
    QVERIFY(fetch.journal.isEmpty()); // retried within its attempts: nothing to journal
    QCOMPARE(fetch.candles(), expectedBars(m_rows, from, to));
    QVERIFY(m_client->requestCount() > 4);
}

void TestBinanceRestClient::malformedPagesAreRetried()
{
    QVERIFY(startExchange(u"malformed:every=3,target=rest"_s));
    m_replay->setWall(5000);
    const qint64 from = kReplayT0 - 3000 * 60;
    const qint64 to = kReplayT0 - 60;
    const Fetch fetch = run(kSeries, from, to);
    QVERIFY(fetch.errors.isEmpty());
    QCOMPARE(fetch.candles(), expectedBars(m_rows, from, to));
}

void TestBinanceRestClient::givesUpAfterMaxAttempts()
{
    QVERIFY(startExchange(u"http5xx:every=1,status=502"_s));
    const Fetch fetch = run(kSeries, kReplayT0 - 600, kReplayT0 - 60);
    QCOMPARE(fetch.errors.size(), 1);
    QCOMPARE(fetch.journal, fetch.errors);
    QVERIFY2(fetch.errors.first().contains(u"HTTP 502 after 3 attempts"_s), qPrintable(fetch.errors.first()));
    QVERIFY(fetch.errors.first().startsWith(u"GET http://127.0.0.1:"_s));
    QVERIFY(fetch.windows.first().candles.isEmpty());
}

void TestBinanceRestClient::badSymbolIsNotRetried()
{
    QVERIFY(startExchange({}));
    const Fetch fetch = run(*SeriesId::parse(u"binance:spot:NOPE/USDT:1m"_s), kReplayT0 - 600, kReplayT0 - 60);
    QCOMPARE(fetch.errors.size(), 1);
    QVERIFY2(fetch.errors.first().contains(u"HTTP 400 code -1121"_s), qPrintable(fetch.errors.first()));
    QCOMPARE(m_client->requestCount(), 2); // /time and one klines call
}

void TestBinanceRestClient::weightLimitBansAndRecovers()
{
    // 10 weight a minute on the exchange (5 spot calls), a 418 after one more 429.
    QVERIFY(startExchange(u"weights:limit=10,ban_after=1"_s));
    const qint64 from = kReplayT0 - 8000 * 60;
    const qint64 to = kReplayT0 - 60;
    qint64 wall = 5000;
    const Fetch fetch = run(kSeries, from, to, [&](Fetch &) {
        wall += 1000; // a fast clock: bans and minutes pass within the test
        m_replay->setWall(wall);
    });
    QVERIFY(fetch.finished);
    QVERIFY(fetch.errors.isEmpty());
    QCOMPARE(fetch.candles(), expectedBars(m_rows, from, to));
}

void TestBinanceRestClient::refusesSeriesWithoutSource()
{
    QVERIFY(startExchange({}));
    Fetch fetch = run(*SeriesId::parse(u"file:cn:X:1m"_s), 0, 600);
    QCOMPARE(fetch.errors.size(), 1);
    QVERIFY(fetch.errors.first().contains(u"no Binance source"_s));
    fetch = run(*SeriesId::parse(u"binance:spot:DEMO/USDT:10m"_s), 0, 600);
    QVERIFY(fetch.errors.first().contains(u"no native Binance interval"_s));
}

QTEST_GUILESS_MAIN(TestBinanceRestClient)
#include "tst_binancerestclient.moc"
