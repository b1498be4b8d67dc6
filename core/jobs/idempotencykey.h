#pragma once

#include "core/domain/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace gapless::jobs {

/// One `idempotency_keys` row (IDEM-4).
struct KeyRow
{
    QString key;
    QString command;
    QString fingerprint;
    QString state; ///< in_progress, succeeded, failed
    std::optional<qint64> jobId;
    int nodeId = 0;
    QByteArray resultJson; ///< canonical JSON; empty = NULL
    QString errorCode;
    QString errorMessage;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    std::optional<qint64> expiresAtMs;

    /// The protocol and CLI form: column names, `job_id` as a decimal string (JOB-1),
    /// `result_json` as the JSON it holds, absent values as null.
    [[nodiscard]] QJsonObject toJson() const;
};

/// A request as IDEM-3 fingerprints it: the command name and its args as received.
struct KeyRequest
{
    QString key;
    QString command;
    QJsonObject args;

    /// IDEM-3: hex SHA-256 of the canonical JSON of {"args":ARGS,"name":NAME}.
    [[nodiscard]] QString fingerprint() const;
};

/// The IDEM-6 answer to a request under a key.
struct KeyDecision
{
    /// true: this request recorded the key (in_progress, committed) and must execute.
    bool execute = false;
    /// Otherwise the answer: cached data, or the stored, in_progress or mismatch error.
    Result<QJsonValue> answer = QJsonValue();
    /// Data of an error answer: {job_id|null} for in_progress, {command} for a mismatch.
    QJsonObject errorData;
    bool replayed = false;
};

/// IDEM-9: business errors keep the key (failed); system errors release it.
[[nodiscard]] bool isBusinessError(ErrorCode code);

/// `key`: 1–255 of [A-Za-z0-9._:-] (IDEM-2); bad_request naming the key otherwise.
[[nodiscard]] Result<void> checkKey(const QString &key);

/// JOB-1 ids travel as decimal strings; bad_request naming `field` unless a positive int64.
[[nodiscard]] Result<qint64> parseJobId(const QJsonValue &value, QStringView field = u"job_id");

} // namespace gapless::jobs
