#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace gapless::jobs {

/// One `jobs` row (JOB-5).
struct JobRow
{
    qint64 jobId = 0;
    QString kind;     ///< backfill, repair, verify, import, retry_error, review_resolve
    QString seriesId; ///< empty = NULL
    QByteArray argsJson = QByteArrayLiteral("{}"); ///< canonical (C-3)
    QString idempotencyKey; ///< empty = NULL
    int nodeId = 0;
    QString state = QStringLiteral("queued"); ///< queued, running, succeeded, failed, cancelled
    qint64 progressDone = 0;
    std::optional<qint64> progressTotal;
    QString progressUnit = QStringLiteral("rows"); ///< candles, buckets, rows, bytes
    QString progressNote;
    std::optional<qint64> heartbeatAtMs;
    qint64 attempts = 0;
    std::optional<qint64> nextAttemptAtMs;
    bool cancelRequested = false;
    qint64 createdAtMs = 0;
    std::optional<qint64> startedAtMs;
    std::optional<qint64> finishedAtMs;
    QString errorCode;
    QString errorMessage;
    QByteArray resultJson; ///< empty = NULL

    [[nodiscard]] bool isTerminal() const { return isTerminalState(state); }
    [[nodiscard]] static bool isTerminalState(const QString &state);
    /// JOB-9: every kind but verify writes its series.
    [[nodiscard]] bool writesSeries() const { return kind != QLatin1String("verify") && !seriesId.isEmpty(); }

    /// JOB-11 payload: the columns but args_json, job_id as a string, with
    /// progress{done,total,unit,note}, error{code,message} (null when none) and result.
    [[nodiscard]] QJsonObject toEventJson() const;
    /// jobs_list row: the event form plus `args` (the stored args_json as JSON).
    [[nodiscard]] QJsonObject toListJson() const;
};

/// JOB-5's closed sets.
[[nodiscard]] QStringList jobKinds();
[[nodiscard]] QStringList jobStates();

} // namespace gapless::jobs
