#include "core/ingest/pendingjournal.h"

#include "core/ingest/errorjournal.h"
#include "core/runtime/logging.h"

using namespace Qt::StringLiterals;

namespace gapless::ingest {

PendingJournal::PendingJournal(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(capacity, 1))
{
}

Result<void> PendingJournal::add(const JournalEntry &entry)
{
    if (auto ok = validateJournalEntry(entry); !ok)
        return ok;
    if (m_entries.size() >= m_capacity) {
        // OBS-5: a failure record that is lost is at least logged.
        qCCritical(lcIngest).noquote() << u"pending journal full at %1 rows; dropped the oldest: %2"_s.arg(
            QString::number(m_capacity), m_entries.constFirst().message);
        m_entries.removeFirst();
        ++m_dropped;
    }
    m_entries.append(entry);
    return {};
}

PendingFlush PendingJournal::flush(ErrorJournal &journal)
{
    PendingFlush result;
    qsizetype done = 0;
    for (; done < m_entries.size(); ++done) {
        auto id = journal.append(m_entries.at(done));
        if (!id) {
            result.error = id.error();
            break;
        }
        JournalEntry written = m_entries.at(done);
        written.id = *id;
        result.written.append(std::move(written));
    }
    m_entries.remove(0, done);
    return result;
}

} // namespace gapless::ingest
