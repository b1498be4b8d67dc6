// PERF-11: fan-out of a committed candle to 100 live subscribers over loopback, from the writer's
// commit to each client's receipt of its candle_closed (PROTO-21), beside the same with 1 client.
// Run: bench_fanout [--quick]; --quick uses 10 clients and fewer commits, the same path.
#include "core/ingest/ingestwriter.h"
#include "core/protocol/marketserver.h"
#include "tests/bench/benchreport.h"
#include "tests/bench/loopbackclients.h"
#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTextStream>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qint64 kT0 = 1704067200;
constexpr int kHistory = 100;
constexpr qint64 kHead = kT0 + 60 * (kHistory - 1);
constexpr qint64 kNowMs = (kT0 + 30 * 86400) * 1000; // every committed candle is closed (DOM-6)
const SeriesId kSeries = *SeriesId::parse(u"file:bench:FANOUT:1m");

bool isMarker(QStringView text)
{
    return text.size() < 1024 && (text.contains(u"\"candle_closed\""_s) || text.contains(u"\"caught_up\""_s));
}

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// Commit→receipt latencies in ms of `commits` single-candle commits to `clientCount` live
// subscribers of one series, on a core of its own; `warmup` commits before them are not counted.
QList<double> fanout(int clientCount, int warmup, int commits)
{
    test::TestCore core(kNowMs);
    if (!core.seed(kSeries, test::syntheticCandles(kT0, kHistory)))
        qFatal("seed failed");
    if (!core.start())
        qFatal("core: %s", qPrintable(core.error()));

    // Stamped on the writer thread as the pipeline announces the commit (ING-13), before the
    // server is told: slots run in connection order, so the core's own connection is made again
    // after the stamp's, as it was (queued to the protocol thread).
    std::atomic<qint64> committedNs{0};
    std::atomic<qint64> committedTime{0};
    QObject stamp;
    ingest::IngestWriter *writer = core.core().writer();
    protocol::MarketServer *server = core.core().server();
    if (!QObject::disconnect(writer, &ingest::IngestWriter::candlesCommitted, server,
                             &protocol::MarketServer::publishCommitted))
        qFatal("the core does not publish commits to its server");
    QObject::connect(
        writer, &ingest::IngestWriter::candlesCommitted, &stamp,
        [&](const SeriesId &, const CandleList &rows) {
            committedNs.store(bench::steadyNs());
            committedTime.store(rows.last().time);
        },
        Qt::DirectConnection);
    QObject::connect(writer, &ingest::IngestWriter::candlesCommitted, server,
                     &protocol::MarketServer::publishCommitted);

    bench::LoopbackClients clients(isMarker);
    if (!clients.open(core.url(), clientCount))
        qFatal("%d clients: not every hello arrived", clientCount);
    (void)clients.take();
    // Subscribed at the head: nothing to catch up, live at once.
    clients.sendToAll(QString::fromUtf8(
        QJsonDocument(test::subscribeFrame(kSeries.toString(), double(kHead), true)).toJson(QJsonDocument::Compact)));
    if (!clients.waitForMarkers(clientCount))
        qFatal("not every client caught up");
    for (const bench::Receipt &r : clients.take()) {
        const QJsonObject f = parse(r.text);
        if (f.value("type"_L1).toString() != "system"_L1 || f.value("event"_L1).toString() != "caught_up"_L1)
            qFatal("subscribe: unexpected frame %s", qPrintable(r.text.left(200)));
    }

    QList<double> ms;
    ms.reserve(qsizetype(clientCount) * commits);
    for (int i = 0; i < warmup + commits; ++i) {
        const qint64 time = kHead + 60 * (i + 1);
        ingest::IngestRun run;
        run.source = u"live"_s;
        run.add(kSeries, test::syntheticCandles(time, 1));
        core.core().writer()->submit(run);
        if (!clients.waitForMarkers(clientCount))
            qFatal("commit %d: not every client received it within 30 s", i);
        if (committedTime.load() != time)
            qFatal("commit %d: no commit stamp", i);
        const qint64 committed = committedNs.load();
        QList<int> received(clientCount, 0);
        for (const bench::Receipt &r : clients.take()) {
            const QJsonObject f = parse(r.text);
            if (f.value("type"_L1).toString() != "candle_closed"_L1)
                continue;
            if (qint64(f.value("candle"_L1).toObject().value("time"_L1).toDouble()) != time)
                qFatal("commit %d: client %d got another candle", i, r.client);
            ++received[r.client];
            if (i >= warmup)
                ms.append(double(r.ns - committed) / 1e6);
        }
        if (received.count(1) != clientCount)
            qFatal("commit %d: expected one candle_closed per client", i);
    }
    return ms;
}

QString figures(const QList<double> &ms)
{
    return u"p50_ms=%1 p99_ms=%2 max_ms=%3"_s.arg(bench::percentile(ms, 50), 0, 'f', 3)
        .arg(bench::percentile(ms, 99), 0, 'f', 3)
        .arg(bench::percentile(ms, 100), 0, 'f', 3);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gapless.*.info=false"_s);
    const bool quick = bench::quickMode(argc, argv);
    const int clientCount = quick ? 10 : 100;
    const int commits = quick ? 20 : 200;
    const int warmup = 5;
    // SQLite, the default store, whatever backend scripts/bench.sh exports for PERF-8.
    qputenv("GAPLESS_TEST_BACKEND", "sqlite");
    QTextStream out(stdout);
    out << "clients=" << clientCount << " commits=" << commits << (quick ? " (quick)" : "") << Qt::endl;

    const QList<double> one = fanout(1, warmup, commits);
    const QList<double> many = fanout(clientCount, warmup, commits);

    bench::printBenchLine({u"PERF-11"_s, u"p99_ms"_s, bench::percentile(many, 99), u"one_client_p99_ms"_s,
                           bench::percentile(one, 99), bench::Goal::AtMost, 20, false});
    out << "PERF-11 " << clientCount << " clients: latencies=" << many.size() << ' ' << figures(many) << Qt::endl;
    out << "PERF-11 1 client: latencies=" << one.size() << ' ' << figures(one) << Qt::endl;
    return 0;
}
