#include "app/writersession.h"

#include "app/storeaccess.h"
#include "core/runtime/sectionsettings.h"

#include <QEventLoop>

namespace gapless::app {

namespace {

Failpoints failpointsFrom(const Settings &settings)
{
    const DebugSettings debug = DebugSettings::from(settings);
    return Failpoints(debug.activeFailpoints(), quint64(debug.seed));
}

} // namespace

WriterSession::WriterSession(const CommandContext &ctx)
    : m_ctx(ctx)
    , m_log(ctx.clock)
    , m_failpoints(failpointsFrom(ctx.settings))
    , m_thread(ctx.clock, m_log, m_failpoints)
{
}

Result<void> WriterSession::open()
{
    auto target = storeTarget(m_ctx, false);
    if (!target)
        return target.error();
    const ingest::PipelineConfig config{IngestSettings::from(m_ctx.settings), FactorSettings::from(m_ctx.settings)};
    QEventLoop loop;
    std::optional<Error> failure;
    QObject::connect(writer(), &ingest::IngestWriter::opened, &loop, [&] { loop.quit(); });
    QObject::connect(writer(), &ingest::IngestWriter::openFailed, &loop, [&](const Error &e) {
        failure = e;
        loop.quit();
    });
    writer()->open(target->url, target->options, config);
    loop.exec();
    if (failure)
        return *failure;
    return {};
}

} // namespace gapless::app
