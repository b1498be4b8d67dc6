// PERF-2, PERF-4: what the candle chart holds and how fast a series opens.
//   PERF-2 bytes per candle held at 1M (memoryBytes() and the process RSS growth), beside the
//          RSS growth per candle of a Qt Charts QCandlestickSeries in a shown QChartView
//   PERF-4 open a series of 100k stored candles → first frame: a real core on 127.0.0.1,
//          protocol::Client and ChartView, catch-up of all 100k (server.catchup_limit), beside
//          reading the same 100k rows from the store; and the chart's own share (the 100k
//          candles added to a shown chart, then its first frame)
// Run: bench_chartload [--quick]; --quick uses 10k candles.
#include "core/protocol/client.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testcore.h"
#include "ui/chart/candlechart.h"
#include "ui/chart/chartview.h"

#include <QApplication>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <unistd.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using gapless::bench::Goal;

namespace {

constexpr qint64 kT0 = 1500000000 - 1500000000 % 60;
const SeriesId kSeries = *SeriesId::parse(u"file:bench:CHART:1m");

qint64 rssBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

void perf2(int n)
{
    const CandleList candles = test::syntheticCandles(kT0, n);
    double held = 0;
    double rssPerCandle = 0;
    {
        const qint64 before = rssBytes();
        ui::CandleChart chart;
        chart.resize(1280, 800);
        chart.setTimeframe(60);
        // As paging fills it: pages of 5,000, newest first.
        for (qsizetype end = candles.size(); end > 0; end -= 5000) {
            const qsizetype from = std::max<qsizetype>(0, end - 5000);
            chart.prependPage(std::span<const Candle>(candles.constData() + from, size_t(end - from)), true);
        }
        held = double(chart.model().candles().memoryBytes()) / n;
        rssPerCandle = double(rssBytes() - before) / n;
    }
    const int refN = std::min(n, 100000);
    const qint64 before = rssBytes();
    auto *series = new QCandlestickSeries;
    for (int i = 0; i < refN; ++i) {
        const Candle &c = candles.at(i);
        series->append(new QCandlestickSet(c.open, c.high, c.low, c.close, double(c.time) * 1000));
    }
    auto *qchart = new QChart;
    qchart->addSeries(series);
    qchart->createDefaultAxes();
    QChartView view(qchart);
    view.resize(1280, 800);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        qFatal("QChartView window not exposed");
    (void)view.grab();
    const double ref = double(rssBytes() - before) / refN;
    bench::printBenchLine({u"PERF-2"_s, u"bytes_per_candle_held@%1"_s.arg(n), held,
                           u"qtcharts_rss_bytes_per_candle@%1"_s.arg(refN), ref, Goal::AtMost, 64, false});
    bench::printBenchLine({u"PERF-2"_s, u"rss_bytes_per_candle@%1"_s.arg(n), rssPerCandle,
                           u"qtcharts_rss_bytes_per_candle@%1"_s.arg(refN), ref, Goal::AtMost, 64, false});
}

void perf4(int n, int reps)
{
    const qint64 nowMs = (kT0 + 60LL * n + 3600) * 1000;
    test::TestCore core(nowMs, {u"server.catchup_limit=%1"_s.arg(n), u"server.command_burst=1000"_s});
    if (!core.seed(kSeries, test::syntheticCandles(kT0, n)))
        qFatal("seed failed");
    if (!core.start())
        qFatal("core: %s", qPrintable(core.error()));

    QList<double> open;
    for (int i = 0; i < reps; ++i) {
        protocol::ClientOptions options;
        options.url = core.url();
        protocol::Client client(options);
        ui::ChartView view(&client);
        view.resize(1280, 800);
        view.show();
        if (!QTest::qWaitForWindowExposed(&view))
            qFatal("chart window not exposed");
        QSignalSpy drawn(&view, &ui::ChartView::firstPageDrawn);
        QElapsedTimer timer;
        timer.start();
        view.setSeries(kSeries);
        client.open();
        if (!drawn.wait(60000) || view.chart()->model().candles().size() != n)
            qFatal("no first frame with %d candles", n);
        open.append(double(timer.nsecsElapsed()) / 1e6);
    }

    store::StoreOptions options;
    options.readOnly = true;
    auto store = store::CandleStore::open(core.storeUrl(), options);
    if (!store)
        qFatal("open failed: %s", qPrintable(store.error().message));
    QList<double> read;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto rows = (*store)->tail(kSeries, n);
        if (!rows || rows->size() != n)
            qFatal("store read: expected %d rows", n);
        read.append(double(timer.nsecsElapsed()) / 1e6);
    }
    // The chart's own share: the same candles handed to a shown chart, then its first frame.
    const CandleList candles = test::syntheticCandles(kT0, n);
    QList<double> chartOnly;
    for (int i = 0; i < reps; ++i) {
        ui::CandleChart chart;
        chart.resize(1280, 800);
        chart.show();
        if (!QTest::qWaitForWindowExposed(&chart))
            qFatal("chart window not exposed");
        QElapsedTimer timer;
        timer.start();
        chart.setTimeframe(60);
        chart.addCandles(std::span<const Candle>(candles.constData(), size_t(candles.size())));
        chart.repaint();
        chartOnly.append(double(timer.nsecsElapsed()) / 1e6);
    }
    bench::printBenchLine({u"PERF-4"_s, u"open_first_frame_ms@%1"_s.arg(n), bench::percentile(open, 50),
                           u"store_read_ms@%1"_s.arg(n), bench::percentile(read, 50), Goal::AtMost, 300, false});
    bench::printBenchLine({u"PERF-4"_s, u"chart_load_first_frame_ms@%1"_s.arg(n), bench::percentile(chartOnly, 50),
                           u"store_read_ms@%1"_s.arg(n), bench::percentile(read, 50), Goal::AtMost, 300, false});
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
    const bool quick = bench::quickMode(argc, argv);
    perf2(quick ? 10000 : 1000000);
    perf4(quick ? 10000 : 100000, quick ? 2 : 5);
    return 0;
}
