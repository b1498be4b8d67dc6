// PERF-17: import of a year of generated 1m rows (525,600) through validation and the store
// writer into SQLite, beside parsing the same file alone.
#include "core/domain/numberformat.h"
#include "core/ingest/fileimport.h"
#include "core/sources/candlefile.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "tests/bench/benchreport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

void writeYear(const QString &path, qsizetype rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QByteArray out("time,open,high,low,close,volume\n");
    double price = 3000;
    for (qsizetype i = 0; i < rows; ++i) {
        const double open = std::round(price * 100) / 100;
        price += std::sin(double(i) * 0.21) * 1.7;
        const double close = std::round(price * 100) / 100;
        out += QByteArray::number(1672531200 + qint64(i) * 60) + ',' + formatNumber(open) + ','
             + formatNumber(std::max(open, close) + 0.5) + ',' + formatNumber(std::min(open, close) - 0.25) + ','
             + formatNumber(close) + ',' + QByteArray::number(1000 + i % 777) + '\n';
        if (out.size() > (1 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
}

// Imports `csv` into a new SQLite file through the pipeline; returns the wall time in ms.
double importOnce(const QString &csv, const QString &db, qsizetype rows, bool factors)
{
    SystemClock clock;
    EventLog log(clock);
    Failpoints failpoints;
    ingest::IngestWriterThread thread(clock, log, failpoints);
    ingest::FileImport import(thread.writer());
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    QObject::connect(thread.writer(), &ingest::IngestWriter::opened, &loop, &QEventLoop::quit);
    store::StoreUrl url;
    url.path = db;
    ingest::PipelineConfig config;
    config.factor.enabled = factors;
    config.factor.overlayEnabled = factors;
    thread.writer()->open(url, {}, config);
    loop.exec();
    ingest::ImportRequest request;
    request.path = csv;
    request.series = *SeriesId::parse(u"file:bench:YEAR:1m");
    request.nowSeconds = 2000000000;
    request.runId = 1;
    if (!import.prepare(request))
        qFatal("prepare failed");
    ingest::ImportReport report;
    QObject::connect(&import, &ingest::FileImport::finished, &loop, [&](const ingest::ImportReport &r) {
        report = r;
        loop.quit();
    });
    import.start();
    loop.exec();
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (report.runError || report.inserted != rows)
        qFatal("import failed: %lld inserted", report.inserted);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = bench::quickMode(argc, argv);
    const qsizetype rows = quick ? 52560 : 525600;
    QTemporaryDir dir;
    const QString csv = dir.filePath(u"year.csv"_s);
    writeYear(csv, rows);
    QTextStream(stdout) << "rows=" << rows << (quick ? " (quick)" : "") << Qt::endl;

    QElapsedTimer timer;
    timer.start();
    auto parsed = sources::readCandleFile(csv, sources::FileFormat::Csv);
    const double parseMs = double(timer.nsecsElapsed()) / 1e6;
    if (!parsed || parsed->rows.size() != rows)
        qFatal("parse failed");

    const double storeOnlyMs = importOnce(csv, dir.filePath(u"store.db"_s), rows, false);
    const double pipelineMs = importOnce(csv, dir.filePath(u"pipeline.db"_s), rows, true);

    // PERF-17: target 3 s for 525,600 rows (quick runs scale it to their size).
    bench::printBenchLine({u"PERF-17"_s, u"import_ms"_s, pipelineMs, u"parse_only_ms"_s, parseMs, bench::Goal::AtMost,
                           3000.0 * double(rows) / 525600.0, false});
    // PERF-9: factors and overlays on, beside the store-only pipeline of the same run.
    bench::printBenchLine({u"PERF-9"_s, u"pipeline_rows_per_s"_s, double(rows) / pipelineMs * 1000,
                           u"store_only_rows_per_s"_s, double(rows) / storeOnlyMs * 1000, bench::Goal::AtLeast,
                           100000, false});
    return 0;
}
