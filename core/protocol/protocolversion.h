#pragma once

#include <QString>

#include <optional>

namespace gapless::protocol {

/// PROTO-3: bumped on any frame change, with a CHANGELOG.md entry; kMinProtocolVersion
/// rises only on a breaking change.
inline constexpr int kProtocolVersion = 1;
inline constexpr int kMinProtocolVersion = 1;

/// The WebSocket path of the market protocol (PROTO-1).
inline constexpr QStringView kMarketPath = u"/ws/market";

/// Every frame type of PROTO-1..6, grouped by direction.
enum class MessageType {
    // client -> server
    Subscribe,
    Unsubscribe,
    Watch,
    Unwatch,
    Command,
    // server -> client
    Hello,
    CandleClosed,
    CandleForming,
    CandlesBatch,
    Gap,
    Health,
    Progress,
    IngestError,
    Job,
    DebugEvent,
    Result,
    System,
    Error,
};

/// The wire name of a type: `subscribe`, `candle_closed`, `result` …
[[nodiscard]] QString messageTypeName(MessageType type);
[[nodiscard]] std::optional<MessageType> messageTypeFromName(QStringView name);
[[nodiscard]] bool isClientMessage(MessageType type);

/// The watch topics of PROTO-26.
enum class WatchTopic { Health, Progress, IngestErrors, Jobs, Debug };

[[nodiscard]] QString watchTopicName(WatchTopic topic);
[[nodiscard]] std::optional<WatchTopic> watchTopicFromName(QStringView name);

} // namespace gapless::protocol
