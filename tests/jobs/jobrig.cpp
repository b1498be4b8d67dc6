#include "tests/jobs/jobrig.h"

#include "core/store/candlestore.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace gapless::test {

JobRig::JobRig(qint64 nowMs)
    : m_clock(nowMs)
    , m_log(m_clock)
    , m_thread(m_clock, m_log, m_failpoints)
{
}

JobRig::~JobRig()
{
    m_scheduler.reset();
}

bool JobRig::open()
{
    if (!m_db.setupError().isEmpty()) {
        m_error = m_db.setupError();
        return false;
    }
    QSignalSpy opened(writer(), &ingest::IngestWriter::opened);
    QSignalSpy failed(writer(), &ingest::IngestWriter::openFailed);
    m_url = m_db.freshUrl();
    writer()->open(m_url, {}, {});
    if (!QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, 20000) || !failed.isEmpty()) {
        m_error = failed.isEmpty() ? u"store did not open"_s : failed.first().first().value<Error>().message;
        return false;
    }
    return true;
}

bool JobRig::startScheduler(const JobsSettings &settings, int nodeId)
{
    m_scheduler.reset();
    jobs::JobSchedulerOptions options;
    options.nodeId = nodeId;
    options.settings = settings;
    options.random = [this] { return random; };
    m_scheduler = std::make_unique<jobs::JobScheduler>(m_clock, writer(), options);
    auto handler = std::make_unique<RecordingHandler>();
    m_handler = handler.get();
    m_scheduler->registerHandler(u"backfill"_s, std::move(handler));
    QSignalSpy ready(m_scheduler.get(), &jobs::JobScheduler::ready);
    m_scheduler->start();
    if (!ready.wait(20000)) {
        m_error = u"scheduler not ready"_s;
        return false;
    }
    return true;
}

Result<jobs::KeyDecision> JobRig::accept(const QString &key, const QString &seriesId, qint64 *jobId,
                                         const QString &kind)
{
    jobs::JobRow job;
    job.kind = kind;
    job.seriesId = seriesId;
    const jobs::KeyRequest request{key, kind, {{u"series_id"_s, seriesId}}};
    std::optional<Result<jobs::KeyDecision>> answer;
    m_scheduler->accept(request, job, [&](const Result<jobs::KeyDecision> &d, qint64 id) {
        answer = d;
        if (jobId)
            *jobId = id;
    });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 20000))
        return Error::internal(u"no answer"_s);
    return *answer;
}

QVariantList JobRig::query(const QString &sql)
{
    std::optional<QVariantList> out;
    writer()->post([&out, sql, this](store::CandleStore *store) {
        QVariantList rows;
        QSqlQuery q(store->database());
        if (q.exec(sql)) {
            while (q.next())
                rows.append(q.value(0));
        } else {
            rows.append(q.lastError().text());
        }
        QMetaObject::invokeMethod(&m_context, [&out, rows] { out = rows; }, Qt::QueuedConnection);
    });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, 20000);
    return out.value_or(QVariantList());
}

std::optional<jobs::JobRow> JobRig::job(qint64 jobId)
{
    std::optional<std::optional<jobs::JobRow>> out;
    writer()->post([&out, jobId, this](store::CandleStore *store) {
        auto row = jobs::JobStore(*store).get(jobId);
        std::optional<jobs::JobRow> r = row ? *row : std::nullopt;
        QMetaObject::invokeMethod(&m_context, [&out, r] { out = r; }, Qt::QueuedConnection);
    });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, 20000);
    return out.value_or(std::nullopt);
}

std::optional<jobs::KeyRow> JobRig::key(const QString &key)
{
    std::optional<std::optional<jobs::KeyRow>> out;
    writer()->post([&out, key, this](store::CandleStore *store) {
        auto row = jobs::IdempotencyStore(*store, m_clock, 0, 86400).get(key);
        std::optional<jobs::KeyRow> r = row ? *row : std::nullopt;
        QMetaObject::invokeMethod(&m_context, [&out, r] { out = r; }, Qt::QueuedConnection);
    });
    (void)QTest::qWaitFor([&] { return out.has_value(); }, 20000);
    return out.value_or(std::nullopt);
}

void JobRig::drain()
{
    (void)query(u"SELECT 1"_s);
}

} // namespace gapless::test
