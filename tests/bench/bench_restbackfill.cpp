// PERF-13: a year of 1m bars (525,600) backfilled from the replay exchange with
// BinanceRestClient::fetchRange, each window ingested through the pipeline as it arrives,
// while the exchange enforces Binance's spot weights (fault `weights`, limit 6000/min).
// The clock stops when the range has finished and every window is committed; the 429
// replies come from the exchange's counters. The tape is a synthetic year, so that the
// whole range is history (SRC-15: contiguous mode serves N slots before T0).
// Reference, same run: pages × the mean latency of one page fetched alone ÷ 4 (the client's
// in-flight limit per host).
// Run: bench_restbackfill [--quick]; --quick backfills a week.
#include "core/ingest/ingestwriter.h"
#include "core/runtime/core.h"
#include "core/sources/binance/binancerestclient.h"
#include "tests/bench/benchreport.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

const SeriesId kSpot = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kOffsetMs = 3600 * 1000; // both clocks stand an hour after w0
constexpr qint64 kPage = 1000;            // SRC-4: spot windows of 1,000 slots
constexpr int kInflight = 4;              // source.binance_max_inflight's default

bool runLoop(QEventLoop &loop, int timeoutMs)
{
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    timeout.start(timeoutMs);
    return loop.exec() == 0;
}

qint64 replies(const sources::ReplayExchange &exchange, int status)
{
    return exchange.counters().replies.value(status, 0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const qint64 bars = quick ? 7 * 1440 : 365 * 1440;
    const qint64 pages = (bars + kPage - 1) / kPage;
    const int latencyReps = quick ? 5 : 20;
    qputenv("GAPLESS_TEST_BACKEND", "sqlite");

    // The tape is exactly the range: history ordinals 1-N … 0 are slots T0 - 60N … T0 - 60.
    test::ReplayFixture replay;
    sources::ReplayOptions options;
    options.speed = 1;
    options.tickIntervalMs = -1;
    if (!replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, test::syntheticCandles(0, int(bars))}},
                      u"weights:limit=6000"_s, options))
        qFatal("the replay exchange did not start");
    replay.setWall(kOffsetMs);
    const qint64 from = test::kReplayT0 - 60 * bars;
    const qint64 to = test::kReplayT0 - 60;

    test::TestCore core(test::kReplayW0 + kOffsetMs);
    if (!core.start())
        qFatal("core: %s", qPrintable(core.error()));
    SourceSettings source;
    source.binanceSpotRest = replay.url({}).toString();
    QTextStream out(stdout);
    out << "bars=" << bars << " pages=" << pages << (quick ? " (quick)" : "") << Qt::endl;

    // The reference's latency: one page at a time on a client of its own, after one warm-up
    // fetch (which also syncs its exchange clock).
    QList<double> latency;
    {
        sources::BinanceRestClient alone(source, replay.wall(), [] { return 0.0; });
        for (int i = 0; i <= latencyReps; ++i) {
            QEventLoop loop;
            qint64 got = 0;
            QObject::connect(&alone, &sources::BinanceRestClient::windowFetched, &loop,
                             [&](const sources::RestWindowResult &w) { got += w.candles.size(); });
            QObject::connect(&alone, &sources::BinanceRestClient::rangeFinished, &loop,
                             [&](quint64, const QStringList &errors) { loop.exit(errors.isEmpty() ? 0 : 2); });
            const qint64 pageFrom = from + 60 * kPage * (i % pages);
            QElapsedTimer timer;
            timer.start();
            alone.fetchRange(kSpot, pageFrom, std::min(to, pageFrom + 60 * (kPage - 1)));
            if (!runLoop(loop, 60000) || got == 0)
                qFatal("reference page %d failed", i);
            if (i > 0)
                latency.append(double(timer.nsecsElapsed()) / 1e6);
        }
    }
    double meanLatency = 0;
    for (double ms : std::as_const(latency))
        meanLatency += ms;
    meanLatency /= double(latency.size());
    const double reference = double(pages) * meanLatency / kInflight;

    const qint64 requests429Before = replies(replay.exchange(), 429);
    const qint64 requests418Before = replies(replay.exchange(), 418);
    sources::BinanceRestClient rest(source, replay.wall(), [] { return 0.0; });
    ingest::IngestWriter *writer = core.core().writer();
    QEventLoop loop;
    qint64 submitted = 0;
    qint64 finishedRuns = 0;
    qint64 fetched = 0;
    qint64 inserted = 0;
    qint64 sourceMissing = 0;
    bool rangeDone = false;
    QStringList errors;
    double fetchMs = 0;
    QElapsedTimer timer;
    const auto maybeDone = [&] {
        if (rangeDone && finishedRuns == submitted)
            loop.exit(0);
    };
    QObject::connect(&rest, &sources::BinanceRestClient::windowFetched, &loop,
                     [&](const sources::RestWindowResult &w) {
                         fetched += w.candles.size();
                         sourceMissing += w.sourceMissing.size();
                         if (!w.error.isEmpty())
                             errors.append(w.error);
                         if (w.candles.isEmpty())
                             return;
                         ingest::IngestRun run;
                         run.runId = ++submitted;
                         run.source = u"backfill"_s;
                         run.add(kSpot, w.candles);
                         writer->submit(run);
                     });
    QObject::connect(&rest, &sources::BinanceRestClient::rangeFinished, &loop,
                     [&](quint64, const QStringList &e) {
                         errors += e;
                         rangeDone = true;
                         fetchMs = double(timer.nsecsElapsed()) / 1e6;
                         maybeDone();
                     });
    QObject::connect(writer, &ingest::IngestWriter::runFinished, &loop, [&](const ingest::RunReport &report) {
        ++finishedRuns;
        for (const ingest::SeriesOutcome &s : report.series) {
            inserted += s.inserted;
            if (!s.ok)
                errors.append(s.error ? s.error->message : s.failedStep);
        }
        maybeDone();
    });
    const qint64 requestsBefore = rest.requestCount();
    timer.start();
    rest.fetchRange(kSpot, from, to);
    if (!runLoop(loop, 600000))
        qFatal("the backfill did not finish within 600 s");
    const double totalMs = double(timer.nsecsElapsed()) / 1e6;
    const qint64 requests = rest.requestCount() - requestsBefore;
    const qint64 got429 = replies(replay.exchange(), 429) - requests429Before;
    const qint64 got418 = replies(replay.exchange(), 418) - requests418Before;
    if (!errors.isEmpty())
        qFatal("backfill errors: %s", qPrintable(errors.mid(0, 5).join(u"; "_s)));
    if (fetched != bars || inserted != bars)
        qFatal("fetched %lld, inserted %lld of %lld bars", fetched, inserted, bars);
    const CandleList stored = core.stored(kSpot);
    if (stored.size() != bars || stored.constFirst().time != from || stored.constLast().time != to)
        qFatal("stored %lld bars, expected %lld", qint64(stored.size()), bars);

    bench::printBenchLine({u"PERF-13"_s, u"fetch_parse_ingest_s"_s, totalMs / 1000, u"pages_x_latency_div_4_s"_s,
                           reference / 1000, bench::Goal::AtMost, 60, false});
    bench::printBenchLine({u"PERF-13"_s, u"replies_429"_s, double(got429), u"pages"_s, double(pages),
                           bench::Goal::AtMost, 0, false});
    const QJsonObject weightUsed = replay.exchange().state().value("weight_used_1m"_L1).toObject();
    out << "PERF-13 backfill of " << bars << " bars: total_ms=" << QString::number(totalMs, 'f', 1)
        << " fetch_done_ms=" << QString::number(fetchMs, 'f', 1) << " requests=" << requests << " runs=" << submitted
        << " replies_429=" << got429 << " replies_418=" << got418 << " source_missing=" << sourceMissing
        << " weight_used_1m=" << weightUsed.value("spot"_L1).toInteger() << Qt::endl;
    out << "PERF-13 one page alone: reps=" << latency.size() << " mean_ms=" << QString::number(meanLatency, 'f', 2)
        << " median_ms=" << QString::number(bench::percentile(latency, 50), 'f', 2) << Qt::endl;
    return 0;
}
