#include "tests/support/testcore.h"

#include "core/ingest/ingestwriter.h"
#include "core/repair/writerbridge.h"
#include "core/runtime/settings.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::test {

TestCore::TestCore(qint64 nowMs, const QStringList &settings) : m_clock(nowMs), m_settings(settings)
{
    m_storeUrl = m_db.freshUrl();
    if (!m_db.setupError().isEmpty())
        m_error = m_db.setupError();
}

TestCore::~TestCore()
{
    stop();
}

bool TestCore::start(const protocol::HeartbeatOptions &heartbeat)
{
    m_heartbeat = heartbeat;
    return startOn(u"127.0.0.1:0"_s, heartbeat);
}

bool TestCore::restart()
{
    const int port = m_url.port();
    stop();
    return startOn(u"127.0.0.1:%1"_s.arg(port), m_heartbeat);
}

std::optional<Settings> TestCore::loadSettings(const QString &listen)
{
    if (!m_error.isEmpty())
        return std::nullopt;
    SettingsSources sources;
    sources.configDir = m_db.tempPath(u"config"_s);
    sources.dataDir = m_db.tempPath(u"data"_s);
    sources.cli.append({u"--db"_s, urlText(m_storeUrl)});
    sources.cli.append({u"--listen"_s, listen});
    for (const QString &pair : m_settings)
        sources.cli.prepend({u"--set"_s, pair});
    auto settings = Settings::load(sources);
    if (!settings) {
        m_error = settings.error().message;
        return std::nullopt;
    }
    return *settings;
}

bool TestCore::startOnThread()
{
    auto settings = loadSettings(u"127.0.0.1:0"_s);
    if (!settings)
        return false;
    m_thread = std::make_unique<CoreThread>(*settings, m_clock, m_storeUrl, store::StoreOptions());
    QSignalSpy started(m_thread.get(), &CoreThread::started);
    QSignalSpy failed(m_thread.get(), &CoreThread::startFailed);
    m_thread->start();
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30000)) {
        m_error = u"core did not start on its thread within 30 s"_s;
        return false;
    }
    if (!failed.isEmpty()) {
        m_error = failed.first().first().value<Error>().message;
        return false;
    }
    m_url = m_thread->url();
    return true;
}

bool TestCore::startOn(const QString &listen, const protocol::HeartbeatOptions &heartbeat)
{
    auto settings = loadSettings(listen);
    if (!settings)
        return false;
    store::StoreOptions options;
    m_core = std::make_unique<Core>(*settings, m_clock, m_storeUrl, options);
    m_core->setHeartbeat(heartbeat);
    m_core->setHoleHealer(m_healer);
    QSignalSpy started(m_core.get(), &Core::started);
    QSignalSpy failed(m_core.get(), &Core::startFailed);
    m_core->start();
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, 30000)) {
        m_error = u"core did not start within 30 s"_s;
        return false;
    }
    if (!failed.isEmpty()) {
        m_error = failed.first().first().value<Error>().message;
        return false;
    }
    m_url = m_core->url();
    return true;
}

void TestCore::stop()
{
    m_core.reset();
    m_thread.reset();
}

bool TestCore::ingest(const SeriesId &series, const CandleList &candles)
{
    ingest::IngestRun run;
    run.source = u"live"_s;
    run.add(series, candles);
    ingest::IngestWriter *writer = m_thread ? m_thread->writer() : m_core->writer();
    QSignalSpy finished(writer, &ingest::IngestWriter::runFinished);
    writer->submit(run);
    if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, 30000))
        return false;
    return finished.first().first().value<ingest::RunReport>().ok();
}

bool TestCore::seed(const SeriesId &series, const CandleList &candles)
{
    auto opened = store::CandleStore::open(m_storeUrl, {});
    if (!opened)
        return false;
    store::CandleStore &s = **opened;
    if (!s.begin())
        return false;
    if (!s.upsert(series, candles, {}))
        return false;
    return bool(s.commit());
}

CandleList TestCore::stored(const SeriesId &series)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto opened = store::CandleStore::open(m_storeUrl, options);
    if (!opened)
        return {};
    auto rows = (*opened)->range(series, 0, std::numeric_limits<qint64>::max());
    return rows ? *rows : CandleList();
}

CandleList syntheticCandles(qint64 start, int count, qint64 tf)
{
    CandleList out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        const qint64 t = start + i * tf;
        const double mid = 100 + 10 * std::sin(double(t) / 3600.0) + double(t % 97) / 100.0;
        out.append(Candle{t, mid, mid + 1.5, mid - 1.25, mid + 0.5, double(10 + t % 7)});
    }
    return out;
}

QVariantList TestCore::query(const QString &sql, const QVariantList &binds)
{
    auto rows = repair::onWriter(m_core->writer(), [&](store::CandleStore &s) -> Result<QJsonObject> {
        QSqlDatabase db = s.database();
        auto q = store::prepareQuery(db, sql, u"test"_s);
        if (!q)
            return q.error();
        for (const QVariant &v : binds)
            q->addBindValue(v);
        if (auto ok = store::execQuery(*q, u"test"_s); !ok)
            return ok.error();
        QJsonArray out;
        while (q->isSelect() && q->next())
            out.append(q->value(0).isNull() ? QJsonValue() : QJsonValue::fromVariant(q->value(0)));
        return QJsonObject{{u"rows"_s, out}};
    });
    if (!rows)
        return {u"error"_s};
    return rows->value(u"rows"_s).toArray().toVariantList();
}

} // namespace gapless::test
