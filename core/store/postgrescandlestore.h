#pragma once

#include "core/store/sqlcandlestore.h"

#include <memory>

namespace gapless::store {

/// The scale-out backend: PostgreSQL through QPSQL, multi-row statements of at most 1000 rows.
class PostgresCandleStore final : public SqlCandleStore
{
public:
    [[nodiscard]] static Result<std::unique_ptr<CandleStore>> open(const StoreUrl &url, const StoreOptions &options);

private:
    explicit PostgresCandleStore(const StoreUrl &url);
    [[nodiscard]] Result<void> openConnection(const StoreOptions &options);
};

} // namespace gapless::store
