#include "core/repair/knownseries.h"

#include "core/ingest/ingestwriter.h"
#include "core/store/candlestore.h"

namespace gapless::repair {

KnownSeries::~KnownSeries()
{
    QObject::disconnect(m_follow);
}

Result<void> KnownSeries::load(store::CandleStore &store, const QList<SeriesId> &configured)
{
    auto ids = store.seriesIds();
    QWriteLocker lock(&m_lock);
    ++m_queries;
    if (!ids)
        return ids.error();
    m_ids.clear();
    for (const SeriesId &id : *ids)
        m_ids.insert(id.toString());
    for (const SeriesId &id : configured)
        m_ids.insert(id.toString());
    return {};
}

void KnownSeries::follow(ingest::IngestWriter *writer)
{
    QObject::disconnect(m_follow);
    m_follow = QObject::connect(writer, &ingest::IngestWriter::candlesCommitted, writer,
                     [this](const SeriesId &series, const CandleList &) { add(series); }, Qt::DirectConnection);
}

void KnownSeries::add(const SeriesId &series)
{
    {
        QReadLocker lock(&m_lock);
        if (m_ids.contains(series.toString()))
            return;
    }
    QWriteLocker lock(&m_lock);
    m_ids.insert(series.toString());
}

bool KnownSeries::contains(const SeriesId &series) const
{
    QReadLocker lock(&m_lock);
    return m_ids.contains(series.toString());
}

qsizetype KnownSeries::size() const
{
    QReadLocker lock(&m_lock);
    return m_ids.size();
}

qint64 KnownSeries::queryCount() const
{
    QReadLocker lock(&m_lock);
    return m_queries;
}

} // namespace gapless::repair
