#pragma once

#include "app/commandcontext.h"
#include "core/ingest/ingestwriter.h"
#include "core/runtime/eventlog.h"
#include "core/runtime/failpoints.h"

namespace gapless::app {

/// The writer thread of a job subcommand run in-process on `--db` (CLI-14): the event log,
/// the failpoints of the settings and the ingest writer, opened on the configured store.
class WriterSession
{
public:
    explicit WriterSession(const CommandContext &ctx);
    Q_DISABLE_COPY_MOVE(WriterSession)

    /// Opens the store on the writer thread and waits for it (the CLI thread may block).
    [[nodiscard]] Result<void> open();
    [[nodiscard]] ingest::IngestWriter *writer() const { return m_thread.writer(); }

private:
    const CommandContext &m_ctx;
    EventLog m_log;
    Failpoints m_failpoints;
    ingest::IngestWriterThread m_thread;
};

} // namespace gapless::app
