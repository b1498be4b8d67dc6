// PERF-6, PERF-7, PERF-8: store ingest through Qt SQL, each beside its same-run reference.
// Run: bench_storeingest [--quick]; PostgreSQL figures need GAPLESS_TEST_PG_FILE (the ctest
// postgres fixture, or scripts/bench.sh).
#include "core/store/candlestore.h"
#include "tests/bench/benchreport.h"
#include "tests/support/testdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <sqlite3.h>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;

namespace {

constexpr qsizetype kRowsPerTxn = 10000;

CandleList generate(qsizetype count)
{
    CandleList rows;
    rows.reserve(count);
    double price = 30000;
    for (qsizetype i = 0; i < count; ++i) {
        const double open = price;
        price += std::sin(double(i) * 0.37) * 12.5;
        rows.append(Candle{1704067200 + qint64(i) * 60, open, std::max(open, price) + 3.25, std::min(open, price) - 2.5,
                           price, 10.0 + double(i % 97)});
    }
    return rows;
}

struct RawDb
{
    sqlite3 *db = nullptr;
    ~RawDb() { sqlite3_close(db); }
};

void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        qFatal("sqlite3 %s: %s", what, sqlite3_errmsg(db));
}

// The limit: the same schema (created by the store's migration), prepared INSERT, 10k rows a transaction.
double rawInsertRate(const QString &path, const QString &series, const CandleList &rows)
{
    RawDb raw;
    check(sqlite3_open(path.toUtf8().constData(), &raw.db), raw.db, "open");
    check(sqlite3_exec(raw.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr), raw.db, "pragma");
    sqlite3_stmt *insert = nullptr;
    check(sqlite3_prepare_v2(raw.db, "INSERT INTO candles(series_id, candle_time, open, high, low, close, volume) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert, nullptr), raw.db, "prepare");
    const QByteArray id = series.toUtf8();
    QElapsedTimer timer;
    timer.start();
    for (qsizetype start = 0; start < rows.size(); start += kRowsPerTxn) {
        check(sqlite3_exec(raw.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), raw.db, "begin");
        const qsizetype end = std::min(rows.size(), start + kRowsPerTxn);
        for (qsizetype i = start; i < end; ++i) {
            const Candle &c = rows.at(i);
            sqlite3_bind_text(insert, 1, id.constData(), int(id.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 2, c.time);
            sqlite3_bind_double(insert, 3, c.open);
            sqlite3_bind_double(insert, 4, c.high);
            sqlite3_bind_double(insert, 5, c.low);
            sqlite3_bind_double(insert, 6, c.close);
            sqlite3_bind_double(insert, 7, c.volume);
            check(sqlite3_step(insert), raw.db, "step");
            sqlite3_reset(insert);
        }
        check(sqlite3_exec(raw.db, "COMMIT", nullptr, nullptr, nullptr), raw.db, "commit");
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    sqlite3_finalize(insert);
    return double(rows.size()) / seconds;
}

// The replay reference: read each 10k range back and compare, as the store's upsert does.
double rawReplayRate(const QString &path, const QString &series, const CandleList &rows, qint64 *changed)
{
    RawDb raw;
    check(sqlite3_open(path.toUtf8().constData(), &raw.db), raw.db, "open");
    sqlite3_stmt *select = nullptr;
    check(sqlite3_prepare_v2(raw.db, "SELECT candle_time, open, high, low, close, volume FROM candles WHERE series_id = ? "
                                     "AND candle_time >= ? AND candle_time <= ? ORDER BY candle_time", -1, &select, nullptr),
          raw.db, "prepare");
    const QByteArray id = series.toUtf8();
    *changed = 0;
    QElapsedTimer timer;
    timer.start();
    for (qsizetype start = 0; start < rows.size(); start += kRowsPerTxn) {
        check(sqlite3_exec(raw.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), raw.db, "begin");
        const qsizetype end = std::min(rows.size(), start + kRowsPerTxn);
        sqlite3_bind_text(select, 1, id.constData(), int(id.size()), SQLITE_STATIC);
        sqlite3_bind_int64(select, 2, rows.at(start).time);
        sqlite3_bind_int64(select, 3, rows.at(end - 1).time);
        qsizetype i = start;
        while (sqlite3_step(select) == SQLITE_ROW) {
            const Candle stored{sqlite3_column_int64(select, 0), sqlite3_column_double(select, 1),
                                sqlite3_column_double(select, 2), sqlite3_column_double(select, 3),
                                sqlite3_column_double(select, 4), sqlite3_column_double(select, 5)};
            if (i >= end || !(rows.at(i) == stored))
                ++*changed;
            ++i;
        }
        sqlite3_reset(select);
        check(sqlite3_exec(raw.db, "COMMIT", nullptr, nullptr, nullptr), raw.db, "commit");
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    sqlite3_finalize(select);
    return double(rows.size()) / seconds;
}

// Upserts all rows through the store, 10k a transaction; returns rows/s and the counts.
double storeRate(store::CandleStore &store, const SeriesId &series, const CandleList &rows, store::UpsertResult *total)
{
    *total = {};
    QElapsedTimer timer;
    timer.start();
    for (qsizetype start = 0; start < rows.size(); start += kRowsPerTxn) {
        if (!store.begin())
            qFatal("begin failed");
        auto result = store.upsert(series, rows.mid(start, kRowsPerTxn), {});
        if (!result)
            qFatal("upsert failed: %s", qPrintable(result.error().message));
        if (!store.commit())
            qFatal("commit failed");
        total->inserted += result->inserted;
        total->updated += result->updated;
        total->identical += result->identical;
    }
    return double(rows.size()) / (double(timer.nsecsElapsed()) / 1e9);
}

std::unique_ptr<store::CandleStore> openStore(const store::StoreUrl &url)
{
    auto store = store::CandleStore::open(url, {});
    if (!store)
        qFatal("open failed: %s", qPrintable(store.error().message));
    return std::move(store).value();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = bench::quickMode(argc, argv);
    const qsizetype count = quick ? 50000 : 525600;
    const CandleList rows = generate(count);
    const SeriesId series = *SeriesId::parse(u"binance:spot:BENCH/USDT:1m");
    QTemporaryDir dir;
    QTextStream(stdout) << "rows=" << count << (quick ? " (quick)" : "") << Qt::endl;

    // Reference first, on its own file with the same schema.
    store::StoreUrl rawUrl;
    rawUrl.path = dir.filePath(u"raw.db"_s);
    openStore(rawUrl).reset();
    const double rawInsert = rawInsertRate(rawUrl.path, series.toString(), rows);
    qint64 rawChanged = 0;
    const double rawReplay = rawReplayRate(rawUrl.path, series.toString(), rows, &rawChanged);

    store::StoreUrl qtUrl;
    qtUrl.path = dir.filePath(u"qt.db"_s);
    auto store = openStore(qtUrl);
    store::UpsertResult inserted;
    const double qtInsert = storeRate(*store, series, rows, &inserted);
    store::UpsertResult replayed;
    const double qtReplay = storeRate(*store, series, rows, &replayed);
    store.reset();
    if (inserted.inserted != count || replayed.identical != count || replayed.inserted + replayed.updated != 0)
        qFatal("unexpected counts: inserted %lld, replay identical %lld", inserted.inserted, replayed.identical);

    bench::printBenchLine({u"PERF-6"_s, u"qtsql_rows_per_s"_s, qtInsert, u"sqlite3_c_api_rows_per_s"_s, rawInsert,
                           bench::Goal::AtLeast, 0.8, true});
    bench::printBenchLine({u"PERF-6"_s, u"qtsql_rows_per_s"_s, qtInsert, u"sqlite3_c_api_rows_per_s"_s, rawInsert,
                           bench::Goal::AtLeast, 200000, false});
    bench::printBenchLine({u"PERF-7"_s, u"replay_rows_per_s"_s, qtReplay, u"sqlite3_c_api_replay_rows_per_s"_s,
                           rawReplay, bench::Goal::AtLeast, 0.8, true});
    QTextStream(stdout) << "PERF-7 changed rows: qtsql=" << (replayed.inserted + replayed.updated)
                        << " sqlite3_c_api=" << rawChanged << Qt::endl;

    test::TestDatabase pg;
    if (!pg.isPostgres()) {
        QTextStream(stdout) << "PERF-8 not run: GAPLESS_TEST_BACKEND=postgresql with GAPLESS_TEST_PG_FILE needed"
                            << Qt::endl;
        return 0;
    }
    if (!pg.setupError().isEmpty())
        qFatal("%s", qPrintable(pg.setupError()));
    auto pgStore = openStore(pg.freshUrl());
    store::UpsertResult pgInserted;
    const double pgInsert = storeRate(*pgStore, series, rows, &pgInserted);
    bench::printBenchLine({u"PERF-8"_s, u"postgresql_rows_per_s"_s, pgInsert, u"sqlite3_c_api_rows_per_s"_s, rawInsert,
                           bench::Goal::AtLeast, 100000, false});
    return 0;
}
