#include "tests/repair/repairfixture.h"

#include "core/ingest/filevalidation.h"
#include "core/repair/writerbridge.h"
#include "core/sources/candlefile.h"
#include "core/store/sqlexec.h"
#include "tests/support/testenv.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::test {

bool RepairFixture::start(const QStringList &settings)
{
    m_path = dataFile(u"sse_000001_1m.csv"_s);
    m_series = *SeriesId::parse(u"file:cn:000001.SH:1m"_s);
    auto parsed = sources::readCandleFile(m_path, sources::FileFormat::Csv);
    if (!parsed)
        return false;
    m_data = ingest::validateFile(*parsed, {m_series.timeframe(), kNowMs / 1000, false}).accepted;
    m_core = std::make_unique<TestCore>(kNowMs, settings);
    if (!m_core->start() || !m_core->ingest(m_series, m_data))
        return false;
    auto reader = store::CandleStore::open(m_core->storeUrl(), {.readOnly = true});
    if (!reader)
        return false;
    m_reader = std::move(reader).value();
    return true;
}

QString RepairFixture::sourceText() const
{
    return u"file:"_s + m_path;
}

CandleList RepairFixture::day(int index) const
{
    qint64 day = -1;
    int seen = -1;
    for (const Candle &c : m_data) { // the data has no rows on weekends and holidays
        if (c.time / 86400 != day) {
            day = c.time / 86400;
            if (++seen == index)
                return repair::rowsIn(m_data, day * 86400, day * 86400 + 86400);
        }
    }
    return {};
}

bool RepairFixture::corrupt(qint64 time, double delta)
{
    CandleList one = repair::rowsIn(m_data, time, time + 1);
    if (one.size() != 1)
        return false;
    one.first().close += delta;
    one.first().high = std::max(one.first().high, one.first().close);
    one.first().low = std::min(one.first().low, one.first().close);
    return m_core->ingest(m_series, one);
}

bool RepairFixture::erase(qint64 from, qint64 to)
{
    return !query(u"DELETE FROM candles WHERE series_id = ? AND candle_time >= ? AND candle_time < ?"_s,
                  {m_series.toString(), from, to}).contains(u"error"_s);
}

QVariantList RepairFixture::query(const QString &sql, const QVariantList &binds)
{
    return m_core->query(sql, binds);
}

Result<repair::VerifyOutcome> RepairFixture::verify(const QString &source)
{
    repair::LocalRepairControl control(1);
    repair::SourceFetcher fetcher(nullptr, m_core->clock());
    repair::RepairServices services{*m_reader, fetcher, control, m_core->clock(), m_core->core().writer()};
    auto request = repair::makeVerifyRequest(m_series, from(), to(), source.isEmpty() ? sourceText() : source,
                                             kNowMs / 1000);
    if (!request)
        return request.error();
    return repair::runVerify(services, *request);
}

Result<QJsonObject> RepairFixture::repair(qint64 jobId, std::optional<ConflictPolicy> policy,
                                          std::optional<qint64> verifyJobId)
{
    repair::LocalRepairControl control(jobId);
    repair::SourceFetcher fetcher(nullptr, m_core->clock());
    repair::RepairServices services{*m_reader, fetcher, control, m_core->clock(), m_core->core().writer()};
    repair::RepairRequest request;
    request.verifyJobId = verifyJobId;
    request.policy = policy;
    if (!verifyJobId) {
        auto target = repair::makeVerifyRequest(m_series, from(), to(), sourceText(), kNowMs / 1000);
        if (!target)
            return target.error();
        request.target = *target;
    }
    return repair::runRepair(services, request);
}

} // namespace gapless::test
