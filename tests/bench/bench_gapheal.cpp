// PERF-12: a 1,000-bar hole of a binance:spot 1m series healed after reopen. The store is
// seeded with a run of bars from the replay exchange's history that has one hole per
// repetition, then a core opens it; each repetition times GapBackfill::run over a hole not
// healed before, from the call until `done` (the bars fetched over REST and committed
// through the pipeline). Reference, same run: one REST page of 1,000 bars fetched alone.
// Run: bench_gapheal [--quick]; --quick heals 100-bar holes, fewer times.
#include "core/backfill/gapbackfill.h"
#include "core/backfill/progresstracker.h"
#include "core/sources/binance/binancerestclient.h"
#include "tests/bench/benchreport.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

const SeriesId kSpot = *SeriesId::parse(u"binance:spot:DEMO/USDT:1m"_s);
constexpr qint64 kOffsetMs = 3600 * 1000; // both clocks stand an hour after w0

// Runs the event loop until `finished` is called or 60 s pass; false on the timeout.
bool runLoop(QEventLoop &loop)
{
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    timeout.start(60000);
    return loop.exec() == 0;
}

// One page of `count` bars fetched alone (no ingest), timed from fetchRange to rangeFinished.
double fetchOnce(sources::BinanceRestClient &rest, qint64 from, qint64 count)
{
    QEventLoop loop;
    qint64 bars = 0;
    const auto windows = QObject::connect(&rest, &sources::BinanceRestClient::windowFetched, &loop,
                                          [&](const sources::RestWindowResult &w) { bars += w.candles.size(); });
    const auto finished = QObject::connect(&rest, &sources::BinanceRestClient::rangeFinished, &loop,
                                           [&](quint64, const QStringList &errors) {
                                               loop.exit(errors.isEmpty() ? 0 : 2);
                                           });
    QElapsedTimer timer;
    timer.start();
    rest.fetchRange(kSpot, from, from + 60 * (count - 1));
    const bool ok = runLoop(loop);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    QObject::disconnect(windows);
    QObject::disconnect(finished);
    if (!ok || bars != count)
        qFatal("reference page: %lld of %lld bars", bars, count);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const qint64 hole = quick ? 100 : 1000;
    const int reps = quick ? 5 : 10;
    const int warmup = 1;
    qputenv("GAPLESS_TEST_BACKEND", "sqlite");

    auto rows = sources::ReplayTape::readCsv(test::dataFile(u"sse_000001_1m.csv"_s));
    if (!rows)
        qFatal("tape: %s", qPrintable(rows.error().message));
    test::ReplayFixture replay;
    if (!replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s, *rows}}))
        qFatal("the replay exchange did not start");
    replay.setWall(kOffsetMs);

    // History slots [first, first + 60*span): a stored bar, then a hole, repeated, then a stored bar.
    const qint64 holes = warmup + reps;
    const qint64 span = holes * (hole + 1) + 1;
    if (span > rows->size())
        qFatal("the tape's history is shorter than %lld slots", span);
    const qint64 first = test::kReplayT0 - 60 * span;
    CandleList seeded;
    for (qint64 j = 0; j < span; j += hole + 1)
        seeded.append(test::contiguousBar(*rows, (first + 60 * j - test::kReplayT0) / 60 + 1));
    test::TestCore core(test::kReplayW0 + kOffsetMs);
    if (!core.seed(kSpot, seeded))
        qFatal("seed failed");
    if (!core.start())
        qFatal("core: %s", qPrintable(core.error()));

    SourceSettings source;
    source.binanceSpotRest = replay.url({}).toString();
    sources::BinanceRestClient rest(source, replay.wall(), [] { return 0.0; });
    backfill::ProgressTracker tracker(replay.wall());
    backfill::GapBackfill healer(replay.wall(), core.core().writer(), &rest, sources::FileSource(QStringList{}),
                                 &tracker, BackfillSettings{});
    QTextStream out(stdout);
    out << "hole=" << hole << " reps=" << reps << (quick ? " (quick)" : "") << Qt::endl;

    QList<double> heal;
    qint64 requestsBefore = 0;
    for (qint64 k = 0; k < holes; ++k) {
        const qint64 e = first + 60 * (k * (hole + 1) + 1);
        const qint64 a = e + 60 * hole;
        if (k == warmup)
            requestsBefore = rest.requestCount();
        QEventLoop loop;
        backfill::GapResult result;
        QElapsedTimer timer;
        timer.start();
        healer.run(kSpot, e, a, [&](const backfill::GapResult &r) {
            result = r;
            loop.exit(0);
        });
        if (!runLoop(loop))
            qFatal("heal %lld: no result within 60 s", k);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        if (result.filled != hole || result.stillMissing != 0 || !result.errors.isEmpty())
            qFatal("heal %lld: filled %lld of %lld, still missing %lld, errors: %s", k, result.filled, hole,
                   result.stillMissing, qPrintable(result.errors.join(u"; "_s)));
        if (k >= warmup)
            heal.append(ms);
    }
    const qint64 requests = rest.requestCount() - requestsBefore;
    const CandleList stored = core.stored(kSpot);
    if (stored.size() != span)
        qFatal("stored %lld bars, expected %lld", qint64(stored.size()), span);
    for (qint64 j = 0; j < span; ++j) {
        if (stored.at(j) != test::contiguousBar(*rows, (first + 60 * j - test::kReplayT0) / 60 + 1))
            qFatal("stored bar %lld differs from the tape", j);
    }

    // The reference: the same page size, fetched alone over history that was not healed.
    sources::BinanceRestClient alone(source, replay.wall(), [] { return 0.0; });
    QList<double> page;
    for (int i = 0; i < warmup + reps; ++i) {
        const double ms = fetchOnce(alone, first - 60 * hole, hole);
        if (i >= warmup)
            page.append(ms);
    }

    bench::printBenchLine({u"PERF-12"_s, u"heal_median_ms"_s, bench::percentile(heal, 50), u"one_page_median_ms"_s,
                           bench::percentile(page, 50), bench::Goal::AtMost, 2000, false});
    out << "PERF-12 heal of " << hole << " bars: reps=" << heal.size() << " requests=" << requests
        << " median_ms=" << QString::number(bench::percentile(heal, 50), 'f', 2)
        << " max_ms=" << QString::number(bench::percentile(heal, 100), 'f', 2) << Qt::endl;
    out << "PERF-12 one page of " << hole << " bars alone: reps=" << page.size()
        << " median_ms=" << QString::number(bench::percentile(page, 50), 'f', 2)
        << " max_ms=" << QString::number(bench::percentile(page, 100), 'f', 2) << Qt::endl;
    return 0;
}
