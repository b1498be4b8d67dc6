#pragma once

#include "core/domain/candle.h"
#include "core/domain/error.h"
#include "core/domain/result.h"
#include "core/domain/seriesid.h"
#include "core/protocol/protocolversion.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace gapless::protocol {

/// The limits announced in `hello` (PROTO-4).
struct HelloInfo
{
    QString serverVersion;
    qint64 maxFrameBytes = 0;
    int maxSubscriptions = 0;
    int catchupLimit = 0;
    int heartbeatS = 20;
    qint64 serverTimeS = 0;
    int nodeId = 0;
};

/// The server → client frames of PROTO-4/5; each carries `type` and `v`. The codec builds JSON
/// and never sees a socket.
namespace serverframe {

[[nodiscard]] QJsonObject candleJson(const Candle &candle);
[[nodiscard]] QJsonArray candlesJson(const Candle *first, qsizetype count);

[[nodiscard]] QJsonObject hello(const HelloInfo &info);
[[nodiscard]] QJsonObject candleClosed(const SeriesId &series, const Candle &candle);
[[nodiscard]] QJsonObject candleForming(const SeriesId &series, const Candle &candle);
/// `count` consecutive candles from `first` (PROTO-17).
[[nodiscard]] QJsonObject candlesBatch(const SeriesId &series, const Candle *first, qsizetype count);
/// The same frame's text, written directly: the bytes text(candlesBatch(…)) gives, without a
/// JSON value per candle (PERF-4).
[[nodiscard]] QByteArray candlesBatchText(const SeriesId &series, const Candle *first, qsizetype count);
[[nodiscard]] QJsonObject gap(const SeriesId &series, qint64 expectedNextTime, qint64 actualTime, qint64 missingBars,
                              bool healed);
/// `system` with `event`, `series_id` (null when `series` is invalid), `message` and `data`.
[[nodiscard]] QJsonObject system(const QString &event, const SeriesId &series, const QString &message,
                                 const QJsonObject &data);
/// A frame whose fields sit at the top level (health, progress, ingest_error, job, debug_event).
[[nodiscard]] QJsonObject flat(MessageType type, const QJsonObject &fields);
[[nodiscard]] QJsonObject result(const QString &requestId, const QJsonValue &data, bool replayed = false);
[[nodiscard]] QJsonObject failure(const QString &requestId, const Error &error, const QJsonObject &data = {});
/// The one place an Error becomes an `error` frame (STYLE §4).
[[nodiscard]] QJsonObject error(const Error &error, const QString &seriesId = {}, const QString &requestId = {});

/// Compact UTF-8 text for the socket.
[[nodiscard]] QByteArray text(const QJsonObject &frame);

} // namespace serverframe

/// A frame on its way to the socket: a JSON object, or the text of one the codec wrote
/// directly (a candle batch). Both give the same bytes.
class OutFrame
{
public:
    /// Implicit, so every frame builder's object goes where an OutFrame is expected.
    OutFrame(QJsonObject json) : m_json(std::move(json)) {}
    [[nodiscard]] static OutFrame fromText(QByteArray text);

    [[nodiscard]] QByteArray text() const;
    /// The frame as a JSON object; a text frame is parsed for it (tests and logs).
    [[nodiscard]] QJsonObject json() const;

private:
    OutFrame() = default;

    QJsonObject m_json;
    QByteArray m_text;
};

/// A server frame as a client reads it: its type and fields. The candle helpers validate.
struct ServerFrame
{
    MessageType type = MessageType::Error;
    QJsonObject json;
};

/// Parses a server frame: invalid JSON, a non-object, or an unknown or client-only type is
/// bad_request naming the problem.
[[nodiscard]] Result<ServerFrame> decodeServerFrame(const QByteArray &utf8);
/// A DOM-5 candle object: integral `time`, finite numbers.
[[nodiscard]] Result<Candle> candleFromJson(const QJsonValue &value);
[[nodiscard]] Result<CandleList> candlesFromJson(const QJsonValue &value);

} // namespace gapless::protocol
