// PERF-15: verify a year of 1m candles (525,600 rows in SQLite) against a CSV file of the same
// rows: parse and validate the file, read the local year, hash both per UTC day and compare
// (REP-1..5). Reference, same run: the local read and hash alone. Median of reps.
// Run: bench_verify [--quick]; --quick verifies a day.
#include "core/repair/repairrun.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qint64 kT0 = 1704067200; // 2024-01-01T00:00Z
const SeriesId kSeries = *SeriesId::parse(u"file:bench:VERIFY:1m"_s);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int days = quick ? 1 : 365;
    const int rows = days * 1440;
    const int reps = quick ? 3 : 5;
    qputenv("GAPLESS_TEST_BACKEND", "sqlite"); // PERF-15 is a figure of the SQLite store

    const CandleList candles = test::syntheticCandles(kT0, rows);
    test::TestCore core((kT0 + 400LL * 86400) * 1000);
    if (!core.seed(kSeries, candles))
        qFatal("seed failed");
    QTemporaryDir dir;
    const QString path = dir.filePath(u"year.csv"_s);
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (const Candle &c : candles)
        csv += repair::checksumLine(c);
    if (!test::writeFile(path, csv))
        qFatal("cannot write %s", qPrintable(path));
    auto opened = store::CandleStore::open(core.storeUrl(), {.readOnly = true});
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error().message));
    const qint64 nowS = core.clock().nowSeconds();
    const qint64 to = kT0 + 60LL * rows;
    repair::LocalRepairControl control(1);
    repair::SourceFetcher fetcher(nullptr, core.clock());
    repair::RepairServices services{**opened, fetcher, control, core.clock()};
    const auto request = repair::makeVerifyRequest(kSeries, kT0, to, u"file:"_s + path, nowS);
    if (!request)
        qFatal("request: %s", qPrintable(request.error().message));

    QList<double> verifyMs;
    QList<double> refMs;
    for (int i = 0; i < 1 + reps; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto local = (*opened)->range(kSeries, kT0, to - 1);
        if (!local || local->size() != rows)
            qFatal("read: expected %d rows", rows);
        qint64 hashed = 0;
        for (const repair::DaySpan &span : repair::daySpans(kT0, to))
            hashed += repair::bucketChecksum(repair::rowsIn(*local, span.from, span.to)).size();
        const double ref = double(timer.nsecsElapsed()) / 1e6;
        timer.restart();
        auto outcome = repair::runVerify(services, *request);
        const double run = double(timer.nsecsElapsed()) / 1e6;
        if (!outcome || outcome->report.differing() != 0 || outcome->report.rowsSource != rows || hashed == 0)
            qFatal("verify: expected a clean year");
        if (i > 0) {
            refMs.append(ref);
            verifyMs.append(run);
        }
    }
    bench::printBenchLine({u"PERF-15"_s, u"verify_file_median_ms"_s, bench::percentile(verifyMs, 50),
                           u"local_read_hash_median_ms"_s, bench::percentile(refMs, 50), bench::Goal::AtMost, 3000,
                           false});
    QTextStream(stdout) << "PERF-15 verify of " << rows << " rows (" << days << " days) vs file: reps=" << reps
                        << " max_ms=" << QString::number(bench::percentile(verifyMs, 100), 'f', 1) << Qt::endl;
    return 0;
}
