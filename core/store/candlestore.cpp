#include "core/store/candlestore.h"

#include "core/store/postgrescandlestore.h"
#include "core/store/sqlitecandlestore.h"

namespace gapless::store {

Result<std::unique_ptr<CandleStore>> CandleStore::open(const StoreUrl &url, const StoreOptions &options)
{
    if (url.isSqlite())
        return SqliteCandleStore::open(url, options);
    return PostgresCandleStore::open(url, options);
}

} // namespace gapless::store
