#include "app/storeaccess.h"

using namespace Qt::StringLiterals;

namespace gapless::app {

Result<StoreTarget> storeTarget(const CommandContext &ctx, bool readOnly)
{
    auto url = store::StoreUrl::parse(ctx.settings.stringValue(u"store.url"));
    if (!url)
        return url.error();
    StoreTarget target;
    target.url = *url;
    target.options.readOnly = readOnly;
    target.options.busyTimeoutMs = int(ctx.settings.intValue(u"store.busy_timeout_ms"));
    target.options.nodeId = int(ctx.settings.intValue(u"runtime.node_id"));
    // Only the default location is created on demand; a mistyped --db path is an error.
    target.options.createDirectory = ctx.settings.source(u"store.url") == SettingSource::Default;
    return target;
}

Result<std::unique_ptr<store::CandleStore>> openReadOnlyStore(const CommandContext &ctx)
{
    auto target = storeTarget(ctx, true);
    if (!target)
        return target.error();
    return store::CandleStore::open(target->url, target->options);
}

} // namespace gapless::app
