// PERF-1, PERF-3, PERF-5: the candle chart's frames, offscreen, beside a Qt Charts
// QCandlestickSeries in the same run.
//   PERF-1 repaint while panning at 10k / 100k / 1M candles (Qt Charts at 10k / 100k)
//   PERF-3 live last-bar update at 1M (Qt Charts: QCandlestickSet::setClose + grab)
//   PERF-5 prepend a page of 5,000 + frame (reference: rebuilding the chart with all candles)
// Run: bench_chartpaint [--quick]; --quick uses 10k candles and fewer frames.
#include "tests/bench/benchreport.h"
#include "ui/chart/candlechart.h"

#include <QApplication>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;
using namespace gapless;
using gapless::bench::BenchLine;
using gapless::bench::Goal;

namespace {

constexpr qint64 kT0 = 1500000000 - 1500000000 % 60;
const QSize kSize(1280, 800);

CandleList makeCandles(qint64 from, int count)
{
    CandleList list;
    list.reserve(count);
    double price = 30000;
    for (int i = 0; i < count; ++i) {
        const double open = price;
        const double close = open + std::sin(i * 0.37) * 40 + std::cos(i * 0.011) * 25;
        list.append({from + 60 * qint64(i), open, std::max(open, close) + 15, std::min(open, close) - 15, close,
                     10.0 + i % 13});
        price = close;
    }
    return list;
}

std::span<const Candle> span(const CandleList &list)
{
    return {list.constData(), size_t(list.size())};
}

template<typename F>
double medianMs(int frames, F &&frame)
{
    QList<double> ms;
    for (int i = 0; i < frames; ++i) {
        QElapsedTimer timer;
        timer.start();
        frame(i);
        ms.append(double(timer.nsecsElapsed()) / 1e6);
    }
    return bench::percentile(ms, 50);
}

std::unique_ptr<ui::CandleChart> shownChart(const CandleList &candles)
{
    auto chart = std::make_unique<ui::CandleChart>();
    chart->resize(kSize);
    chart->setTimeframe(60);
    chart->addCandles(span(candles));
    chart->show();
    if (!QTest::qWaitForWindowExposed(chart.get()))
        qFatal("chart window not exposed");
    return chart;
}

double chartPanMs(const CandleList &candles, int frames, double spacing)
{
    auto chart = shownChart(candles);
    chart->setBarSpacing(spacing);
    chart->scrollBars(-double(candles.size()) / 2); // mid-history: the buffer is searched, not walked
    const double step = 5 * std::max(1.0, 1 / spacing);
    return medianMs(frames, [&](int i) {
        chart->scrollBars(i % 2 ? step * 0.6 : -step);
        chart->repaint();
    });
}

struct QtChartsView
{
    std::unique_ptr<QChartView> view;
    QCandlestickSeries *series = nullptr;
};

QtChartsView qtCharts(const CandleList &candles)
{
    QtChartsView out;
    auto *series = new QCandlestickSeries;
    QList<QCandlestickSet *> sets;
    sets.reserve(candles.size());
    for (const Candle &c : candles)
        sets.append(new QCandlestickSet(c.open, c.high, c.low, c.close, double(c.time) * 1000));
    series->append(sets);
    auto *chart = new QChart;
    chart->addSeries(series);
    chart->createDefaultAxes();
    chart->legend()->hide();
    out.view = std::make_unique<QChartView>(chart);
    out.view->resize(kSize);
    out.view->show();
    if (!QTest::qWaitForWindowExposed(out.view.get()))
        qFatal("QChartView window not exposed");
    out.series = series;
    return out;
}

double qtChartsPanMs(const CandleList &candles, int frames)
{
    QtChartsView q = qtCharts(candles);
    return medianMs(frames, [&](int i) {
        q.view->chart()->scroll(i % 2 ? 18 : -30, 0);
        q.view->repaint();
    });
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool quick = bench::quickMode(argc, argv);
    const int frames = quick ? 20 : 200;
    const QList<int> sizes = quick ? QList<int>{10000} : QList<int>{10000, 100000, 1000000};
    const QList<int> refSizes = quick ? QList<int>{10000} : QList<int>{10000, 100000};

    // PERF-1
    QHash<int, double> refs;
    for (int n : refSizes)
        refs.insert(n, qtChartsPanMs(makeCandles(kT0, n), quick || n > 10000 ? 5 : 20));
    for (int n : sizes) {
        const CandleList candles = makeCandles(kT0, n);
        const int refN = refs.contains(n) ? n : refSizes.constLast();
        // Default spacing (6 px, ~200 bars in view) and the LOD regime (0.05 px: ~24,000 bars).
        for (double spacing : {ui::CandleChart::kDefaultSpacing, 0.05}) {
            const double ms = chartPanMs(candles, frames, spacing);
            const QString metric = spacing < 1 ? u"pan_frame_lod_ms@%1"_s : u"pan_frame_ms@%1"_s;
            bench::printBenchLine({u"PERF-1"_s, metric.arg(n), ms, u"qtcharts_pan_frame_ms@%1"_s.arg(refN),
                                   refs.value(refN), Goal::AtMost, 4, false});
        }
    }

    const int big = sizes.constLast();
    const CandleList candles = makeCandles(kT0, big);
    // PERF-3: a forming update of the newest bar: replace + the partial repaint it asks for.
    {
        auto chart = shownChart(candles);
        Candle last = candles.constLast();
        const double ms = medianMs(frames, [&](int i) {
            last.close = last.open + (i % 7) - 3;
            chart->updateLastCandle(last);
            QCoreApplication::processEvents(); // the region update() queued
        });
        QtChartsView q = qtCharts(makeCandles(kT0, 10000));
        QCandlestickSet *set = q.series->sets().constLast();
        const double ref = medianMs(quick ? 5 : 20, [&](int i) {
            set->setClose(set->open() + (i % 7) - 3);
            (void)q.view->grab();
        });
        bench::printBenchLine({u"PERF-3"_s, u"live_update_ms@%1"_s.arg(big), ms, u"qtcharts_setclose_grab_ms@10000"_s,
                               ref, Goal::AtMost, 1, false});
    }

    // PERF-5: a page of 5,000 older candles prepended, then a frame; reference: the chart
    // rebuilt from all candles, then a frame.
    {
        const CandleList older = makeCandles(kT0 - 60 * 5000 * 40, 5000 * 40);
        auto chart = shownChart(candles);
        const int pages = quick ? 5 : 40;
        const double ms = medianMs(pages, [&](int i) {
            const CandleList page = older.mid(older.size() - 5000 * (i + 1), 5000);
            chart->prependPage(span(page), true);
            chart->repaint();
        });
        const CandleList all = older.mid(older.size() - 5000) + candles;
        const double ref = medianMs(quick ? 2 : 5, [&](int) {
            chart->clear();
            chart->addCandles(span(all));
            chart->repaint();
        });
        bench::printBenchLine({u"PERF-5"_s, u"prepend_5000_frame_ms@%1"_s.arg(big), ms,
                               u"full_rebuild_frame_ms@%1"_s.arg(all.size()), ref, Goal::AtMost, 10, false});
    }
    return 0;
}
