// The read-only commands of PROTO §1.7 (series_list, candles, gaps, overlays, health) on a real
// store; ctest runs it once per backend (tst_querycommands_sqlite, tst_querycommands_postgresql).
#include "core/ingest/errorjournal.h"
#include "core/ingest/ingestpipeline.h"
#include "core/ingest/overlaytables.h"
#include "core/protocol/querycommands.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"
#include "core/store/candlestore.h"
#include "tests/support/testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace gapless;
using protocol::QueryCommands;

namespace {

const QString kQry = u"file:test:QRY:1m"_s;
const QString kBtc = u"binance:spot:BTC/USDT:1m"_s;

// QRY holds 60·k for k = 1..10, 14..20, 25, 26: holes (600, 840) of 3 bars and (1200, 1500) of 4.
QList<qint64> qryTimes()
{
    QList<qint64> times;
    for (const int k : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 25, 26})
        times.append(60 * k);
    return times;
}

Candle bar(qint64 t)
{
    const double base = 100 + double(t) / 60;
    return Candle{t, base, base + 2, base - 1.5, base + 0.25, double(t % 7)};
}

CandleList bars(const QList<qint64> &times)
{
    CandleList out;
    for (const qint64 t : times)
        out.append(bar(t));
    return out;
}

/// The error message of a failed result, for QVERIFY2 (which evaluates it either way).
template<typename T>
QByteArray failure(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

QJsonObject parseObject(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("test JSON %s: %s", qPrintable(text), qPrintable(error.errorString()));
    return doc.object();
}

/// Compact JSON with sorted keys, so that integers and whole doubles compare alike.
QString jsonText(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QList<qint64> candleTimes(const QJsonValue &candles)
{
    QList<qint64> times;
    for (const QJsonValue &c : candles.toArray())
        times.append(c.toObject().value("time"_L1).toInteger());
    return times;
}

const QStringList kTables{u"schema_migrations"_s, u"series"_s, u"candles"_s, u"candle_revisions"_s,
                          u"factor_series_state"_s, u"factor_events"_s, u"factor_head_snapshots"_s,
                          u"overlay_instruction_versions"_s, u"overlay_series_state"_s, u"ingest_errors"_s,
                          u"idempotency_keys"_s, u"jobs"_s, u"review_items"_s};

QMap<QString, qint64> rowCounts(store::CandleStore &store)
{
    QMap<QString, qint64> counts;
    for (const QString &table : kTables) {
        QSqlQuery q(store.database());
        if (!q.exec(u"SELECT COUNT(*) FROM "_s + table) || !q.next())
            qFatal("count %s failed", qPrintable(table));
        counts.insert(table, q.value(0).toLongLong());
    }
    return counts;
}

ingest::JournalEntry journalRow(const QString &series, const QString &status, qint64 runId)
{
    ingest::JournalEntry e;
    e.atMs = 1700000000000 + runId;
    e.runId = runId;
    e.source = u"live"_s;
    e.step = u"store"_s;
    e.seriesId = series;
    e.firstTime = 60;
    e.lastTime = 120;
    e.candleCount = 2;
    e.message = ingest::journalMessage(e, u"disk full"_s);
    e.batchJson = ingest::batchJson(bars({60, 120}));
    e.status = status;
    return e;
}

std::unique_ptr<store::CandleStore> openStore(const store::StoreUrl &url)
{
    auto opened = store::CandleStore::open(url, {});
    if (!opened)
        qFatal("open %s: %s", qPrintable(url.redacted()), qPrintable(opened.error().message));
    return std::move(opened).value();
}

} // namespace

class TestQueryCommands final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void handlesItsCommands();
    void listsSeries();
    void pagesCandles_data();
    void pagesCandles();
    void candlesCarryEveryValue();
    void reportsGaps_data();
    void reportsGaps();
    void readsOverlayVersions_data();
    void readsOverlayVersions();
    void pagesOverlaysAfterIngest();
    void reportsHealth_data();
    void reportsHealth();
    void reportsHealthOfEverySeries();
    void listsOpenIngestErrors();
    void capsOpenIngestErrorsAt200();
    void rejectsBadArguments_data();
    void rejectsBadArguments();
    void hostileIdsChangeNothing_data();
    void hostileIdsChangeNothing();

private:
    Result<QJsonValue> run(const QString &name, const QString &args);
    void seed();

    test::TestDatabase m_db;
    std::unique_ptr<store::CandleStore> m_store;
    FixedClock m_clock{1700000};
    QList<qint64> m_journalIds; ///< QRY open, QRY open, QRY resolved, BTC open, QRY retried
};

void TestQueryCommands::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
    qInfo() << "backend:" << m_db.backendName();
    m_store = openStore(m_db.freshUrl());
    seed();
}

void TestQueryCommands::seed()
{
    // The commands only read: every test shares this store, and hostileIdsChangeNothing
    // checks that nothing ever changes it.
    const SeriesId qry = *SeriesId::parse(kQry);
    const SeriesId btc = *SeriesId::parse(kBtc);
    ingest::OverlayTables overlays(*m_store);
    const auto version = [](const char *instruction, const char *kind, qint64 visible, const char *def) {
        return ingest::OverlayVersion{0, QString::fromLatin1(instruction), QString::fromLatin1(kind), visible,
                                      QByteArray(def)};
    };
    QVERIFY(m_store->begin().ok());
    QVERIFY(m_store->upsert(qry, bars(qryTimes()), {}).ok());
    QVERIFY(m_store->upsert(btc, bars({60, 120, 180, 240, 300}), {}).ok());
    const QList<ingest::OverlayVersion> versions{
        version("pivot.major:300:1:3", "marker", 480,
                R"({"feature":"pivot.major","position":"above","price":107,"role":"resistance","shape":"triangle_down","size":1,"time":300,"type":"marker"})"),
        version("pen.confirmed:120:300:1", "polyline", 540,
                R"({"direction":1,"feature":"pen.confirmed","points":[{"time":120,"value":101},{"time":300,"value":107}],"type":"polyline"})"),
        version("pivot.major:300:1:3", "marker", 600, "null"),
    };
    for (const ingest::OverlayVersion &v : versions)
        QVERIFY(overlays.insertVersion(qry, v).ok());
    QVERIFY(overlays.saveState(qry, ingest::OverlayState{600, 3}, 1).ok());
    QVERIFY(m_store->commit().ok());

    ingest::ErrorJournal journal(*m_store);
    const QList<std::pair<QString, QString>> rows{
        {kQry, u"open"_s}, {kQry, u"open"_s}, {kQry, u"resolved"_s}, {kBtc, u"open"_s}, {kQry, u"retried"_s}};
    qint64 runId = 1;
    for (const auto &[series, status] : rows) {
        auto id = journal.append(journalRow(series, status, runId++));
        QVERIFY2(id.ok(), failure(id).constData());
        m_journalIds.append(*id);
    }
}

Result<QJsonValue> TestQueryCommands::run(const QString &name, const QString &args)
{
    QueryCommands commands(*m_store, m_clock, HealthSettings{});
    return commands.run(name, parseObject(args));
}

void TestQueryCommands::handlesItsCommands()
{
    for (const QString &name : {u"series_list"_s, u"candles"_s, u"gaps"_s, u"overlays"_s, u"health"_s})
        QVERIFY2(QueryCommands::handles(name), qPrintable(name));
    for (const QString &name : {u"backfill"_s, u"flags_get"_s, u"Candles"_s, u""_s, u"candles "_s})
        QVERIFY2(!QueryCommands::handles(name), qPrintable(name));
}

void TestQueryCommands::listsSeries()
{
    // PROTO §1.7 series_list: by id, with extent and count; no live source yet.
    auto data = run(u"series_list"_s, u"{}"_s);
    QVERIFY2(data.ok(), failure(data).constData());
    QCOMPARE(jsonText(*data),
             jsonText(parseObject(uR"({"series":[
                 {"count":5,"first_time":60,"head_time":300,"live":false,"series_id":"binance:spot:BTC/USDT:1m","source":null},
                 {"count":19,"first_time":60,"head_time":1560,"live":false,"series_id":"file:test:QRY:1m","source":null}]})"_s)));
}

void TestQueryCommands::pagesCandles_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QList<qint64>>("times");
    QTest::addColumn<bool>("hasMore");

    const QList<qint64> all = qryTimes();
    const auto row = [](const char *name, const QString &extra, const QList<qint64> &times, bool more) {
        QTest::newRow(name) << u"{\"series_id\":\"file:test:QRY:1m\"%1}"_s.arg(extra) << times << more;
    };
    // none: the newest `limit`; has_more = older rows exist.
    row("none, default limit", {}, all, false);
    row("none, limit null is the default", u",\"limit\":null"_s, all, false);
    row("none, limit 5", u",\"limit\":5"_s, {1080, 1140, 1200, 1500, 1560}, true);
    row("none, limit = count", u",\"limit\":19"_s, all, false);
    row("none, limit = count - 1", u",\"limit\":18"_s, all.mid(1), true);
    row("none, limit 1", u",\"limit\":1"_s, {1560}, true);
    row("none, limit 5000", u",\"limit\":5000"_s, all, false);
    row("none, limit 100.0 = 100", u",\"limit\":100.0"_s, all, false);
    // only before: the newest `limit` older than before; has_more = older rows beyond.
    row("before, more older", u",\"before\":840,\"limit\":3"_s, {480, 540, 600}, true);
    row("before, exactly limit older", u",\"before\":240,\"limit\":3"_s, {60, 120, 180}, false);
    row("before, fewer than limit", u",\"before\":180,\"limit\":3"_s, {60, 120}, false);
    row("before is exclusive", u",\"before\":600,\"limit\":1"_s, {540}, true);
    row("before the first", u",\"before\":60"_s, {}, false);
    row("before 0", u",\"before\":0"_s, {}, false);
    row("before past the head", u",\"before\":100000,\"limit\":2"_s, {1500, 1560}, true);
    row("before inside a hole", u",\"before\":700,\"limit\":2"_s, {540, 600}, true);
    // only after: the oldest `limit` newer than after; has_more = newer rows beyond.
    row("after, more newer", u",\"after\":540,\"limit\":3"_s, {600, 840, 900}, true);
    row("after, exactly limit newer", u",\"after\":1140,\"limit\":3"_s, {1200, 1500, 1560}, false);
    row("after is exclusive", u",\"after\":60,\"limit\":1"_s, {120}, true);
    row("after the head", u",\"after\":1560"_s, {}, false);
    row("after 0", u",\"after\":0,\"limit\":2"_s, {60, 120}, true);
    row("after 0, all", u",\"after\":0"_s, all, false);
    // both: the oldest `limit` strictly between; has_more = more rows before `before`.
    row("both, all fit", u",\"after\":300,\"before\":900"_s, {360, 420, 480, 540, 600, 840}, false);
    row("both, more between", u",\"after\":300,\"before\":900,\"limit\":3"_s, {360, 420, 480}, true);
    row("both, exactly limit between", u",\"after\":300,\"before\":900,\"limit\":6"_s,
        {360, 420, 480, 540, 600, 840}, false);
    row("both, rows after before do not count", u",\"after\":1140,\"before\":1500,\"limit\":1"_s, {1200}, false);
    row("both, inside a hole", u",\"after\":600,\"before\":840"_s, {}, false);
    row("both, adjacent", u",\"after\":600,\"before\":601"_s, {}, false);
    row("unknown arguments are ignored", u",\"limit\":2,\"cursor\":-5,\"x\":[1]"_s, {1500, 1560}, true);
}

void TestQueryCommands::pagesCandles()
{
    // PROTO §1.7 candles paging.
    QFETCH(QString, args);
    QFETCH(QList<qint64>, times);
    QFETCH(bool, hasMore);
    auto data = run(u"candles"_s, args);
    QVERIFY2(data.ok(), failure(data).constData());
    const QJsonObject o = data->toObject();
    QCOMPARE(o.keys(), (QStringList{u"candles"_s, u"has_more"_s, u"series_id"_s}));
    QCOMPARE(o.value("series_id"_L1).toString(), kQry);
    QCOMPARE(candleTimes(o.value("candles"_L1)), times);
    QCOMPARE(o.value("has_more"_L1), QJsonValue(hasMore));
}

void TestQueryCommands::candlesCarryEveryValue()
{
    // PROTO-2 candles; the id comes back canonical.
    auto data = run(u"candles"_s, uR"({"series_id":" file:test:QRY:1m ","after":540,"limit":2})"_s);
    QVERIFY2(data.ok(), failure(data).constData());
    QCOMPARE(jsonText(*data),
             jsonText(parseObject(uR"({"series_id":"file:test:QRY:1m","has_more":true,"candles":[
                 {"time":600,"open":110,"high":112,"low":108.5,"close":110.25,"volume":5},
                 {"time":840,"open":114,"high":116,"low":112.5,"close":114.25,"volume":0}]})"_s)));
}

void TestQueryCommands::reportsGaps_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expected");

    const QString head = uR"("series_id":"file:test:QRY:1m","timeframe_seconds":60)"_s;
    const QString both = uR"([{"prev_time":600,"next_time":840,"missing_bars":3},
                             {"prev_time":1200,"next_time":1500,"missing_bars":4}])"_s;
    const auto row = [&](const char *name, const QString &extra, const QString &body) {
        QTest::newRow(name) << u"{\"series_id\":\"file:test:QRY:1m\"%1}"_s.arg(extra)
                            << u"{%1,%2}"_s.arg(head, body);
    };
    row("whole series", {},
        uR"("rows":19,"first_time":60,"last_time":1560,"gap_count":2,"missing_bars_total":7,"gaps":%1,"truncated":false)"_s
            .arg(both));
    row("limit = gap count", u",\"limit\":2"_s,
        uR"("rows":19,"first_time":60,"last_time":1560,"gap_count":2,"missing_bars_total":7,"gaps":%1,"truncated":false)"_s
            .arg(both));
    row("limit below gap count: counts stay whole", u",\"limit\":1"_s,
        uR"("rows":19,"first_time":60,"last_time":1560,"gap_count":2,"missing_bars_total":7,
            "gaps":[{"prev_time":600,"next_time":840,"missing_bars":3}],"truncated":true)"_s);
    row("range holding both holes", u",\"from\":500,\"to\":1500"_s,
        uR"("rows":10,"first_time":540,"last_time":1500,"gap_count":2,"missing_bars_total":7,"gaps":%1,"truncated":false)"_s
            .arg(both));
    row("range without the hole's ends", u",\"from\":700,\"to\":1400"_s,
        uR"("rows":7,"first_time":840,"last_time":1200,"gap_count":0,"missing_bars_total":0,"gaps":[],"truncated":false)"_s);
    row("from only", u",\"from\":1000"_s,
        uR"("rows":6,"first_time":1020,"last_time":1560,"gap_count":1,"missing_bars_total":4,
            "gaps":[{"prev_time":1200,"next_time":1500,"missing_bars":4}],"truncated":false)"_s);
    row("to only", u",\"to\":840"_s,
        uR"("rows":11,"first_time":60,"last_time":840,"gap_count":1,"missing_bars_total":3,
            "gaps":[{"prev_time":600,"next_time":840,"missing_bars":3}],"truncated":false)"_s);
    row("from = to", u",\"from\":600,\"to\":600"_s,
        uR"("rows":1,"first_time":600,"last_time":600,"gap_count":0,"missing_bars_total":0,"gaps":[],"truncated":false)"_s);
    row("empty range", u",\"from\":610,\"to\":830"_s,
        uR"("rows":0,"first_time":null,"last_time":null,"gap_count":0,"missing_bars_total":0,"gaps":[],"truncated":false)"_s);
}

void TestQueryCommands::reportsGaps()
{
    // STORE-10 + truncated (PROTO §1.7 gaps).
    QFETCH(QString, args);
    QFETCH(QString, expected);
    auto data = run(u"gaps"_s, args);
    QVERIFY2(data.ok(), failure(data).constData());
    QCOMPARE(jsonText(*data), jsonText(parseObject(expected)));
}

void TestQueryCommands::readsOverlayVersions_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QList<qint64>>("versions");
    QTest::addColumn<qint64>("nextCursor");
    QTest::addColumn<bool>("hasMore");

    const auto row = [](const char *name, const QString &args, const QList<qint64> &versions, qint64 next, bool more) {
        QTest::newRow(name) << args << versions << next << more;
    };
    row("from 0", uR"({"series_id":"file:test:QRY:1m"})"_s, {1, 2, 3}, 3, false);
    row("cursor null = 0", uR"({"series_id":"file:test:QRY:1m","cursor":null})"_s, {1, 2, 3}, 3, false);
    row("limit 2", uR"({"series_id":"file:test:QRY:1m","limit":2})"_s, {1, 2}, 2, true);
    row("limit = rest", uR"({"series_id":"file:test:QRY:1m","cursor":1,"limit":2})"_s, {2, 3}, 3, false);
    row("cursor 1, limit 1", uR"({"series_id":"file:test:QRY:1m","cursor":1,"limit":1})"_s, {2}, 2, true);
    row("cursor 2: a removal", uR"({"series_id":"file:test:QRY:1m","cursor":2})"_s, {3}, 3, false);
    row("cursor = last version", uR"({"series_id":"file:test:QRY:1m","cursor":3})"_s, {}, 3, false);
    row("series without overlays", uR"({"series_id":"binance:spot:BTC/USDT:1m"})"_s, {}, 0, false);
}

void TestQueryCommands::readsOverlayVersions()
{
    // OVL-6 through the overlays command.
    QFETCH(QString, args);
    QFETCH(QList<qint64>, versions);
    QFETCH(qint64, nextCursor);
    QFETCH(bool, hasMore);
    const QJsonObject items[] = {
        parseObject(uR"({"version_id":1,"instruction_id":"pivot.major:300:1:3","kind":"marker","visible_time":480,
            "def":{"feature":"pivot.major","position":"above","price":107,"role":"resistance","shape":"triangle_down","size":1,"time":300,"type":"marker"}})"_s),
        parseObject(uR"({"version_id":2,"instruction_id":"pen.confirmed:120:300:1","kind":"polyline","visible_time":540,
            "def":{"direction":1,"feature":"pen.confirmed","points":[{"time":120,"value":101},{"time":300,"value":107}],"type":"polyline"}})"_s),
        parseObject(uR"({"version_id":3,"instruction_id":"pivot.major:300:1:3","kind":"marker","visible_time":600,"def":null})"_s),
    };
    QJsonArray expectedItems;
    for (const qint64 v : versions)
        expectedItems.append(items[v - 1]);
    const QJsonObject expected{{u"items"_s, expectedItems}, {u"next_cursor"_s, nextCursor}, {u"has_more"_s, hasMore}};
    auto data = run(u"overlays"_s, args);
    QVERIFY2(data.ok(), failure(data).constData());
    QCOMPARE(jsonText(*data), jsonText(expected));
}

void TestQueryCommands::pagesOverlaysAfterIngest()
{
    // OVL-6 on versions the pipeline wrote: pages chain by next_cursor and add up to one read.
    const SeriesId series = *SeriesId::parse(u"file:test:WAVE:1m");
    auto store = openStore(m_db.freshUrl());
    {
        FixedClock clock(1800000000000);
        Failpoints failpoints;
        EventLog log(clock);
        ingest::PipelineConfig config;
        config.factor.pivotWindowMajor = 3;
        config.factor.pivotWindowMinor = 1;
        ingest::IngestPipeline pipeline(*store, config, failpoints, log, clock);
        CandleList candles;
        for (qint64 i = 0; i < 200; ++i) {
            const double mid = 100 + 10 * std::sin(double(i) / 4.0);
            candles.append(Candle{60 * (i + 1), mid, mid + 1.5, mid - 1.25, mid + 0.5, 10});
        }
        ingest::IngestRun run;
        run.runId = 1;
        run.add(series, candles);
        QVERIFY(pipeline.run(run).ok());
    }
    QSqlQuery q(store->database());
    QVERIFY(q.exec(u"SELECT COUNT(*), MAX(version_id) FROM overlay_instruction_versions"_s) && q.next());
    const qint64 count = q.value(0).toLongLong();
    const qint64 last = q.value(1).toLongLong();
    QVERIFY2(count > 7, "the wave should produce more than one page of overlay versions");
    q.finish();

    QueryCommands commands(*store, m_clock, HealthSettings{});
    const auto page = [&](qint64 cursor, int limit) {
        auto data = commands.run(u"overlays"_s, QJsonObject{{u"series_id"_s, series.toString()},
                                                            {u"cursor"_s, cursor},
                                                            {u"limit"_s, limit}});
        if (!data)
            qFatal("overlays: %s", qPrintable(data.error().message));
        return data->toObject();
    };
    const QJsonObject whole = page(0, 5000);
    QCOMPARE(qint64(whole.value("items"_L1).toArray().size()), count);
    QCOMPARE(whole.value("next_cursor"_L1).toInteger(), last);
    QCOMPARE(whole.value("has_more"_L1), QJsonValue(false));

    QJsonArray paged;
    qint64 cursor = 0;
    for (bool more = true; more;) {
        const QJsonObject p = page(cursor, 7);
        const QJsonArray items = p.value("items"_L1).toArray();
        for (const QJsonValue &item : items) {
            QVERIFY(item.toObject().value("version_id"_L1).toInteger() > cursor);
            QVERIFY(item.toObject().value("def"_L1).isObject() || item.toObject().value("def"_L1).isNull());
            paged.append(item);
        }
        more = p.value("has_more"_L1).toBool();
        QCOMPARE(qint64(items.size()), more ? 7 : count % 7 == 0 ? 7 : count % 7);
        cursor = p.value("next_cursor"_L1).toInteger();
    }
    QCOMPARE(jsonText(paged), jsonText(whole.value("items"_L1)));
    QCOMPARE(cursor, last);

    auto past = commands.run(u"overlays"_s, QJsonObject{{u"series_id"_s, series.toString()}, {u"cursor"_s, last + 1}});
    QVERIFY(!past.ok());
    QCOMPARE(past.error().code, ErrorCode::Conflict);
}

void TestQueryCommands::reportsHealth_data()
{
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<int>("closeGraceS");
    QTest::addColumn<QString>("lag"); // expected_latest_closed, lag_candles, lag_seconds

    // QRY's head is 1560; E(now) = floor_60(now) - 60; lag uses E(now - close_grace_s).
    QTest::newRow("one bar behind") << qint64(1700000) << 10
                                    << uR"("expected_latest_closed":1620,"lag_candles":1,"lag_seconds":60)"_s;
    QTest::newRow("inside the close grace") << qint64(1685000) << 10
                                            << uR"("expected_latest_closed":1620,"lag_candles":0,"lag_seconds":0)"_s;
    QTest::newRow("no grace") << qint64(1685000) << 0
                              << uR"("expected_latest_closed":1620,"lag_candles":1,"lag_seconds":60)"_s;
    QTest::newRow("grace just passed") << qint64(1690000) << 10
                                       << uR"("expected_latest_closed":1620,"lag_candles":1,"lag_seconds":60)"_s;
    QTest::newRow("up to date") << qint64(1625999) << 10
                                << uR"("expected_latest_closed":1560,"lag_candles":0,"lag_seconds":0)"_s;
    QTest::newRow("far behind") << qint64(100000000) << 10
                                << uR"("expected_latest_closed":99900,"lag_candles":1639,"lag_seconds":98340)"_s;
    QTest::newRow("before the first closed bar") << qint64(30000) << 10
                                                 << uR"("expected_latest_closed":null,"lag_candles":0,"lag_seconds":0)"_s;
}

void TestQueryCommands::reportsHealth()
{
    // HLT-1, HLT-3 row 2 (no live source yet: gray, not_live), HLT-5, HLT-6.
    QFETCH(qint64, nowMs);
    QFETCH(int, closeGraceS);
    QFETCH(QString, lag);
    FixedClock clock(nowMs);
    HealthSettings settings;
    settings.closeGraceS = 99;
    QueryCommands commands(*m_store, clock, settings);
    settings.closeGraceS = closeGraceS;
    commands.setHealthSettings(settings);
    auto data = commands.run(u"health"_s, parseObject(uR"({"series_id":"file:test:QRY:1m"})"_s));
    QVERIFY2(data.ok(), failure(data).constData());
    const qint64 now = nowMs / 1000;
    const QString series = uR"({"series_id":"file:test:QRY:1m","lamp":"gray","reason":"not_live","now":%1,"tf":60,
        "head_time":1560,%2,"source_state":"none","backfill":{"state":"idle","progress_pct":null},
        "open_errors":2,"owner_node":null})"_s.arg(now).arg(lag);
    const QString expected = uR"({"now":%1,"series":[%2],"startup_sync":null,"sources":[],"counters":{}})"_s.arg(now).arg(
        series);
    QCOMPARE(jsonText(*data), jsonText(parseObject(expected)));
}

void TestQueryCommands::reportsHealthOfEverySeries()
{
    // HLT-6 without series_id: every stored series by id; open_errors counts open rows only.
    for (const QString &args : {u"{}"_s, uR"({"series_id":null})"_s}) {
        auto data = run(u"health"_s, args);
        QVERIFY2(data.ok(), failure(data).constData());
        const QJsonArray series = data->toObject().value("series"_L1).toArray();
        QCOMPARE(series.size(), 2);
        const QJsonObject btc = series.at(0).toObject();
        const QJsonObject qry = series.at(1).toObject();
        QCOMPARE(btc.value("series_id"_L1).toString(), kBtc);
        QCOMPARE(btc.value("head_time"_L1).toInteger(), 300);
        QCOMPARE(btc.value("lag_candles"_L1).toInteger(), (1620 - 300) / 60);
        QCOMPARE(btc.value("open_errors"_L1).toInteger(), 1);
        QCOMPARE(btc.value("lamp"_L1).toString(), u"gray"_s);
        QCOMPARE(qry.value("series_id"_L1).toString(), kQry);
        QCOMPARE(qry.value("open_errors"_L1).toInteger(), 2);
        QCOMPARE(data->toObject().value("now"_L1).toInteger(), 1700);
    }
}

void TestQueryCommands::listsOpenIngestErrors()
{
    // PROTO-26 ingest_errors: open rows, newest first, without batch_json.
    QueryCommands commands(*m_store, m_clock, HealthSettings{});
    ingest::ErrorJournal journal(*m_store);
    const auto expect = [&](const QList<int> &indexes) {
        QList<QJsonObject> rows;
        for (const int i : indexes) {
            auto entry = journal.get(m_journalIds.at(i));
            if (!entry)
                qFatal("get: %s", qPrintable(entry.error().message));
            rows.append(entry->toJson(false));
        }
        return rows;
    };
    auto all = commands.openIngestErrors(QString());
    QVERIFY2(all.ok(), failure(all).constData());
    QCOMPARE(*all, expect({3, 1, 0}));
    QVERIFY(!all->first().contains("batch_json"_L1));
    QCOMPARE(all->first().value("series_id"_L1).toString(), kBtc);

    auto qry = commands.openIngestErrors(u" file:test:QRY:1m "_s);
    QVERIFY2(qry.ok(), failure(qry).constData());
    QCOMPARE(*qry, expect({1, 0}));

    auto none = commands.openIngestErrors(u"file:test:NOPE:1m"_s);
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());

    auto bad = commands.openIngestErrors(u"QRY"_s);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::BadRequest);
    QCOMPARE(bad.error().message, u"series_id: series id 'QRY': 1 components; expected "
                                  u"exchange:market:symbol:timeframe, e.g. binance:spot:BTC/USDT:1m"_s);
}

void TestQueryCommands::capsOpenIngestErrorsAt200()
{
    auto store = openStore(m_db.freshUrl());
    ingest::ErrorJournal journal(*store);
    qint64 newest = 0;
    for (qint64 run = 1; run <= 205; ++run) {
        auto id = journal.append(journalRow(kQry, u"open"_s, run));
        QVERIFY(id.ok());
        newest = *id;
    }
    QueryCommands commands(*store, m_clock, HealthSettings{});
    auto rows = commands.openIngestErrors(QString());
    QVERIFY(rows.ok());
    QCOMPARE(rows->size(), 200);
    QCOMPARE(rows->first().value("id"_L1).toInteger(), newest);
    QVERIFY(rows->last().value("id"_L1).toInteger() < rows->first().value("id"_L1).toInteger());
}

void TestQueryCommands::rejectsBadArguments_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");

    const auto bad = [](const char *row, const QString &name, const QString &args, const QString &message) {
        QTest::newRow(row) << name << args << u"bad_request"_s << message;
    };
    const QString idExpected = u"expected a series id exchange:market:symbol:timeframe"_s;
    const QString limit5000 = u"expected an integer in 1..5000"_s;
    const QString time = u"expected an integer in 0..2^53"_s;

    bad("unknown command", u"drop"_s, u"{}"_s,
        u"name: got \"drop\"; expected series_list, candles, gaps, overlays or health"_s);
    bad("series_id missing", u"candles"_s, u"{}"_s, u"series_id: got nothing; "_s + idExpected);
    bad("series_id null", u"candles"_s, uR"({"series_id":null})"_s, u"series_id: got null; "_s + idExpected);
    bad("series_id a number", u"gaps"_s, uR"({"series_id":5})"_s, u"series_id: got 5; "_s + idExpected);
    bad("series_id an array", u"overlays"_s, uR"({"series_id":["file:test:QRY:1m"]})"_s,
        u"series_id: got [\"file:test:QRY:1m\"]; "_s + idExpected);
    bad("series_id too few parts", u"candles"_s, uR"({"series_id":"QRY:1m"})"_s,
        u"series_id: series id 'QRY:1m': 2 components; expected exchange:market:symbol:timeframe, e.g. "
        u"binance:spot:BTC/USDT:1m"_s);
    bad("series_id bad timeframe", u"gaps"_s, uR"({"series_id":"file:test:QRY:30s"})"_s,
        u"series_id: series id 'file:test:QRY:30s': timeframe '30s' is not valid; expected n followed by m, h or "
        u"d, from 1m to 7d (1m, 5m, 1h, 1d)"_s);
    bad("series_id binance margin", u"health"_s, uR"({"series_id":"binance:margin:BTC/USDT:1m"})"_s,
        u"series_id 'binance:margin:BTC/USDT:1m': binance market 'margin' has no source; expected spot or "
        u"futures"_s);
    bad("health series_id not a string", u"health"_s, uR"({"series_id":true})"_s,
        u"series_id: got true; "_s + idExpected);

    const QString qry = uR"("series_id":"file:test:QRY:1m")"_s;
    const auto arg = [&](const char *row, const QString &name, const QString &extra, const QString &message) {
        bad(row, name, u"{%1,%2}"_s.arg(qry, extra), message);
    };
    arg("candles limit 0", u"candles"_s, uR"("limit":0)"_s, u"limit: got 0; "_s + limit5000);
    arg("candles limit 5001", u"candles"_s, uR"("limit":5001)"_s, u"limit: got 5001; "_s + limit5000);
    arg("candles limit -1", u"candles"_s, uR"("limit":-1)"_s, u"limit: got -1; "_s + limit5000);
    arg("candles limit true", u"candles"_s, uR"("limit":true)"_s, u"limit: got true; "_s + limit5000);
    arg("candles limit string", u"candles"_s, uR"("limit":"1")"_s, u"limit: got \"1\"; "_s + limit5000);
    arg("candles limit 1.5", u"candles"_s, uR"("limit":1.5)"_s, u"limit: got 1.5; "_s + limit5000);
    arg("candles limit object", u"candles"_s, uR"("limit":{})"_s, u"limit: got {}; "_s + limit5000);
    arg("candles before -1", u"candles"_s, uR"("before":-1)"_s, u"before: got -1; "_s + time);
    arg("candles before 2^53+1", u"candles"_s, uR"("before":9007199254740993)"_s,
        u"before: got 9007199254740993; "_s + time);
    arg("candles before 1e300", u"candles"_s, uR"("before":1e300)"_s, u"before: got 1e+300; "_s + time);
    arg("candles before 0.5", u"candles"_s, uR"("before":0.5)"_s, u"before: got 0.5; "_s + time);
    arg("candles after string", u"candles"_s, uR"("after":"5")"_s, u"after: got \"5\"; "_s + time);
    arg("candles after false", u"candles"_s, uR"("after":false)"_s, u"after: got false; "_s + time);
    arg("candles before = after", u"candles"_s, uR"("before":300,"after":300)"_s,
        u"before: got 300; expected an integer greater than after (300)"_s);
    arg("candles before < after", u"candles"_s, uR"("before":240,"after":300)"_s,
        u"before: got 240; expected an integer greater than after (300)"_s);
    arg("gaps limit 0", u"gaps"_s, uR"("limit":0)"_s, u"limit: got 0; expected an integer in 1..100000"_s);
    arg("gaps limit 100001", u"gaps"_s, uR"("limit":100001)"_s,
        u"limit: got 100001; expected an integer in 1..100000"_s);
    arg("gaps from -60", u"gaps"_s, uR"("from":-60)"_s, u"from: got -60; "_s + time);
    arg("gaps to string", u"gaps"_s, uR"("to":"600")"_s, u"to: got \"600\"; "_s + time);
    arg("gaps to < from", u"gaps"_s, uR"("from":600,"to":540)"_s,
        u"to: got 540; expected an integer >= from (600)"_s);
    arg("overlays cursor -1", u"overlays"_s, uR"("cursor":-1)"_s, u"cursor: got -1; "_s + time);
    arg("overlays cursor 1.5", u"overlays"_s, uR"("cursor":1.5)"_s, u"cursor: got 1.5; "_s + time);
    arg("overlays limit 0", u"overlays"_s, uR"("limit":0)"_s, u"limit: got 0; "_s + limit5000);
    arg("overlays limit 5001", u"overlays"_s, uR"("limit":5001)"_s, u"limit: got 5001; "_s + limit5000);
    // A bad argument wins over an unknown series.
    bad("bad limit of an unknown series", u"candles"_s, uR"({"series_id":"file:test:NOPE:1m","limit":0})"_s,
        u"limit: got 0; "_s + limit5000);

    const QString unknown = u"series_id 'file:test:NOPE:1m': unknown series; expected one of series_list"_s;
    for (const QString &name : {u"candles"_s, u"gaps"_s, u"overlays"_s, u"health"_s}) {
        QTest::addRow("%s unknown series", qPrintable(name))
            << name << uR"({"series_id":"file:test:NOPE:1m"})"_s << u"not_found"_s << unknown;
    }
    QTest::newRow("unknown series, canonical in the message")
        << u"candles"_s << uR"({"series_id":"file:test:NOPE:60m"})"_s << u"not_found"_s
        << u"series_id 'file:test:NOPE:1h': unknown series; expected one of series_list"_s;
    QTest::newRow("overlays cursor past the last version")
        << u"overlays"_s << uR"({"series_id":"file:test:QRY:1m","cursor":4})"_s << u"conflict"_s
        << u"overlays of 'file:test:QRY:1m': cursor 4 is past the last version 3; expected a cursor from an "
           u"earlier delta"_s;
    QTest::newRow("overlays cursor of a series without overlays")
        << u"overlays"_s << uR"({"series_id":"binance:spot:BTC/USDT:1m","cursor":1})"_s << u"conflict"_s
        << u"overlays of 'binance:spot:BTC/USDT:1m': cursor 1 is past the last version 0; expected a cursor from "
           u"an earlier delta"_s;
}

void TestQueryCommands::rejectsBadArguments()
{
    // PROTO-8 (bad args → bad_request), DOM-13 messages.
    QFETCH(QString, name);
    QFETCH(QString, args);
    QFETCH(QString, code);
    QFETCH(QString, message);
    auto data = run(name, args);
    QVERIFY2(!data.ok(), qPrintable(jsonText(data.ok() ? *data : QJsonValue())));
    QCOMPARE(data.error().codeName(), code);
    QCOMPARE(data.error().message, message);
}

void TestQueryCommands::hostileIdsChangeNothing_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("quote") << u"file:test:QRY'--:1m"_s;
    QTest::newRow("double quote") << u"file:test:\"QRY\":1m"_s;
    QTest::newRow("drop table") << u"file:test:QRY:1m;DROP TABLE candles"_s;
    QTest::newRow("drop table in symbol") << u"file:test:x');DROP TABLE candles;--:1m"_s;
    QTest::newRow("or 1=1") << u"' OR '1'='1"_s;
    QTest::newRow("NUL") << u"file:test:QRY\u0000:1m"_s;
    QTest::newRow("NUL at the end") << u"file:test:QRY:1m\u0000"_s;
    QTest::newRow("10 KB") << u"file:test:"_s + QString(10240, u'A') + u":1m"_s;
    QTest::newRow("10 KB of quotes") << QString(10240, u'\'');
    QTest::newRow("replacement characters") << QString::fromUtf8("file:test:Q\xff\xfeRY:1m");
    QTest::newRow("well-formed, unknown") << u"file:test:DROP:1m"_s;
    QTest::newRow("percent and LIKE") << u"file:test:%:1m"_s;
}

void TestQueryCommands::hostileIdsChangeNothing()
{
    // SEC-3: bad_request or not_found from every command, no row changed, no id echoed whole.
    QFETCH(QString, id);
    const QMap<QString, qint64> before = rowCounts(*m_store);
    QueryCommands commands(*m_store, m_clock, HealthSettings{});
    for (const QString &name : {u"candles"_s, u"gaps"_s, u"overlays"_s, u"health"_s}) {
        auto data = commands.run(name, QJsonObject{{u"series_id"_s, id}});
        QVERIFY2(!data.ok(), qPrintable(name));
        QVERIFY2(data.error().code == ErrorCode::BadRequest || data.error().code == ErrorCode::NotFound,
                 qPrintable(name + u": "_s + data.error().codeName()));
        QVERIFY2(data.error().message.size() < 400, qPrintable(name));
    }
    auto watched = commands.openIngestErrors(id);
    QVERIFY(watched.ok() ? watched->isEmpty() : watched.error().code == ErrorCode::BadRequest);
    QCOMPARE(rowCounts(*m_store), before);
    auto list = commands.run(u"series_list"_s, {});
    QVERIFY(list.ok());
    QCOMPARE(list->toObject().value("series"_L1).toArray().size(), 2);
}

QTEST_GUILESS_MAIN(TestQueryCommands)
#include "tst_querycommands.moc"
