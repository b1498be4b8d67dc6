#pragma once

#include "core/store/sqlcandlestore.h"

#include <memory>
#include <optional>

namespace gapless::store {

/// The scale-out backend: PostgreSQL through QPSQL, multi-row statements of at most 1000 rows.
class PostgresCandleStore final : public SqlCandleStore
{
public:
    [[nodiscard]] static Result<std::unique_ptr<CandleStore>> open(const StoreUrl &url, const StoreOptions &options);

    /// JOB-2: the two-int4 advisory lock class of node ids (STORE-11); the key is the node_id.
    static constexpr int kNodeLockClass = 0x676e6f64; // "gnod"

protected:
    /// Takes the node lock again after a reconnect, which lost it with the old session.
    [[nodiscard]] Result<void> afterConnect() override;

private:
    explicit PostgresCandleStore(const StoreUrl &url);
    [[nodiscard]] Result<void> openConnection(const StoreOptions &options);

    std::optional<int> m_nodeLock; ///< the node_id whose lock this writer holds
};

} // namespace gapless::store
