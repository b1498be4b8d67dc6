#pragma once

#include "core/domain/candle.h"
#include "core/domain/gaps.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/store/storeurl.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <memory>
#include <optional>

namespace gapless::store {

/// How a store is opened. Read-only stores skip the writer lock (STORE-4).
struct StoreOptions
{
    bool readOnly = false;
    int busyTimeoutMs = 5000;
    int nodeId = 0;
    /// JOB-2 (PostgreSQL writers): hold the advisory lock of `nodeId` for the connection's
    /// life, so a second live core with the same node_id cannot open the database.
    bool holdNodeLock = false;
    /// Create the SQLite file's directory when missing (the default location only).
    bool createDirectory = false;
};

/// Who changed a candle, for its `candle_revisions` row (STORE-7).
struct RevisionContext
{
    QString cause = QStringLiteral("import");
    qint64 runId = 0;
    std::optional<qint64> jobId;
    QString requestId;
    qint64 atMs = 0;
};

/// What an upsert did (STORE-8); inserted + updated + identical = batch size.
struct UpsertResult
{
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 identical = 0;
    QList<qint64> insertedTimes;
    QList<qint64> updatedTimes;
};

/// Every hole of a stored range (STORE-10) with the range's first and last stored time.
struct GapReport
{
    qint64 rows = 0;
    std::optional<qint64> firstTime;
    std::optional<qint64> lastTime;
    QList<Gap> gaps;
};

/// A stored series with its extent.
struct SeriesInfo
{
    SeriesId id;
    qint64 count = 0;
    std::optional<qint64> firstTime;
    std::optional<qint64> headTime;
};

/// The candle store (STORE-1): one interface, a SQLite and a PostgreSQL backend.
/// An instance belongs to the thread that opened it; its connection is used only there.
class CandleStore
{
public:
    virtual ~CandleStore() = default;

    /// Opens (and for writers migrates) the store at `url`; errors name the redacted URL (STORE-3).
    [[nodiscard]] static Result<std::unique_ptr<CandleStore>> open(const StoreUrl &url, const StoreOptions &options);

    [[nodiscard]] virtual const StoreUrl &url() const = 0;
    [[nodiscard]] virtual QSqlDatabase database() const = 0;
    /// `sql` prepared once per connection and kept until it closes or reconnects, for the
    /// statements other parts run on every request (IDEM-5): one round trip each on PostgreSQL
    /// instead of prepare, execute and deallocate. Bind, execute, read, then finish() it.
    [[nodiscard]] virtual Result<QSqlQuery *> prepared(const QString &sql) = 0;
    [[nodiscard]] virtual int schemaVersion() const = 0;

    // Transactions: SQLite `BEGIN IMMEDIATE`, PostgreSQL `BEGIN` (READ COMMITTED).
    [[nodiscard]] virtual Result<void> begin() = 0;
    [[nodiscard]] virtual Result<void> commit() = 0;
    [[nodiscard]] virtual Result<void> rollback() = 0;
    [[nodiscard]] virtual Result<void> savepoint(const QString &name) = 0;
    [[nodiscard]] virtual Result<void> rollbackTo(const QString &name) = 0;
    /// Closes and reopens the connection (ING-8: after a failed ROLLBACK). The writer lock
    /// stays held; prepared statements of other objects on this store become invalid.
    [[nodiscard]] virtual Result<void> reconnect() = 0;

    /// STORE-8, inside the caller's transaction; `candles` validated and strictly increasing.
    [[nodiscard]] virtual Result<UpsertResult> upsert(const SeriesId &series, const CandleList &candles,
                                                      const RevisionContext &context) = 0;

    /// STORE-9 reads; an unknown series is not_found.
    [[nodiscard]] virtual Result<CandleList> range(const SeriesId &series, qint64 from, qint64 to,
                                                   qint64 limit = -1) = 0;
    [[nodiscard]] virtual Result<CandleList> tail(const SeriesId &series, qint64 count) = 0;
    [[nodiscard]] virtual Result<CandleList> after(const SeriesId &series, qint64 time, qint64 limit) = 0;
    /// The newest `limit` candles older than `time`, ascending.
    [[nodiscard]] virtual Result<CandleList> before(const SeriesId &series, qint64 time, qint64 limit) = 0;
    [[nodiscard]] virtual Result<std::optional<qint64>> headTime(const SeriesId &series) = 0;
    /// STORE-10: every hole in [from, to], never truncated.
    [[nodiscard]] virtual Result<GapReport> gaps(const SeriesId &series, qint64 from, qint64 to) = 0;
    [[nodiscard]] virtual Result<QList<SeriesInfo>> seriesList() = 0;
    /// The stored series ids, sorted, without reading candles (cheap on a large store).
    [[nodiscard]] virtual Result<QList<SeriesId>> seriesIds() = 0;
    /// Whether the series has a `series` row; false is not an error.
    [[nodiscard]] virtual Result<bool> hasSeries(const SeriesId &series) = 0;
};

} // namespace gapless::store
