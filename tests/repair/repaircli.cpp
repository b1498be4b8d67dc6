#include "tests/repair/repaircli.h"

#include "core/ingest/filevalidation.h"
#include "core/sources/candlefile.h"
#include "core/store/candlestore.h"
#include "core/store/sqlexec.h"
#include "tests/support/testenv.h"

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

const SeriesId &series()
{
    static const SeriesId s = *SeriesId::parse(QString::fromLatin1(RepairCli::kSeries));
    return s;
}

} // namespace

bool RepairCli::start()
{
    if (!m_db.setupError().isEmpty()) {
        m_error = m_db.setupError();
        return false;
    }
    m_url = m_db.freshUrl();
    const QString path = dataFile(u"sse_000001_1m.csv"_s);
    auto parsed = sources::readCandleFile(path, sources::FileFormat::Csv);
    if (!parsed)
        return false;
    m_data = ingest::validateFile(*parsed, {series().timeframe(), 1735689600, false}).accepted;
    const RunResult imported = run({u"import"_s, path, u"--series"_s, QString::fromLatin1(kSeries)});
    if (imported.exitCode != 0) {
        m_error = imported.errText();
        return false;
    }
    return true;
}

RunResult RepairCli::run(const QStringList &args)
{
    return runGapless(QStringList{u"--db"_s, urlText(m_url), u"--no-progress"_s} + args, m_db.tempPath(u"home"_s));
}

QStringList RepairCli::rangeArgs() const
{
    return {u"--series"_s, QString::fromLatin1(kSeries), u"--from"_s, QString::number(m_data.first().time),
            u"--to"_s, QString::number(m_data.last().time + 60), u"--source"_s,
            u"file:"_s + dataFile(u"sse_000001_1m.csv"_s)};
}

CandleList RepairCli::day(int index) const
{
    qint64 day = -1;
    int seen = -1;
    CandleList rows;
    for (const Candle &c : m_data) {
        if (c.time / 86400 != day) {
            day = c.time / 86400;
            ++seen;
        }
        if (seen == index)
            rows.append(c);
    }
    return rows;
}

bool RepairCli::corrupt(qint64 time, double delta)
{
    return !query(u"UPDATE candles SET close = close + ?, high = high + ? WHERE series_id = ? AND candle_time = ?"_s,
                  {delta, delta, series().toString(), time}).contains(u"error"_s);
}

bool RepairCli::erase(qint64 from, qint64 to)
{
    return !query(u"DELETE FROM candles WHERE series_id = ? AND candle_time >= ? AND candle_time < ?"_s,
                  {series().toString(), from, to}).contains(u"error"_s);
}

QVariantList RepairCli::query(const QString &sql, const QVariantList &binds)
{
    auto store = store::CandleStore::open(m_url, {});
    if (!store)
        return {u"error"_s};
    QSqlDatabase db = (*store)->database();
    auto q = store::prepareQuery(db, sql, u"test"_s);
    if (!q)
        return {u"error"_s};
    for (const QVariant &v : binds)
        q->addBindValue(v);
    if (!store::execQuery(*q, u"test"_s))
        return {u"error"_s};
    QVariantList out;
    while (q->isSelect() && q->next())
        out.append(q->value(0));
    return out;
}

} // namespace gapless::test
