// PERF-10: catch-up of 5,000 stored 1m candles over loopback, from sending `subscribe {since: 0}`
// to receiving `caught_up` (PROTO-14), beside reading the same 5,000 rows from the store.
// Run: bench_catchup [--quick]; --quick runs fewer repetitions of the same catch-up.
#include "core/protocol/marketserver.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/bench/loopbackclients.h"
#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTest>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr int kCandles = 5000; // = server.catchup_limit's default: one full page, then an empty one
constexpr qint64 kT0 = 1704067200;
constexpr qint64 kNowMs = (kT0 + 60 * kCandles + 30) * 1000;
const SeriesId kSeries = *SeriesId::parse(u"file:bench:CATCHUP:1m");

struct Sample
{
    QList<double> ms;
    qsizetype frames = 0; ///< frames of one catch-up, caught_up included
};

// The store alone: the rows a catch-up from since 0 sends, read on a read-only connection.
QList<double> storeReads(const store::StoreUrl &url, int warmup, int reps)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto opened = store::CandleStore::open(url, options);
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error().message));
    QList<double> ms;
    for (int i = 0; i < warmup + reps; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto rows = (*opened)->after(kSeries, -1, kCandles);
        const double elapsed = double(timer.nsecsElapsed()) / 1e6;
        if (!rows || rows->size() != kCandles)
            qFatal("store read: expected %d rows", kCandles);
        if (i >= warmup)
            ms.append(elapsed);
    }
    return ms;
}

// Checks one catch-up's frames: every stored candle once, ascending, no gap, then caught_up.
// Returns the arrival of caught_up.
qint64 checkCatchUp(const QList<bench::Receipt> &frames)
{
    qint64 next = kT0;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const QJsonObject f = QJsonDocument::fromJson(frames.at(i).text.toUtf8()).object();
        const QString type = f.value("type"_L1).toString();
        QJsonArray candles;
        if (type == "candle_closed"_L1)
            candles.append(f.value("candle"_L1));
        else if (type == "candles_batch"_L1)
            candles = f.value("candles"_L1).toArray();
        for (const QJsonValue &c : std::as_const(candles)) {
            if (qint64(c.toObject().value("time"_L1).toDouble()) != next)
                qFatal("catch-up: expected the candle at %lld", next);
            next += 60;
        }
        if (type == "system"_L1 && f.value("event"_L1).toString() == "caught_up"_L1) {
            if (next != kT0 + 60 * kCandles || i != frames.size() - 1)
                qFatal("caught_up after %lld candles, frame %lld of %lld", (next - kT0) / 60, i + 1, frames.size());
            return frames.at(i).ns;
        }
        if (type != "candle_closed"_L1 && type != "candles_batch"_L1)
            qFatal("catch-up: unexpected frame %s", qPrintable(frames.at(i).text.left(200)));
    }
    qFatal("catch-up: no caught_up");
}

// Each repetition on a fresh connection: subscribe, wait for caught_up, close, wait until the
// server has dropped the connection.
Sample catchUps(test::TestCore &core, bench::LoopbackClients &clients, bool batch, int warmup, int reps)
{
    const QString subscribe = QString::fromUtf8(
        QJsonDocument(test::subscribeFrame(kSeries.toString(), 0, batch)).toJson(QJsonDocument::Compact));
    Sample sample;
    for (int i = 0; i < warmup + reps; ++i) {
        if (!clients.open(core.url(), 1))
            qFatal("no hello");
        (void)clients.take();
        const qint64 sent = clients.sendToAll(subscribe);
        if (!clients.waitForMarkers(1))
            qFatal("no caught_up within 30 s");
        const QList<bench::Receipt> frames = clients.take();
        const qint64 caughtUp = checkCatchUp(frames);
        if (i >= warmup)
            sample.ms.append(double(caughtUp - sent) / 1e6);
        sample.frames = frames.size();
        clients.close();
        if (!QTest::qWaitFor([&] { return core.core().server()->connectionCount() == 0; }, 10000))
            qFatal("the server kept the connection");
    }
    return sample;
}

QString figures(const QList<double> &ms)
{
    return u"median_ms=%1 p99_ms=%2 max_ms=%3"_s.arg(bench::percentile(ms, 50), 0, 'f', 2)
        .arg(bench::percentile(ms, 99), 0, 'f', 2)
        .arg(bench::percentile(ms, 100), 0, 'f', 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int reps = quick ? 5 : 100;
    const int streamReps = quick ? 2 : 30;
    const int warmup = 2;
    // SQLite, the default store, whatever backend scripts/bench.sh exports for PERF-8.
    qputenv("GAPLESS_TEST_BACKEND", "sqlite");

    test::TestCore core(kNowMs);
    if (!core.seed(kSeries, test::syntheticCandles(kT0, kCandles)))
        qFatal("seed failed");
    if (!core.start())
        qFatal("core: %s", qPrintable(core.error()));
    QTextStream(stdout) << "candles=" << kCandles << " reps=" << reps << (quick ? " (quick)" : "") << Qt::endl;

    const QList<double> read = storeReads(core.storeUrl(), warmup, reps);
    bench::LoopbackClients clients([](QStringView text) {
        return text.size() < 1024 && text.contains(u"\"caught_up\""_s);
    });
    const Sample batched = catchUps(core, clients, true, warmup, reps);
    const Sample streamed = catchUps(core, clients, false, warmup, streamReps);

    bench::printBenchLine({u"PERF-10"_s, u"catchup_median_ms"_s, bench::percentile(batched.ms, 50),
                           u"store_read_median_ms"_s, bench::percentile(read, 50), bench::Goal::AtMost, 50, false});
    // The ceiling bounds the tail.
    bench::printBenchLine({u"PERF-10"_s, u"catchup_p99_ms"_s, bench::percentile(batched.ms, 99),
                           u"store_read_p99_ms"_s, bench::percentile(read, 99), bench::Goal::AtMost, 100, false});
    QTextStream out(stdout);
    out << "PERF-10 supports_batch=true: reps=" << batched.ms.size() << " frames=" << batched.frames << ' '
        << figures(batched.ms) << Qt::endl;
    out << "PERF-10 supports_batch=false: reps=" << streamed.ms.size() << " frames=" << streamed.frames << ' '
        << figures(streamed.ms) << Qt::endl;
    out << "PERF-10 store read of " << kCandles << ": reps=" << read.size() << ' ' << figures(read) << Qt::endl;
    return 0;
}
