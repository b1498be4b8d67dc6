#pragma once

#include "core/store/sqlcandlestore.h"
#include "core/store/sqlitecheckpointer.h"
#include "core/store/sqlitefastpath.h"

#include <QLockFile>

#include <memory>

namespace gapless::store {

/// The embedded backend: one SQLite file in WAL mode, one writer per file via `<db>.lock` (STORE-4).
class SqliteCandleStore final : public SqlCandleStore
{
public:
    [[nodiscard]] static Result<std::unique_ptr<CandleStore>> open(const StoreUrl &url, const StoreOptions &options);
    ~SqliteCandleStore() override;

protected:
    Result<void> afterConnect() override;
    void beforeDisconnect() override;
    Result<CandleList> readStored(const SeriesId &series, qint64 from, qint64 to) override;
    Result<void> insertRows(const SeriesId &series, const CandleList &rows) override;

private:
    explicit SqliteCandleStore(const StoreUrl &url);
    [[nodiscard]] Result<void> checkWritable(const StoreOptions &options) const;
    [[nodiscard]] Result<void> acquireLock();
    [[nodiscard]] Result<void> openConnection(const StoreOptions &options);
    void restrictPermissions() const;

    SqliteFastPath m_fast;
    SqliteCheckpointer m_checkpointer;
    bool m_hasFastPath = false;
    bool m_readOnly = false;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace gapless::store
