#pragma once

#include "app/commandcontext.h"
#include "core/store/candlestore.h"

#include <memory>

namespace gapless::app {

/// The store URL and open options the settings name (STORE-2, CFG-5).
struct StoreTarget
{
    store::StoreUrl url;
    store::StoreOptions options;
};

/// Reads `store.url` and `store.busy_timeout_ms`; a bad URL is a configuration error.
[[nodiscard]] Result<StoreTarget> storeTarget(const CommandContext &ctx, bool readOnly);

/// Opens the store on the calling thread, for read-only commands (no writer lock).
[[nodiscard]] Result<std::unique_ptr<store::CandleStore>> openReadOnlyStore(const CommandContext &ctx);

} // namespace gapless::app
