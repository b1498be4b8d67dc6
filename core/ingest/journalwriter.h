#pragma once

#include "core/ingest/errorjournal.h"
#include "core/ingest/pendingjournal.h"

namespace gapless {
class EventLog;
class Failpoints;
}

namespace gapless::ingest {

/// How the pipeline writes its journal rows (ING-9, ING-10): inside the run's transaction under
/// a savepoint (so a refused row cannot abort the transaction) or alone; a row the database
/// refuses is logged critical, counted and kept in memory until a later flush writes it.
class JournalWriter
{
public:
    JournalWriter(store::CandleStore &store, Failpoints &failpoints, EventLog &log);

    /// Writes `entry`; returns its id, or none when it was kept in memory instead.
    std::optional<qint64> write(const JournalEntry &entry, bool inTransaction);
    /// Writes the rows kept in memory, each committing on its own; returns those written.
    QList<JournalEntry> flush();

    [[nodiscard]] ErrorJournal &journal() { return m_journal; }

private:
    store::CandleStore &m_store;
    EventLog &m_log;
    ErrorJournal m_journal;
    PendingJournal m_pending;
};

} // namespace gapless::ingest
