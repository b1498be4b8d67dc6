#include "app/commands/jobscommandledger.h"

#include "app/writersession.h"
#include "core/runtime/sectionsettings.h"

#include <QEventLoop>

using namespace Qt::StringLiterals;

namespace gapless::app {

Result<QJsonValue> onLedger(const CommandContext &ctx, std::function<Result<QJsonValue>(jobs::JobLedger &)> work)
{
    WriterSession session(ctx);
    if (auto ok = session.open(); !ok)
        return ok.error();
    const int nodeId = RuntimeSettings::from(ctx.settings).nodeId;
    const int ttlS = RepairSettings::from(ctx.settings).idempotencyTtlS;
    QEventLoop loop;
    std::optional<Result<QJsonValue>> answer;
    session.writer()->post([&, nodeId, ttlS](store::CandleStore *store) {
        Result<QJsonValue> r = Error::unavailable(u"store: not open; expected an open store"_s);
        if (store) {
            jobs::JobLedger ledger(*store, ctx.clock, nodeId, ttlS);
            r = work(ledger);
        }
        QMetaObject::invokeMethod(&loop, [&answer, &loop, r] {
            answer = r;
            loop.quit();
        }, Qt::QueuedConnection);
    });
    loop.exec();
    return *answer;
}

} // namespace gapless::app
