// PERF-16: write amplification of a delta repair (REP-7): of D days of 1m candles, one bar a
// day is changed and one day deleted behind the pipeline's back; the repair against the file
// must write exactly the rows that differ. Metric: (inserted + updated) ÷ rows to write, with
// the rows differing found by an independent comparison as the reference.
// Run: bench_repair [--quick]; --quick repairs 3 days, the full run 90.
#include "core/repair/repairrun.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testcore.h"
#include "tests/support/testenv.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qint64 kT0 = 1704067200; // 2024-01-01T00:00Z
const SeriesId kSeries = *SeriesId::parse(u"file:bench:REPAIR:1m"_s);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int days = quick ? 3 : 90;
    const int rows = days * 1440;
    qputenv("GAPLESS_TEST_BACKEND", "sqlite");

    const CandleList truth = test::syntheticCandles(kT0, rows);
    CandleList local = truth;
    for (int d = 0; d < days; ++d) // one changed bar per day, at a different minute each day
        local[d * 1440 + (d * 37) % 1440].close += 0.5;
    const int deletedDay = days / 2;
    local.remove(qsizetype(deletedDay) * 1440, 1440);
    // The reference: rows that differ, counted by time against the truth.
    qint64 differing = 0;
    for (const Candle &c : truth) {
        const CandleList mine = repair::rowsIn(local, c.time, c.time + 1);
        differing += (mine.isEmpty() || !(mine.first() == c)) ? 1 : 0;
    }

    test::TestCore core((kT0 + 400LL * 86400) * 1000);
    if (!core.seed(kSeries, local) || !core.start())
        qFatal("core: %s", qPrintable(core.error()));
    QTemporaryDir dir;
    const QString path = dir.filePath(u"truth.csv"_s);
    QByteArray csv = "time,open,high,low,close,volume\n";
    for (const Candle &c : truth)
        csv += repair::checksumLine(c);
    if (!test::writeFile(path, csv))
        qFatal("cannot write %s", qPrintable(path));
    auto reader = store::CandleStore::open(core.storeUrl(), {.readOnly = true});
    if (!reader)
        qFatal("open failed: %s", qPrintable(reader.error().message));
    repair::LocalRepairControl control(4242);
    repair::SourceFetcher fetcher(nullptr, core.clock());
    repair::RepairServices services{**reader, fetcher, control, core.clock(), core.core().writer()};
    repair::RepairRequest request;
    request.target = *repair::makeVerifyRequest(kSeries, kT0, kT0 + 60LL * rows, u"file:"_s + path,
                                                core.clock().nowSeconds());
    request.policy = ConflictPolicy::SourceWins;
    QElapsedTimer timer;
    timer.start();
    auto result = repair::runRepair(services, request);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (!result)
        qFatal("repair: %s", qPrintable(result.error().message));
    const qint64 written = result->value(u"rows_inserted"_s).toInteger() + result->value(u"rows_updated"_s).toInteger();
    const double wa = result->value(u"write_amplification"_s).toDouble();
    bench::printBenchLine({u"PERF-16"_s, u"write_amplification"_s, wa, u"rows_differing"_s, double(differing),
                           bench::Goal::AtMost, 1.0, false});
    QTextStream(stdout) << "PERF-16 repair of " << rows << " rows (" << days << " days): rows_differing=" << differing
                        << " written=" << written
                        << " identical=" << result->value(u"rows_identical"_s).toInteger()
                        << " residual_buckets=" << result->value(u"residual_buckets"_s).toInteger()
                        << " ms=" << QString::number(ms, 'f', 1) << Qt::endl;
    return written == differing ? 0 : 1;
}
