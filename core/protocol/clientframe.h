#pragma once

#include "core/domain/error.h"
#include "core/domain/seriesid.h"
#include "core/protocol/protocolversion.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace gapless::protocol {

/// One validated client frame (PROTO-1, PROTO-4 table). Only the fields of its type are set.
struct ClientFrame
{
    MessageType type = MessageType::Subscribe;
    SeriesId series;                 ///< subscribe, unsubscribe; watch/unwatch filter if hasSeries
    bool hasSeries = false;
    std::optional<qint64> since;     ///< subscribe: null/absent = tail
    bool supportsBatch = false;      ///< subscribe
    WatchTopic topic = WatchTopic::Health;
    QString requestId;               ///< command
    QString name;                    ///< command
    QJsonValue args;                 ///< command, as received: absent = undefined (= {}), else checked by the command
    std::optional<QString> idempotencyKey; ///< command (IDEM-2)
};

/// A rejected frame: the `error` frame's code and message, with the series id or request id
/// when the frame carried a usable one (PROTO-7).
struct FrameRejection
{
    Error error;
    QString seriesId;
    QString requestId;
};

/// What decodeClientFrame made of a frame: exactly one of the two is set.
struct DecodedFrame
{
    std::optional<ClientFrame> frame;
    std::optional<FrameRejection> rejection;
};

/// Validates a text frame by the PROTO-7 table, first failing row first. A frame longer than
/// `maxFrameBytes` is too_large and not parsed.
[[nodiscard]] DecodedFrame decodeClientFrame(const QByteArray &utf8, qint64 maxFrameBytes);

/// PROTO-7 for a binary frame: always bad_request.
[[nodiscard]] FrameRejection binaryFrameRejection();

/// The frame a client sends; `v` is always set (protocol::Client).
[[nodiscard]] QJsonObject encodeClientFrame(const ClientFrame &frame);

/// `<field>: got <json>; expected <what>` (DOM-13) with the value shortened to fit one line.
[[nodiscard]] QString gotExpected(QStringView field, const QJsonValue &value, QStringView expected);

/// A request_id or idempotency key: 1..maxLength characters of `[A-Za-z0-9._:-]` (PROTO-4, IDEM-2).
[[nodiscard]] bool isValidToken(QStringView text, qsizetype maxLength);

} // namespace gapless::protocol
