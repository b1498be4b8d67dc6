#pragma once

#include "core/store/candlestore.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace gapless::store {

/// The store writer (STORE-5): lives on its own thread, owns the only write connection and
/// runs one transaction per queued batch. Create it through WriterThread.
class StoreWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreWriter)
public:
    StoreWriter();
    ~StoreWriter() override;

    /// Queued from any thread. Emits opened() or openFailed() on the writer thread.
    void open(const gapless::store::StoreUrl &url, const gapless::store::StoreOptions &options);
    /// Queued from any thread: upserts `candles` in one transaction; emits batchWritten() or batchFailed().
    void writeBatch(const gapless::SeriesId &series, const gapless::CandleList &candles,
                    const gapless::store::RevisionContext &context);
    /// Queued from any thread: runs `work` on the writer thread with the open store (nullptr if none).
    void post(std::function<void(gapless::store::CandleStore *)> work);

signals:
    /// Emitted on the writer thread once the store is open and migrated.
    void opened(int schemaVersion);
    void openFailed(const gapless::Error &error);
    /// Emitted on the writer thread after the batch's transaction committed.
    void batchWritten(const gapless::SeriesId &series, const gapless::store::UpsertResult &result);
    /// Emitted on the writer thread after the batch was rolled back.
    void batchFailed(const gapless::SeriesId &series, const gapless::Error &error);

private:
    void doOpen(const StoreUrl &url, const StoreOptions &options);
    void doWrite(const SeriesId &series, const CandleList &candles, const RevisionContext &context);

    std::unique_ptr<CandleStore> m_store;
};

/// Owns the writer thread and its StoreWriter; stopping joins the thread, and the store
/// closes on the thread that opened it.
class WriterThread final
{
public:
    WriterThread();
    ~WriterThread();
    Q_DISABLE_COPY_MOVE(WriterThread)

    [[nodiscard]] StoreWriter *writer() const { return m_writer; }

private:
    QThread m_thread;
    StoreWriter *m_writer;
};

} // namespace gapless::store

Q_DECLARE_METATYPE(gapless::store::UpsertResult)
