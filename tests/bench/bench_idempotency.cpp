// PERF-18: what an idempotency key adds to a synchronous keyed command (IDEM-5/8): the key's
// own record transaction plus its completion inside the command's transaction. The command's
// work is one candle upserted in its own transaction; the reference, same run, is that work
// without a key. Both on one writable connection of a fresh store, one operation at a time.
// Run: bench_idempotency [--quick]; --quick does 200 of each.
#include "core/jobs/idempotencystore.h"
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qint64 kT0 = 1704067200; // 2024-01-01T00:00Z
const SeriesId kSeries = *SeriesId::parse(u"file:bench:IDEM:1m"_s);

// The command's work: one candle written in its own transaction, plus `inTxn` before commit.
void work(store::CandleStore &store, qint64 i, const std::function<void()> &inTxn = {})
{
    if (!store.begin())
        qFatal("begin failed");
    const double p = 100 + double(i % 97);
    store::RevisionContext context;
    context.runId = i;
    if (!store.upsert(kSeries, {{kT0 + 60 * i, p, p + 1, p - 1, p, 1}}, context))
        qFatal("upsert failed");
    if (inTxn)
        inTxn();
    if (!store.commit())
        qFatal("commit failed");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int ops = quick ? 200 : 5000;
    const int warmup = quick ? 20 : 200;

    test::TestDatabase db;
    if (!db.setupError().isEmpty())
        qFatal("%s", qPrintable(db.setupError()));
    auto opened = store::CandleStore::open(db.freshUrl(), {});
    if (!opened)
        qFatal("open failed: %s", qPrintable(opened.error().message));
    store::CandleStore &store = **opened;
    SystemClock clock;
    jobs::IdempotencyStore keys(store, clock, 0, 86400);

    QList<double> without;
    QList<double> with;
    // Interleaved, so both see the same growth of the tables and the same machine load.
    for (int i = 0; i < warmup + ops; ++i) {
        QElapsedTimer timer;
        timer.start();
        work(store, 2 * qint64(i));
        const double plainMs = double(timer.nsecsElapsed()) / 1e6;

        timer.restart();
        const QString key = u"bench-%1"_s.arg(i);
        const QJsonObject args{{u"i"_s, i}};
        auto recorded = keys.record({key, u"flags_set"_s, args}, std::nullopt);
        if (!recorded || !recorded->execute)
            qFatal("record failed");
        work(store, 2 * qint64(i) + 1, [&] {
            if (!keys.succeedInTxn(key, QJsonValue(QJsonObject{{u"ok"_s, true}})))
                qFatal("completion failed");
        });
        const double keyedMs = double(timer.nsecsElapsed()) / 1e6;
        if (i >= warmup) {
            without.append(plainMs);
            with.append(keyedMs);
        }
    }
    const double p99With = bench::percentile(with, 99);
    const double p99Without = bench::percentile(without, 99);
    bench::printBenchLine({u"PERF-18"_s, u"key_overhead_p99_ms"_s, p99With - p99Without, u"without_key_p99_ms"_s,
                           p99Without, bench::Goal::AtMost, 3, false});
    const auto over1ms = [](const QList<double> &v) { return std::count_if(v.cbegin(), v.cend(), [](double ms) { return ms > 1; }); };
    QTextStream(stdout) << "PERF-18 backend=" << db.backendName() << " ops=" << ops << (quick ? " (quick)" : "")
                        << " with_key p50_ms=" << QString::number(bench::percentile(with, 50), 'f', 3)
                        << " p99_ms=" << QString::number(p99With, 'f', 3)
                        << " without_key p50_ms=" << QString::number(bench::percentile(without, 50), 'f', 3)
                        << " p99_ms=" << QString::number(p99Without, 'f', 3) << " ops_over_1ms with_key="
                        << over1ms(with) << " without_key=" << over1ms(without) << Qt::endl;
    return 0;
}
