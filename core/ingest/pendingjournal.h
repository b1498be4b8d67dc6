#pragma once

#include "core/domain/result.h"
#include "core/ingest/journalentry.h"

#include <QList>

#include <optional>

namespace gapless::ingest {

class ErrorJournal;

/// What one PendingJournal::flush() achieved.
struct PendingFlush
{
    QList<JournalEntry> written; ///< in order, each with its new id: publish these (ING-13)
    std::optional<Error> error;  ///< why the first unwritten entry failed, if one did
};

/// Journal rows the database refused (ING-10), kept in memory until they can be written.
/// Holds at most `capacity` entries; beyond that the oldest is dropped and counted.
/// Not thread-safe: it belongs to the writer thread, like the journal it flushes into.
class PendingJournal final
{
public:
    static constexpr qsizetype kCapacity = 1000;

    explicit PendingJournal(qsizetype capacity = kCapacity);

    /// Keeps `entry` after the others. An entry failing validateJournalEntry() could never be
    /// written: it is refused with that internal error instead of being kept.
    [[nodiscard]] Result<void> add(const JournalEntry &entry);
    /// Writes the entries oldest first and removes each one written. Stops at the first that
    /// fails: it and all after it stay, in order, since the next write would most likely meet
    /// the same fault (and on SQLite wait out the same busy timeout).
    [[nodiscard]] PendingFlush flush(ErrorJournal &journal);

    [[nodiscard]] const QList<JournalEntry> &entries() const { return m_entries; }
    [[nodiscard]] qsizetype size() const { return m_entries.size(); }
    [[nodiscard]] bool isEmpty() const { return m_entries.isEmpty(); }
    /// Entries dropped so far because the buffer was full.
    [[nodiscard]] qint64 dropped() const { return m_dropped; }

private:
    qsizetype m_capacity;
    QList<JournalEntry> m_entries;
    qint64 m_dropped = 0;
};

} // namespace gapless::ingest
