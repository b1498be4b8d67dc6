#pragma once

#include "core/domain/result.h"
#include "core/ingest/journalentry.h"

#include <QList>
#include <QString>

#include <optional>

namespace gapless {
class Failpoints;
}

namespace gapless::store {
class CandleStore;
}

namespace gapless::ingest {

/// Which rows ErrorJournal::list() returns (CLI-13, PROTO-26).
struct JournalFilter
{
    std::optional<QString> seriesId;          ///< canonical id; none: every series
    QString status = QStringLiteral("open");  ///< open, retried, resolved or all
    int limit = 100;                          ///< 1..kMaxListLimit
    std::optional<qint64> beforeId;           ///< only ids below this, for paging

    static constexpr int kMaxListLimit = 100000;
};

/// A status outside open, retried, resolved and all, or a limit outside [1, kMaxListLimit], is
/// bad_request naming it (`status 'x': …`, `limit 0: …`).
[[nodiscard]] Result<void> checkJournalFilter(const JournalFilter &filter);

/// The `ingest_errors` table (STORE-7, ING-9, ING-11, CLI-13). Uses the store's connection on
/// the store's thread, inside the caller's transaction if one is open (ING-9: the row commits
/// with what the run keeps), else each write commits alone.
class ErrorJournal final
{
public:
    explicit ErrorJournal(store::CandleStore &store);
    /// Also hits the `journal.write` failpoint (OBS-6) before each append(), so a pending row
    /// flushed later meets the same fault as the first attempt.
    ErrorJournal(store::CandleStore &store, Failpoints &failpoints);
    Q_DISABLE_COPY_MOVE(ErrorJournal)

    /// Writes `entry` (its `id` is ignored) and returns the new id. An entry failing
    /// validateJournalEntry() is an internal error and nothing is written.
    [[nodiscard]] Result<qint64> append(const JournalEntry &entry);
    /// An unknown id is not_found.
    [[nodiscard]] Result<JournalEntry> get(qint64 id);
    /// Newest first (by id). A bad status or limit is bad_request.
    [[nodiscard]] Result<QList<JournalEntry>> list(const JournalFilter &filter);
    /// ING-11 success: status `resolved` with the resolving run and time. Unknown → not_found;
    /// already resolved → conflict.
    [[nodiscard]] Result<void> markResolved(qint64 id, qint64 runId, qint64 atMs);
    /// ING-11 failure: status `retried` (again is a no-op). Unknown → not_found; resolved → conflict.
    [[nodiscard]] Result<void> markRetried(qint64 id);
    /// Rows with status `open` (the `ingest_errors.open` gauge, OBS-4).
    [[nodiscard]] Result<qint64> openCount();

private:
    [[nodiscard]] Result<void> setStatus(qint64 id, const QString &status, std::optional<qint64> runId,
                                         std::optional<qint64> atMs);
    [[nodiscard]] QString context() const;

    store::CandleStore &m_store;
    Failpoints *m_failpoints = nullptr;
};

} // namespace gapless::ingest
