// PERF-14: roll-up of a year of 1m candles (525,600 rows in SQLite) to 5m, 15m, 1h, 4h and 1d:
// reading the year from the store, then rollUp to each timeframe (DOM-11, BF-10). Reference,
// same run: the read of the 525,600 rows alone. Both on a read-only connection, median of reps.
// Run: bench_rollup [--quick]; --quick rolls up a day.
#include "core/domain/rollup.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testcore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qint64 kT0 = 1704067200; // 2024-01-01T00:00Z, a whole day
const SeriesId kSeries = *SeriesId::parse(u"file:bench:ROLLUP:1m"_s);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int days = quick ? 1 : 365;
    const int rows = days * 1440;
    const int reps = quick ? 3 : 9;
    const int warmup = 1;
    qputenv("GAPLESS_TEST_BACKEND", "sqlite"); // PERF-14 is a figure of the SQLite store

    test::TestCore core(kT0 * 1000);
    if (!core.seed(kSeries, test::syntheticCandles(kT0, rows)))
        qFatal("seed failed");
    store::StoreOptions options;
    options.readOnly = true;
    auto opened = store::CandleStore::open(core.storeUrl(), options);
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error().message));
    store::CandleStore &store = **opened;
    const Timeframe base = *Timeframe::parse(u"1m");
    QList<Timeframe> targets;
    for (const QString &tf : {u"5m"_s, u"15m"_s, u"1h"_s, u"4h"_s, u"1d"_s})
        targets.append(*Timeframe::parse(tf));
    const qint64 to = kT0 + 60 * qint64(rows - 1);
    QTextStream out(stdout);
    out << "rows=" << rows << " reps=" << reps << (quick ? " (quick)" : "") << Qt::endl;

    QList<double> readOnly;
    QList<double> readAndRollUp;
    QList<double> rollUpOnly;
    qint64 emitted = 0;
    for (int i = 0; i < warmup + reps; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto alone = store.range(kSeries, kT0, to);
        const double readMs = double(timer.nsecsElapsed()) / 1e6;
        if (!alone || alone->size() != rows)
            qFatal("read: expected %d rows", rows);

        timer.restart();
        auto minutes = store.range(kSeries, kT0, to);
        if (!minutes || minutes->size() != rows)
            qFatal("read: expected %d rows", rows);
        QElapsedTimer rollTimer;
        rollTimer.start();
        qint64 buckets = 0;
        for (const Timeframe target : std::as_const(targets)) {
            const RollupResult r = rollUp(*minutes, base, target);
            if (r.incomplete != 0 || r.complete.size() != rows * 60 / target.seconds())
                qFatal("roll-up to %s: %lld complete, %lld incomplete", qPrintable(target.toString()),
                       qint64(r.complete.size()), r.incomplete);
            buckets += r.complete.size();
        }
        const double rollMs = double(rollTimer.nsecsElapsed()) / 1e6;
        const double totalMs = double(timer.nsecsElapsed()) / 1e6;
        if (i >= warmup) {
            readOnly.append(readMs);
            readAndRollUp.append(totalMs);
            rollUpOnly.append(rollMs);
        }
        emitted = buckets;
    }

    bench::printBenchLine({u"PERF-14"_s, u"read_rollup_5tf_median_ms"_s, bench::percentile(readAndRollUp, 50),
                           u"read_median_ms"_s, bench::percentile(readOnly, 50), bench::Goal::AtMost, 1000, false});
    out << "PERF-14 read + roll-up to 5m,15m,1h,4h,1d: reps=" << readAndRollUp.size() << " buckets=" << emitted
        << " median_ms=" << QString::number(bench::percentile(readAndRollUp, 50), 'f', 1)
        << " max_ms=" << QString::number(bench::percentile(readAndRollUp, 100), 'f', 1)
        << " rollup_only_median_ms=" << QString::number(bench::percentile(rollUpOnly, 50), 'f', 1) << Qt::endl;
    out << "PERF-14 read of " << rows << " rows: median_ms=" << QString::number(bench::percentile(readOnly, 50), 'f', 1)
        << " max_ms=" << QString::number(bench::percentile(readOnly, 100), 'f', 1) << Qt::endl;
    return 0;
}
