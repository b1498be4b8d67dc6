#include "core/ingest/journalwriter.h"

#include "core/runtime/eventlog.h"
#include "core/store/candlestore.h"

using namespace Qt::StringLiterals;

namespace gapless::ingest {

namespace {

const QString kJournalStep = u"journal_step"_s;

} // namespace

JournalWriter::JournalWriter(store::CandleStore &store, Failpoints &failpoints, EventLog &log)
    : m_store(store)
    , m_log(log)
    , m_journal(store, failpoints)
{
}

std::optional<qint64> JournalWriter::write(const JournalEntry &entry, bool inTransaction)
{
    Result<qint64> id = Error::internal(u"journal: not written"_s);
    if (inTransaction) {
        if (auto ok = m_store.savepoint(kJournalStep); !ok) {
            id = ok.error();
        } else {
            id = m_journal.append(entry);
            if (!id)
                (void)m_store.rollbackTo(kJournalStep);
        }
    } else if (auto ok = m_store.begin(); !ok) {
        id = ok.error();
    } else {
        id = m_journal.append(entry);
        const Result<void> done = id ? m_store.commit() : m_store.rollback();
        if (id && !done) {
            (void)m_store.rollback();
            id = done.error();
        }
    }
    if (id)
        return *id;
    (void)m_pending.add(entry);
    m_log.add(u"journal.write_failed");
    m_log.record(u"journal.write_failed"_s, u"critical"_s, entry.seriesId, entry.runId,
                 {{u"error"_s, id.error().message}, {u"message"_s, entry.message}});
    return std::nullopt;
}

QList<JournalEntry> JournalWriter::flush()
{
    if (m_pending.isEmpty())
        return {};
    // Outside any transaction each row commits on its own, so a written row is never lost.
    return m_pending.flush(m_journal).written;
}

} // namespace gapless::ingest
