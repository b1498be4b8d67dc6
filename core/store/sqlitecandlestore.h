#pragma once

#include "core/store/sqlcandlestore.h"

#include <QLockFile>

#include <memory>

namespace gapless::store {

/// The embedded backend: one SQLite file in WAL mode, one writer per file via `<db>.lock` (STORE-4).
class SqliteCandleStore final : public SqlCandleStore
{
public:
    [[nodiscard]] static Result<std::unique_ptr<CandleStore>> open(const StoreUrl &url, const StoreOptions &options);
    ~SqliteCandleStore() override;

private:
    explicit SqliteCandleStore(const StoreUrl &url);
    [[nodiscard]] Result<void> checkWritable(const StoreOptions &options) const;
    [[nodiscard]] Result<void> acquireLock();
    [[nodiscard]] Result<void> openConnection(const StoreOptions &options);
    void restrictPermissions() const;

    std::unique_ptr<QLockFile> m_lock;
};

} // namespace gapless::store
