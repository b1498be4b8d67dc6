// The ingest pipeline (ING-1..13) on real SQLite and PostgreSQL: every failpoint under every
// kill-switch setting leaves exactly the rows ING-8 says and one journal row with every field
// as ING-9 says; a replay changes nothing; publish follows commit.
#include "core/ingest/ingestpipeline.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::ingest;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:PIPE:1m");
constexpr qint64 kNowMs = 1800000000000;

CandleList wave(qint64 fromIndex, qint64 toIndex)
{
    CandleList out;
    for (qint64 i = fromIndex; i < toIndex; ++i) {
        const double mid = 100 + 10 * std::sin(double(i) / 4.0);
        out.append(Candle{60 * (i + 1), mid, mid + 1.5, mid - 1.25, mid + 0.5, double(10 + i % 7)});
    }
    return out;
}

// Content columns only: surrogate ids differ by backend (PostgreSQL sequences survive rollback).
const QList<std::pair<QString, QString>> kTables{
    {u"series"_s, u"series_id, tf_s, created_at_ms"_s},
    {u"candles"_s, u"series_id, candle_time, open, high, low, close, volume"_s},
    {u"candle_revisions"_s, u"series_id, candle_time, old_open, old_high, old_low, old_close, old_volume, new_open, "
                            u"new_high, new_low, new_close, new_volume, cause, run_id, job_id, request_id, at_ms"_s},
    {u"factor_series_state"_s, u"series_id, head_time, fingerprint, dirty_from, updated_at_ms"_s},
    {u"factor_events"_s, u"series_id, factor_name, event_key, kind, candle_time, payload_json"_s},
    {u"factor_head_snapshots"_s, u"series_id, factor_name, candle_time, seq, head_json"_s},
    {u"overlay_instruction_versions"_s, u"series_id, instruction_id, kind, visible_time, def_json"_s},
    {u"overlay_series_state"_s, u"series_id, head_time, updated_at_ms"_s},
};

QStringList dumpTable(store::CandleStore &store, const QString &table, const QString &columns)
{
    QSqlQuery q(store.database());
    if (!q.exec(u"SELECT "_s + columns + u" FROM "_s + table))
        qFatal("dump %s failed", qPrintable(table));
    QStringList rows;
    while (q.next()) {
        QStringList fields;
        for (int i = 0; i < q.record().count(); ++i)
            fields << (q.value(i).isNull() ? u"NULL"_s : q.value(i).toString());
        rows << fields.join(u'|');
    }
    rows.sort();
    return rows;
}

using Snapshot = QMap<QString, QStringList>;

Snapshot snapshot(store::CandleStore &store)
{
    Snapshot s;
    for (const auto &[table, columns] : kTables)
        s.insert(table, dumpTable(store, table, columns));
    return s;
}

struct Harness
{
    std::unique_ptr<store::CandleStore> store;
    FixedClock clock{kNowMs};
    Failpoints failpoints;
    std::unique_ptr<EventLog> log;
    std::unique_ptr<IngestPipeline> pipeline;

    Harness(const store::StoreUrl &url, const PipelineConfig &config, const QList<Failpoint> &active = {})
        : failpoints(active, 1)
    {
        auto opened = store::CandleStore::open(url, {});
        if (!opened)
            qFatal("open: %s", qPrintable(opened.error().message));
        store = std::move(opened).value();
        log = std::make_unique<EventLog>(clock);
        pipeline = std::make_unique<IngestPipeline>(*store, config, failpoints, *log, clock);
    }

    RunReport ingest(const CandleList &candles, qint64 runId)
    {
        IngestRun run;
        run.runId = runId;
        run.source = u"import"_s;
        run.add(kSeries, candles);
        return pipeline->run(run);
    }
};

PipelineConfig config(bool factor, bool overlay, bool compensateCandles = true, bool compensateOverlay = true)
{
    PipelineConfig c;
    c.factor.enabled = factor;
    c.factor.overlayEnabled = overlay;
    c.factor.pivotWindowMajor = 3;
    c.factor.pivotWindowMinor = 1;
    c.ingest.compensateNewCandles = compensateCandles;
    c.ingest.compensateOverlayError = compensateOverlay;
    return c;
}

// The second batch: 50 rows already stored (one of them changed) and 60 new ones.
CandleList secondBatch()
{
    CandleList batch = wave(150, 260);
    batch[30].close += 0.75; // time 181·60, stored before: an update and late data (FAC-4)
    return batch;
}

} // namespace

class TestIngestPipeline final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void compensates_data();
    void compensates();
    void replayChangesNothing();
    void publishesAfterCommit();
    void journalsRejectedRows();
    void retryResolvesTheRow();
    void keepsUnwritableJournalRowsInMemory();
    void countsAndRecordsEvents();
    void reopensAfterAFailedRollback();
    void isolatesSeriesFailures();

private:
    /// A store holding the first 200 candles with all steps on.
    store::StoreUrl seeded();
    test::TestDatabase m_db;
};

void TestIngestPipeline::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
}

store::StoreUrl TestIngestPipeline::seeded()
{
    const store::StoreUrl url = m_db.freshUrl();
    Harness h(url, config(true, true));
    const RunReport r = h.ingest(wave(0, 200), 1);
    if (!r.ok() || r.series.first().inserted != 200)
        qFatal("seeding failed");
    return url;
}

void TestIngestPipeline::compensates_data()
{
    QTest::addColumn<QString>("failpoint");
    QTest::addColumn<bool>("compensateCandles");
    QTest::addColumn<bool>("compensateOverlay");
    for (const QString &step : {u"store"_s, u"factor"_s, u"overlay"_s, u"commit"_s, u"publish"_s}) {
        for (const bool candles : {true, false}) {
            for (const bool overlay : {true, false})
                QTest::addRow("%s candles=%d overlay=%d", qPrintable(step), candles, overlay)
                    << step << candles << overlay;
        }
    }
}

void TestIngestPipeline::compensates()
{
    // ING-8 and ING-9, each step × each kill-switch.
    QFETCH(QString, failpoint);
    QFETCH(bool, compensateCandles);
    QFETCH(bool, compensateOverlay);
    const CandleList batch = secondBatch();

    // What each partial outcome looks like, built by runs that do not fail.
    const auto reference = [&](bool factor, bool overlay) {
        const store::StoreUrl url = seeded();
        Harness h(url, config(factor, overlay));
        if (!h.ingest(batch, 2).ok())
            qFatal("reference run failed");
        return snapshot(*h.store);
    };
    const store::StoreUrl url = seeded();
    Snapshot before;
    {
        Harness h(url, config(true, true));
        before = snapshot(*h.store);
    }
    const Snapshot candlesOnly = reference(false, false);
    const Snapshot candlesAndFactor = reference(true, false);
    const Snapshot everything = reference(true, true);

    Harness h(url, config(true, true, compensateCandles, compensateOverlay),
              {Failpoint{u"ingest."_s + failpoint, Failpoint::Trigger::Always, 0, 0}});
    QSignalSpy published(h.pipeline.get(), &IngestPipeline::candlesCommitted);
    QSignalSpy errors(h.pipeline.get(), &IngestPipeline::ingestErrorRecorded);
    const RunReport report = h.ingest(batch, 2);
    QCOMPARE(report.series.size(), 1);
    const SeriesOutcome &out = report.series.first();
    QVERIFY(!out.ok);
    QCOMPARE(out.failedStep, failpoint);

    // Which rows ING-8 keeps.
    Snapshot expected = before;
    bool candlesKept = false;
    bool factorKept = false;
    bool overlayKept = false;
    if (failpoint == u"factor"_s) {
        candlesKept = !compensateCandles;
    } else if (failpoint == u"overlay"_s) {
        candlesKept = !compensateCandles;
        factorKept = candlesKept && !compensateOverlay;
    } else if (failpoint == u"publish"_s) {
        candlesKept = factorKept = overlayKept = true;
    }
    const Snapshot &kept = overlayKept ? everything : factorKept ? candlesAndFactor : candlesOnly;
    if (candlesKept)
        expected = kept;
    const Snapshot after = snapshot(*h.store);
    for (const auto &[table, columns] : kTables)
        QVERIFY2(after.value(table) == expected.value(table), qPrintable(table));

    // One journal row with every field (ING-9).
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT at_ms, run_id, source, step, series_id, request_id, job_id, first_time, last_time, "
                   u"candle_count, message, compensated, overlay_compensated, candle_compensated_rows, "
                   u"compensation_error, batch_json, rejected_json, status, retry_of, resolved_by_run, resolved_at_ms "
                   u"FROM ingest_errors"_s));
    QVERIFY(q.next());
    const qint64 undone = (!candlesKept && failpoint != u"store"_s) ? 61 : 0; // 60 inserted + 1 updated
    const bool factorUndone = failpoint == u"overlay"_s && compensateOverlay;
    QCOMPARE(q.value(0).toLongLong(), kNowMs);
    QCOMPARE(q.value(1).toLongLong(), 2);
    QCOMPARE(q.value(2).toString(), u"import"_s);
    QCOMPARE(q.value(3).toString(), failpoint);
    QCOMPARE(q.value(4).toString(), kSeries.toString());
    QVERIFY(q.value(5).isNull());
    QVERIFY(q.value(6).isNull());
    QCOMPARE(q.value(7).toLongLong(), batch.first().time);
    QCOMPARE(q.value(8).toLongLong(), batch.last().time);
    QCOMPARE(q.value(9).toLongLong(), batch.size());
    QString message = u"ingest %1 failed for %2 [%3..%4, %5 candles]: failpoint ingest.%1"_s.arg(
        failpoint, kSeries.toString(), QString::number(batch.first().time), QString::number(batch.last().time),
        QString::number(batch.size()));
    if (undone > 0)
        message += u"; candles undone: %1"_s.arg(undone);
    if (factorUndone)
        message += u"; factor undone"_s;
    QCOMPARE(q.value(10).toString(), message);
    QCOMPARE(q.value(11).toBool(), undone > 0 || factorUndone);
    QCOMPARE(q.value(12).toBool(), factorUndone);
    QCOMPARE(q.value(13).toLongLong(), undone);
    QVERIFY(q.value(14).isNull() || q.value(14).toString().isEmpty());
    QCOMPARE(q.value(15).toByteArray(), batchJson(batch));
    QVERIFY(q.value(16).isNull());
    QCOMPARE(q.value(17).toString(), u"open"_s);
    QVERIFY(q.value(18).isNull() && q.value(19).isNull() && q.value(20).isNull());
    QVERIFY(!q.next());

    // Publish only what was committed, and the journal row.
    QCOMPARE(published.count(), candlesKept && failpoint != u"publish"_s ? 1 : 0);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<JournalEntry>().step, failpoint);
}

void TestIngestPipeline::replayChangesNothing()
{
    // ING-12: 0 inserted, 0 updated, n identical; no row changes, timestamps included.
    const store::StoreUrl url = seeded();
    Harness h(url, config(true, true));
    QVERIFY(h.ingest(secondBatch(), 2).ok());
    const Snapshot before = snapshot(*h.store);
    h.clock.setNowMs(kNowMs + 3600000);
    QSignalSpy published(h.pipeline.get(), &IngestPipeline::candlesCommitted);
    QSignalSpy system(h.pipeline.get(), &IngestPipeline::systemEvent);
    QSignalSpy errors(h.pipeline.get(), &IngestPipeline::ingestErrorRecorded);
    const RunReport again = h.ingest(secondBatch(), 3);
    QVERIFY(again.ok());
    QCOMPARE(again.series.first().inserted, 0);
    QCOMPARE(again.series.first().updated, 0);
    QCOMPARE(again.series.first().identical, secondBatch().size());
    QCOMPARE(snapshot(*h.store), before);
    QCOMPARE(published.count(), 0);
    QCOMPARE(system.count(), 0);
    QCOMPARE(errors.count(), 0);
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM ingest_errors"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestIngestPipeline::publishesAfterCommit()
{
    // ING-13: inserted and updated candles ascending, then factor.rebuild for late data.
    const store::StoreUrl url = seeded();
    Harness h(url, config(true, true));
    QSignalSpy published(h.pipeline.get(), &IngestPipeline::candlesCommitted);
    QSignalSpy system(h.pipeline.get(), &IngestPipeline::systemEvent);
    const CandleList batch = secondBatch();
    QVERIFY(h.ingest(batch, 2).ok());
    QCOMPARE(published.count(), 1);
    const CandleList sent = published.first().at(1).value<CandleList>();
    QCOMPARE(sent.size(), 61);
    QCOMPARE(sent.first(), batch.at(30));
    QCOMPARE(sent.at(1), batch.at(50));
    QCOMPARE(sent.last(), batch.last());
    QCOMPARE(system.count(), 1);
    QCOMPARE(system.first().at(0).toString(), u"factor.rebuild"_s);
    QCOMPARE(system.first().at(2).toJsonObject().value(u"reason"_s).toString(), u"late_data"_s);
}

void TestIngestPipeline::journalsRejectedRows()
{
    // ING-4: rejected rows are dropped and journalled in one row; the rest go on.
    Harness h(m_db.freshUrl(), config(true, true));
    CandleList batch = wave(0, 10);
    batch[3].high = batch[3].low - 1;     // high_below_low
    batch[6].time += 7;                   // time_not_aligned
    const RunReport r = h.ingest(batch, 5);
    QVERIFY(r.ok());
    QCOMPARE(r.series.first().inserted, 8);
    QCOMPARE(r.series.first().rejected, 2);
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT step, candle_count, rejected_json, message, status FROM ingest_errors"_s) && q.next());
    QCOMPARE(q.value(0).toString(), u"validate"_s);
    QCOMPARE(q.value(1).toInt(), 2);
    QCOMPARE(q.value(2).toString(),
             u"[{\"index\":3,\"reasons\":[\"high_below_low\"],\"time\":240},{\"index\":6,\"reasons\":[\"time_not_aligned\"],"
             u"\"time\":427}]"_s);
    QCOMPARE(q.value(3).toString(), u"ingest validate failed for %1 [240..427, 2 candles]: 2 of 10 rows rejected"_s.arg(
                                        kSeries.toString()));
    QCOMPARE(q.value(4).toString(), u"open"_s);
    QVERIFY(!q.next());
}

void TestIngestPipeline::retryResolvesTheRow()
{
    // ING-11: a failed run retried after the fault cleared resolves its row in the run's transaction.
    const store::StoreUrl url = seeded();
    qint64 errorId = 0;
    {
        Harness h(url, config(true, true), {Failpoint{u"ingest.store"_s, Failpoint::Trigger::Always, 0, 0}});
        const RunReport r = h.ingest(secondBatch(), 2);
        QVERIFY(!r.ok());
        errorId = *r.series.first().journalId;
    }
    Harness h(url, config(true, true));
    auto retried = h.pipeline->retry(errorId, 9);
    QVERIFY2(retried.ok(), qPrintable(retried.ok() ? QString() : retried.error().message));
    QVERIFY(retried->ok());
    QCOMPARE(retried->series.first().inserted, 60);
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT status, resolved_by_run, resolved_at_ms FROM ingest_errors WHERE id = %1"_s.arg(errorId)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), u"resolved"_s);
    QCOMPARE(q.value(1).toLongLong(), 9);
    QCOMPARE(q.value(2).toLongLong(), kNowMs);
    auto again = h.pipeline->retry(errorId, 10);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    auto unknown = h.pipeline->retry(errorId + 100, 11);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
}

void TestIngestPipeline::keepsUnwritableJournalRowsInMemory()
{
    // ING-10: a journal row the database refuses is published, counted, kept in memory and
    // written before the next run.
    const store::StoreUrl url = seeded();
    Harness h(url, config(true, true),
              {Failpoint{u"ingest.store"_s, Failpoint::Trigger::Count, 1, 0},
               Failpoint{u"journal.write"_s, Failpoint::Trigger::Count, 1, 0}});
    QSignalSpy errors(h.pipeline.get(), &IngestPipeline::ingestErrorRecorded);
    const RunReport failed = h.ingest(secondBatch(), 2);
    QVERIFY(!failed.ok());
    QVERIFY(!failed.series.first().journalId);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<JournalEntry>().step, u"store"_s);
    QCOMPARE(h.log->counters().value(u"journal.write_failed"_s).toInteger(), 1);
    const auto countRows = [&] {
        QSqlQuery q(h.store->database());
        if (!q.exec(u"SELECT COUNT(*) FROM ingest_errors"_s) || !q.next())
            qFatal("count failed");
        return q.value(0).toInt();
    };
    QCOMPARE(countRows(), 0);
    QVERIFY(h.ingest(secondBatch(), 3).ok());
    QCOMPARE(countRows(), 1);
    QCOMPARE(errors.count(), 2); // published again once written, with its id
    QVERIFY(errors.last().first().value<JournalEntry>().id > 0);
}

void TestIngestPipeline::countsAndRecordsEvents()
{
    // OBS-3, OBS-4: counters and events for a good run and a compensated one.
    const store::StoreUrl url = seeded();
    Harness h(url, config(true, true), {Failpoint{u"ingest.overlay"_s, Failpoint::Trigger::Count, 1, 0}});
    QVERIFY(!h.ingest(secondBatch(), 2).ok());
    QVERIFY(h.ingest(secondBatch(), 3).ok());
    const QJsonObject counters = h.log->counters();
    QCOMPARE(counters.value(u"ingest.runs.failed"_s).toInteger(), 1);
    QCOMPARE(counters.value(u"ingest.runs.ok"_s).toInteger(), 1);
    QCOMPARE(counters.value(u"compensation.done"_s).toInteger(), 1);
    QCOMPARE(counters.value(u"candles.inserted"_s).toInteger(), 60);
    QCOMPARE(counters.value(u"candles.updated"_s).toInteger(), 1);
    QCOMPARE(counters.value(u"candles.identical"_s).toInteger(), 49);
    QCOMPARE(counters.value(u"factor.rebuilds"_s).toInteger(), 1);
    QCOMPARE(counters.value(u"ingest_errors.open"_s).toInteger(), 1);
    QStringList names;
    for (const DebugEvent &e : h.log->recent(100))
        names << e.event;
    QCOMPARE(names, (QStringList{u"ingest.started"_s, u"compensation.started"_s, u"compensation.done"_s,
                                 u"ingest.failed"_s, u"ingest.started"_s, u"factor.rebuild"_s, u"ingest.done"_s}));
}

void TestIngestPipeline::reopensAfterAFailedRollback()
{
    // ING-8: a ROLLBACK that fails is recorded as compensation_error and the connection is
    // reopened. The server drops the store's backend the moment compensation starts.
    if (!m_db.isPostgres())
        QSKIP("needs a server whose backend can be terminated");
    const store::StoreUrl url = seeded();
    Harness h(url, config(true, true), {Failpoint{u"ingest.factor"_s, Failpoint::Trigger::Count, 1, 0}});
    QSqlQuery pidQuery(h.store->database());
    QVERIFY(pidQuery.exec(u"SELECT pg_backend_pid()"_s) && pidQuery.next());
    const qint64 backend = pidQuery.value(0).toLongLong();
    const Snapshot before = snapshot(*h.store);
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_s, u"killer"_s);
        admin.setHostName(url.host);
        admin.setPort(url.port);
        admin.setUserName(url.user);
        admin.setPassword(url.password);
        admin.setDatabaseName(url.database);
        QVERIFY(admin.open());
        connect(h.log.get(), &EventLog::eventRecorded, this, [&](const DebugEvent &e) {
            if (e.event != u"compensation.started"_s)
                return;
            QSqlQuery kill(admin);
            QVERIFY(kill.prepare(u"SELECT pg_terminate_backend(?)"_s));
            kill.addBindValue(backend);
            QVERIFY(kill.exec());
            QTRY_VERIFY([&] {
                QSqlQuery alive(admin);
                alive.prepare(u"SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?"_s);
                alive.addBindValue(backend);
                return alive.exec() && alive.next() && alive.value(0).toInt() == 0;
            }());
        }, Qt::DirectConnection);

        const RunReport failed = h.ingest(secondBatch(), 2);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.series.first().failedStep, u"factor"_s);
        QVERIFY(failed.series.first().journalId.has_value());
        admin.close();
    }
    QSqlDatabase::removeDatabase(u"killer"_s);

    // The reopened connection works: the journal row is there, nothing else changed.
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT message, compensation_error, compensated FROM ingest_errors"_s) && q.next());
    QVERIFY2(q.value(0).toString().contains(u"; compensation error: "_s), qPrintable(q.value(0).toString()));
    QVERIFY(!q.value(1).toString().isEmpty());
    QVERIFY(q.value(2).toBool());
    QCOMPARE(snapshot(*h.store), before);
    QVERIFY(h.ingest(secondBatch(), 3).ok());
}

void TestIngestPipeline::isolatesSeriesFailures()
{
    // ING-2, ING-7: series in byte order, each in its own transaction; the first one's failure
    // leaves the second untouched and journals only the first.
    Harness h(m_db.freshUrl(), config(true, true), {Failpoint{u"ingest.store"_s, Failpoint::Trigger::Count, 1, 0}});
    const SeriesId first = *SeriesId::parse(u"file:test:AAA:1m");
    const SeriesId second = *SeriesId::parse(u"file:test:BBB:1m");
    IngestRun run;
    run.runId = 7;
    run.add(second, wave(0, 20));
    run.add(first, wave(0, 20));
    const RunReport report = h.pipeline->run(run);
    QCOMPARE(report.series.size(), 2);
    QCOMPARE(report.series[0].series, first);
    QVERIFY(!report.series[0].ok);
    QCOMPARE(report.series[1].series, second);
    QVERIFY(report.series[1].ok);
    QCOMPARE(report.series[1].inserted, 20);
    QCOMPARE(h.store->hasSeries(first).value(), false);
    QCOMPARE(h.store->range(second, 0, 100000)->size(), 20);
    QSqlQuery q(h.store->database());
    QVERIFY(q.exec(u"SELECT series_id, step FROM ingest_errors"_s) && q.next());
    QCOMPARE(q.value(0).toString(), first.toString());
    QCOMPARE(q.value(1).toString(), u"store"_s);
    QVERIFY(!q.next());
}

QTEST_GUILESS_MAIN(TestIngestPipeline)
#include "tst_ingestpipeline.moc"
