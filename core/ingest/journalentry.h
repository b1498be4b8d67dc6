#pragma once

#include "core/domain/candle.h"
#include "core/domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace gapless::ingest {

/// One `ingest_errors` row (STORE-7): every column, as written and read back.
/// Empty `requestId`, `compensationError` and `rejectedJson` are NULL in the table.
struct JournalEntry
{
    qint64 id = 0; ///< assigned by ErrorJournal::append()
    qint64 atMs = 0;
    qint64 runId = 0;
    QString source; ///< journalSources()
    QString step;   ///< journalSteps()
    QString seriesId;
    QString requestId;
    std::optional<qint64> jobId;
    std::optional<qint64> firstTime;
    std::optional<qint64> lastTime;
    qint64 candleCount = 0;
    QString message; ///< journalMessage() (ING-9)
    bool compensated = false;
    bool overlayCompensated = false;
    qint64 candleCompensatedRows = 0;
    QString compensationError;
    QByteArray batchJson;    ///< batchJson(); empty is written as `[]`
    QByteArray rejectedJson; ///< ING-4 `[{index, time?, reasons}]` (canonical JSON), step validate only
    QString status = QStringLiteral("open"); ///< journalStatuses()
    std::optional<qint64> retryOf;
    std::optional<qint64> resolvedByRun;
    std::optional<qint64> resolvedAtMs;

    /// The protocol and CLI form (`ingest_error`, `errors list --json`): column names as keys,
    /// absent values as null, `*_json` columns as the JSON they hold and `job_id` as a decimal
    /// string (PROTO-2). `batch_json` only `withBatch`: the `ingest_error` frame leaves it out.
    [[nodiscard]] QJsonObject toJson(bool withBatch) const;

    friend bool operator==(const JournalEntry &, const JournalEntry &) = default;
};

/// A journal row for a failure outside any run (a REST fetch or a stream message, step
/// `fetch`, SRC-7/SRC-8): source `backfill` or `live`, the series, the message and, for a REST
/// window, its first and last slot (what BF-23 fetches again).
[[nodiscard]] JournalEntry fetchFailureEntry(qint64 atMs, const QString &source, const QString &seriesId,
                                             const QString &message, std::optional<qint64> firstTime = {},
                                             std::optional<qint64> lastTime = {});

/// STORE-7's closed sets, in SPEC order.
[[nodiscard]] QStringList journalSources();
[[nodiscard]] QStringList journalSteps();
[[nodiscard]] QStringList journalStatuses();

/// Checks `source`, `step` and `status` against STORE-7. A bad value is a bug in the caller:
/// an internal error naming the field, and the entry must not be written.
[[nodiscard]] Result<void> validateJournalEntry(const JournalEntry &entry);

/// `[[t,o,h,l,c,v],…]` in canonical JSON (C-3, ING-9): times as integers, prices and volumes
/// in shortest round-trip form, so candlesFromBatchJson() gives back the same doubles.
[[nodiscard]] QByteArray batchJson(const CandleList &candles);

/// The inverse of batchJson() (ING-11 re-runs a row's batch). Anything but an array of
/// six-number arrays with an integral time in [0, 10^11) is bad_request naming the element
/// (from 1) and what was wrong.
[[nodiscard]] Result<CandleList> candlesFromBatchJson(QByteArrayView json);

/// The ING-9 message: `ingest <step> failed for <series_id> [<first>..<last>, <n> candles]:
/// <cause>`, then `; candles undone: <n>` if candlesUndone > 0, `; factor undone` if
/// factorUndone and `; compensation error: <text>` if compensationError is not empty.
/// Without a first and last time the bracket is `[<n> candles]`.
[[nodiscard]] QString journalMessage(const QString &step, const QString &seriesId, std::optional<qint64> firstTime,
                                     std::optional<qint64> lastTime, qint64 candleCount, const QString &cause,
                                     qint64 candlesUndone = 0, bool factorUndone = false,
                                     const QString &compensationError = {});

/// The same from an entry's columns (step, series, times, count, ING-8 compensation fields).
[[nodiscard]] QString journalMessage(const JournalEntry &entry, const QString &cause);

} // namespace gapless::ingest
