#include "core/store/storewriter.h"

using namespace Qt::StringLiterals;

namespace gapless::store {

StoreWriter::StoreWriter()
{
    qRegisterMetaType<gapless::Error>();
    qRegisterMetaType<gapless::SeriesId>();
    qRegisterMetaType<gapless::store::UpsertResult>();
}

StoreWriter::~StoreWriter() = default;

void StoreWriter::open(const StoreUrl &url, const StoreOptions &options)
{
    QMetaObject::invokeMethod(this, [this, url, options] { doOpen(url, options); }, Qt::QueuedConnection);
}

void StoreWriter::writeBatch(const SeriesId &series, const CandleList &candles, const RevisionContext &context)
{
    QMetaObject::invokeMethod(this, [this, series, candles, context] { doWrite(series, candles, context); },
                              Qt::QueuedConnection);
}

void StoreWriter::post(std::function<void(CandleStore *)> work)
{
    QMetaObject::invokeMethod(this, [this, w = std::move(work)] { w(m_store.get()); }, Qt::QueuedConnection);
}

void StoreWriter::doOpen(const StoreUrl &url, const StoreOptions &options)
{
    m_store.reset();
    auto store = CandleStore::open(url, options);
    if (!store) {
        emit openFailed(store.error());
        return;
    }
    m_store = std::move(store).value();
    emit opened(m_store->schemaVersion());
}

void StoreWriter::doWrite(const SeriesId &series, const CandleList &candles, const RevisionContext &context)
{
    if (!m_store) {
        emit batchFailed(series, Error::unavailable(u"store: not open; expected a store opened before writing"_s));
        return;
    }
    if (auto ok = m_store->begin(); !ok) {
        emit batchFailed(series, ok.error());
        return;
    }
    auto result = m_store->upsert(series, candles, context);
    if (!result) {
        (void)m_store->rollback();
        emit batchFailed(series, result.error());
        return;
    }
    if (auto ok = m_store->commit(); !ok) {
        (void)m_store->rollback();
        emit batchFailed(series, ok.error());
        return;
    }
    emit batchWritten(series, *result);
}

WriterThread::WriterThread()
    : m_writer(new StoreWriter)
{
    m_thread.setObjectName(u"gapless-store-writer"_s);
    m_writer->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
}

WriterThread::~WriterThread()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace gapless::store
