#pragma once

#include <QMetaType>
#include <QString>

namespace gapless {

/// The closed set of error codes (DOM-12); their text form is what crosses the wire.
enum class ErrorCode {
    BadRequest,
    Unauthorized,
    NotFound,
    Conflict,
    IdempotencyMismatch,
    InProgress,
    Capacity,
    TooLarge,
    RateLimited,
    Unavailable,
    Timeout,
    Internal,
};

[[nodiscard]] QString errorCodeName(ErrorCode code);
[[nodiscard]] bool errorCodeFromName(QStringView name, ErrorCode *code);

/// A failure: a code and a message of the form `<input>[:<position>]: <problem>; expected <what>` (DOM-13).
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;

    [[nodiscard]] QString codeName() const { return errorCodeName(code); }

    static Error badRequest(const QString &message) { return {ErrorCode::BadRequest, message}; }
    static Error notFound(const QString &message) { return {ErrorCode::NotFound, message}; }
    static Error conflict(const QString &message) { return {ErrorCode::Conflict, message}; }
    static Error unavailable(const QString &message) { return {ErrorCode::Unavailable, message}; }
    static Error unauthorized(const QString &message) { return {ErrorCode::Unauthorized, message}; }
    static Error internal(const QString &message) { return {ErrorCode::Internal, message}; }

    friend bool operator==(const Error &, const Error &) = default;
};

} // namespace gapless

Q_DECLARE_METATYPE(gapless::Error)
