// Failures journalled by the real executable and retried with `gapless errors retry ID`
// (OBS-6, ING-9, ING-11, CLI-13), on SQLite and PostgreSQL.
#include "core/ingest/errorjournal.h"
#include "core/ingest/journalentry.h"
#include "core/store/candlestore.h"
#include "tests/support/gaplessrun.h"
#include "tests/support/replayfixture.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testenv.h"

#include <QFile>
#include <QProcess>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using test::ReplayFixture;
using test::RunResult;
using test::kReplayT0;

namespace {

QProcessEnvironment failpoint(const QString &spec)
{
    QProcessEnvironment env;
    env.insert(u"GAPLESS_DEBUG_ENABLE_FAILPOINTS"_s, u"true"_s);
    env.insert(u"GAPLESS_DEBUG_FAILPOINTS"_s, spec);
    return env;
}

const QString kSpot = u"binance:spot:DEMO/USDT:1m"_s;

bool startReplay(ReplayFixture &replay, const QString &faults = {})
{
    if (!replay.start({sources::ReplaySymbol{u"DEMOUSDT"_s,
                                             *sources::ReplayTape::readCsv(test::dataFile(u"sse_000001_1m.csv"_s))}},
                      faults))
        return false;
    replay.setWall(5000);
    return true;
}

} // namespace

class TestErrorsRetry final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void retriesAFailedImport_data();
    void retriesAFailedImport();
    void failedRetryMarksTheRowRetried();
    void refusesWhatCannotBeRetried_data();
    void refusesWhatCannotBeRetried();
    void ignoresFailpointsUnlessEnabled();
    void refusesBadFlagValues_data();
    void refusesBadFlagValues();
    void retriesAFetchRowFromItsSource();
    void fetchRowStillFailingStaysOpen();
    void refusesFetchRowsThatCannotBeRetried_data();
    void refusesFetchRowsThatCannotBeRetried();

private:
    RunResult gapless(QStringList args, const QProcessEnvironment &env = {});
    /// Runs gapless against `replay`, which lives in this process: the event loop turns meanwhile.
    RunResult withReplay(ReplayFixture &replay, QStringList args);
    QJsonArray journalRows();
    test::TestDatabase m_db;
    QString m_url;
    QString m_file;
};

void TestErrorsRetry::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    m_file = test::dataFile(u"cffex_IFL8_1m_part1.csv"_s);
}

void TestErrorsRetry::init()
{
    m_url = test::urlText(m_db.freshUrl());
}

RunResult TestErrorsRetry::gapless(QStringList args, const QProcessEnvironment &env)
{
    args << u"--db"_s << m_url;
    return test::runGapless(args, m_db.tempPath(u"home"_s), env);
}

void TestErrorsRetry::retriesAFailedImport_data()
{
    QTest::addColumn<QString>("step");
    for (const QString &step : {u"store"_s, u"factor"_s, u"overlay"_s, u"commit"_s, u"publish"_s})
        QTest::addRow("%s", qPrintable(step)) << step;
}

void TestErrorsRetry::retriesAFailedImport()
{
    // A failpoint makes the one import run fail; the row names it; a retry resolves it.
    QFETCH(QString, step);
    const QString series = u"file:cffex:IF:1m"_s;
    RunResult r = gapless({u"import"_s, m_file, u"--series"_s, series}, failpoint(u"ingest."_s + step + u"=1"_s));
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.errLines().constLast(),
             u"gapless: %1: a run failed and was journalled as ingest error 1 (failpoint ingest.%2); expected a retry "
             u"with gapless errors retry 1"_s.arg(m_file, step));

    r = gapless({u"errors"_s, u"list"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray items = QJsonDocument::fromJson(r.out).object().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject row = items.first().toObject();
    QCOMPARE(row.value(u"step"_s).toString(), step);
    QCOMPARE(row.value(u"source"_s).toString(), u"import"_s);
    QCOMPARE(row.value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(row.value(u"candle_count"_s).toInt(), 24000);
    QVERIFY(row.value(u"message"_s).toString().startsWith(u"ingest %1 failed for %2 [1701653400..1715065140, 24000 "
                                                           u"candles]: failpoint ingest.%1"_s.arg(step, series)));

    // Publish failures keep the rows; every other step stored nothing.
    const RunResult before = gapless({u"export"_s, u"--series"_s, series});
    QCOMPARE(before.exitCode, step == u"publish"_s ? 0 : 1);

    r = gapless({u"errors"_s, u"retry"_s, u"1"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.outText().startsWith(u"ingest error 1 resolved by run "_s), qPrintable(r.outText()));
    QCOMPARE(gapless({u"export"_s, u"--series"_s, series}).out, test::readFile(m_file));

    r = gapless({u"errors"_s, u"list"_s, u"--status"_s, u"resolved"_s, u"--json"_s});
    const QJsonObject resolved = QJsonDocument::fromJson(r.out).object().value(u"items"_s).toArray().first().toObject();
    QCOMPARE(resolved.value(u"id"_s).toInt(), 1);
    QVERIFY(!resolved.value(u"resolved_by_run"_s).isNull());
    QCOMPARE(gapless({u"errors"_s, u"retry"_s, u"1"_s}).exitCode, 1); // resolved: conflict
}

void TestErrorsRetry::failedRetryMarksTheRowRetried()
{
    // ING-11: failure → the row is `retried` and a new row carries retry_of.
    const QProcessEnvironment broken = failpoint(u"ingest.factor"_s);
    QCOMPARE(gapless({u"import"_s, m_file, u"--series"_s, u"file:cffex:IF:1m"_s}, broken).exitCode, 1);
    const RunResult r = gapless({u"errors"_s, u"retry"_s, u"1"_s}, broken);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().contains(u"ingest error 1: retry failed (failpoint ingest.factor); journalled as ingest error 2"_s),
             qPrintable(r.errText()));
    const RunResult all = gapless({u"errors"_s, u"list"_s, u"--status"_s, u"all"_s, u"--json"_s});
    const QJsonArray items = QJsonDocument::fromJson(all.out).object().value(u"items"_s).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items[0].toObject().value(u"id"_s).toInt(), 2);
    QCOMPARE(items[0].toObject().value(u"source"_s).toString(), u"retry"_s);
    QCOMPARE(items[0].toObject().value(u"retry_of"_s).toInt(), 1);
    QCOMPARE(items[0].toObject().value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(items[1].toObject().value(u"status"_s).toString(), u"retried"_s);
}

void TestErrorsRetry::refusesWhatCannotBeRetried_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::addRow("unknown id") << u"77"_s << 1 << u"gapless: ingest error 77: not found"_s;
    QTest::addRow("validate row") << u"1"_s << 1 << u"gapless: ingest error 1: rejected rows cannot be retried"_s;
    QTest::addRow("not a number") << u"abc"_s << 2 << u"gapless: errors retry: ID 'abc': not an ingest error id"_s;
    QTest::addRow("zero") << u"0"_s << 2 << u"gapless: errors retry: ID '0'"_s;
}

void TestErrorsRetry::refusesWhatCannotBeRetried()
{
    QFETCH(QString, id);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    {
        auto store = store::CandleStore::open(*store::StoreUrl::parse(m_url), {});
        QVERIFY(store.ok());
        ingest::ErrorJournal journal(**store);
        ingest::JournalEntry e;
        e.atMs = 1;
        e.runId = 1;
        e.source = u"live"_s;
        e.step = u"validate"_s;
        e.seriesId = u"binance:spot:BTC/USDT:1m"_s;
        e.candleCount = 1;
        e.message = u"ingest validate failed"_s;
        e.batchJson = "[[60,1,1,1,1,1]]";
        QVERIFY(journal.append(e).ok());
    }
    const RunResult r = gapless({u"errors"_s, u"retry"_s, id});
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
}

void TestErrorsRetry::ignoresFailpointsUnlessEnabled()
{
    // OBS-6: set but not enabled → a startup warning, and no failure.
    QProcessEnvironment env;
    env.insert(u"GAPLESS_DEBUG_FAILPOINTS"_s, u"ingest.store"_s);
    const RunResult r = gapless({u"import"_s, m_file, u"--series"_s, u"file:cffex:IF:1m"_s}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.errText().startsWith(u"gapless: warning: "_s) && r.errText().contains(u"debug.failpoints"_s),
             qPrintable(r.errText()));
}

void TestErrorsRetry::refusesBadFlagValues_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addRow("compensate_new_candles") << u"GAPLESS_INGEST_COMPENSATE_NEW_CANDLES"_s << u"maybe"_s
        << u"gapless: setting ingest.compensate_new_candles = \"maybe\" (from env GAPLESS_INGEST_COMPENSATE_NEW_CANDLES): expected bool"_s;
    QTest::addRow("compensate_overlay_error") << u"GAPLESS_INGEST_COMPENSATE_OVERLAY_ERROR"_s << u"2"_s
        << u"gapless: setting ingest.compensate_overlay_error = \"2\" (from env GAPLESS_INGEST_COMPENSATE_OVERLAY_ERROR): expected bool"_s;
    QTest::addRow("factor.enabled") << u"GAPLESS_FACTOR_ENABLED"_s << u"sometimes"_s
        << u"gapless: setting factor.enabled = \"sometimes\" (from env GAPLESS_FACTOR_ENABLED): expected bool"_s;
    QTest::addRow("failpoints") << u"GAPLESS_DEBUG_FAILPOINTS"_s << u"ingest.nowhere"_s
        << u"gapless: setting debug.failpoints = \"ingest.nowhere\" (from env GAPLESS_DEBUG_FAILPOINTS): expected"_s;
}

void TestErrorsRetry::refusesBadFlagValues()
{
    // CFG-3: refused with the exact message, never defaulted.
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QProcessEnvironment env;
    env.insert(variable, value);
    const RunResult r = gapless({u"import"_s, m_file, u"--series"_s, u"file:cffex:IF:1m"_s}, env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
    QCOMPARE(gapless({u"export"_s, u"--series"_s, u"file:cffex:IF:1m"_s}).exitCode, 1); // nothing stored
}

RunResult TestErrorsRetry::withReplay(ReplayFixture &replay, QStringList args)
{
    args << u"--db"_s << m_url << u"--set"_s << u"source.binance_spot_rest="_s + replay.url({}).toString() << u"--set"_s
         << u"source.binance_rest_max_attempts=2"_s;
    return test::runGaplessServing(args, m_db.tempPath(u"home"_s));
}

QJsonArray TestErrorsRetry::journalRows()
{
    const RunResult r = gapless({u"errors"_s, u"list"_s, u"--status"_s, u"all"_s, u"--json"_s});
    return QJsonDocument::fromJson(r.out).object().value(u"items"_s).toArray();
}

void TestErrorsRetry::retriesAFetchRowFromItsSource()
{
    // BF-23, ING-11: a REST window given up on is a fetch row with its range; once the source
    // answers again, a retry fetches that range, and nothing missing resolves the row.
    const QString from = QString::number(kReplayT0 - 600);
    const QString to = QString::number(kReplayT0 - 60);
    {
        ReplayFixture failing;
        QVERIFY(startReplay(failing, u"http5xx:every=1"_s));
        const RunResult r = withReplay(failing, {u"backfill"_s, u"--series"_s, kSpot, u"--from"_s, from, u"--to"_s, to});
        QCOMPARE(r.exitCode, 3);
    }
    QJsonObject row;
    for (const QJsonValue &v : journalRows()) {
        if (v.toObject().value(u"step"_s) == u"fetch"_s && !v.toObject().value(u"first_time"_s).isNull())
            row = v.toObject();
    }
    QVERIFY(!row.isEmpty());
    QCOMPARE(row.value(u"first_time"_s).toInteger(), from.toLongLong());
    QCOMPARE(row.value(u"last_time"_s).toInteger(), to.toLongLong());
    const QString id = QString::number(row.value(u"id"_s).toInteger());

    ReplayFixture healthy;
    QVERIFY(startReplay(healthy));
    RunResult r = withReplay(healthy, {u"errors"_s, u"retry"_s, id});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.outText().startsWith(u"%1 [%2..%3]: 10 slots, 0 present, 10 filled, 0 source-missing, 0 still "
                                    u"missing;"_s.arg(kSpot, from, to)),
             qPrintable(r.outText()));
    QVERIFY2(r.outText().contains(u"ingest error %1 resolved by run "_s.arg(id)), qPrintable(r.outText()));
    for (const QJsonValue &v : journalRows()) {
        if (v.toObject().value(u"id"_s).toInteger() == id.toLongLong()) {
            QCOMPARE(v.toObject().value(u"status"_s).toString(), u"resolved"_s);
            QVERIFY(!v.toObject().value(u"resolved_by_run"_s).isNull());
        }
    }
    const RunResult exported = gapless({u"export"_s, u"--series"_s, kSpot});
    QCOMPARE(exported.exitCode, 0);
    QCOMPARE(exported.outText().trimmed().split(u'\n').size(), 11); // header and the 10 bars
    // Resolved now: a second retry is a conflict.
    r = withReplay(healthy, {u"errors"_s, u"retry"_s, id});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().startsWith(u"gapless: ingest error %1: already resolved"_s.arg(id)), qPrintable(r.errText()));
}

void TestErrorsRetry::fetchRowStillFailingStaysOpen()
{
    // BF-23: R > 0 → exit 3; the row stays open and the new failure is a row of its own.
    ReplayFixture failing;
    QVERIFY(startReplay(failing, u"http5xx:every=1"_s));
    const QString from = QString::number(kReplayT0 - 300);
    const QString to = QString::number(kReplayT0 - 60);
    QCOMPARE(withReplay(failing, {u"backfill"_s, u"--series"_s, kSpot, u"--from"_s, from, u"--to"_s, to}).exitCode, 3);
    const qsizetype before = journalRows().size();
    qint64 id = 0;
    for (const QJsonValue &v : journalRows()) {
        if (v.toObject().value(u"step"_s) == u"fetch"_s && !v.toObject().value(u"first_time"_s).isNull())
            id = v.toObject().value(u"id"_s).toInteger();
    }
    QVERIFY(id > 0);
    const RunResult r = withReplay(failing, {u"errors"_s, u"retry"_s, QString::number(id), u"--json"_s});
    QCOMPARE(r.exitCode, 3);
    const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(doc.value(u"id"_s).toInteger(), id);
    QCOMPARE(doc.value(u"status"_s).toString(), u"open"_s);
    QCOMPARE(doc.value(u"slots"_s).toInt(), 5);
    QCOMPARE(doc.value(u"still_missing"_s).toInt(), 5);
    QVERIFY(!doc.value(u"errors"_s).toArray().isEmpty());
    const QJsonArray after = journalRows();
    QVERIFY(after.size() > before);
    for (const QJsonValue &v : after) {
        if (v.toObject().value(u"id"_s).toInteger() == id)
            QCOMPARE(v.toObject().value(u"status"_s).toString(), u"open"_s);
    }
}

void TestErrorsRetry::refusesFetchRowsThatCannotBeRetried_data()
{
    QTest::addColumn<QString>("seriesId");
    QTest::addColumn<bool>("resolved");
    QTest::addColumn<QString>("expected");
    QTest::addRow("resolved") << kSpot << true << u"gapless: ingest error 1: already resolved"_s;
    QTest::addRow("bad series id") << u"binance:spot:1m"_s << false << u"gapless: ingest error 1: series_id: "_s;
}

void TestErrorsRetry::refusesFetchRowsThatCannotBeRetried()
{
    QFETCH(QString, seriesId);
    QFETCH(bool, resolved);
    QFETCH(QString, expected);
    {
        auto store = store::CandleStore::open(*store::StoreUrl::parse(m_url), {});
        QVERIFY(store.ok());
        ingest::ErrorJournal journal(**store);
        auto id = journal.append(ingest::fetchFailureEntry(1, u"backfill"_s, seriesId, u"GET x: HTTP 500"_s,
                                                           kReplayT0 - 600, kReplayT0 - 60));
        QVERIFY(id.ok());
        if (resolved)
            QVERIFY(journal.markResolved(*id, 7, 8).ok());
    }
    ReplayFixture replay;
    QVERIFY(startReplay(replay));
    const RunResult r = withReplay(replay, {u"errors"_s, u"retry"_s, u"1"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.errText().startsWith(expected), qPrintable(r.errText()));
}

QTEST_GUILESS_MAIN(TestErrorsRetry)
#include "tst_errorsretry.moc"
