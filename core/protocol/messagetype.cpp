#include "core/protocol/protocolversion.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

constexpr std::array kTypeNames{
    std::pair{MessageType::Subscribe, u"subscribe"},
    std::pair{MessageType::Unsubscribe, u"unsubscribe"},
    std::pair{MessageType::Watch, u"watch"},
    std::pair{MessageType::Unwatch, u"unwatch"},
    std::pair{MessageType::Command, u"command"},
    std::pair{MessageType::Hello, u"hello"},
    std::pair{MessageType::CandleClosed, u"candle_closed"},
    std::pair{MessageType::CandleForming, u"candle_forming"},
    std::pair{MessageType::CandlesBatch, u"candles_batch"},
    std::pair{MessageType::Gap, u"gap"},
    std::pair{MessageType::Health, u"health"},
    std::pair{MessageType::Progress, u"progress"},
    std::pair{MessageType::IngestError, u"ingest_error"},
    std::pair{MessageType::Job, u"job"},
    std::pair{MessageType::DebugEvent, u"debug_event"},
    std::pair{MessageType::Result, u"result"},
    std::pair{MessageType::System, u"system"},
    std::pair{MessageType::Error, u"error"},
};

constexpr std::array kTopicNames{
    std::pair{WatchTopic::Health, u"health"},
    std::pair{WatchTopic::Progress, u"progress"},
    std::pair{WatchTopic::IngestErrors, u"ingest_errors"},
    std::pair{WatchTopic::Jobs, u"jobs"},
    std::pair{WatchTopic::Debug, u"debug"},
};

template <typename Table, typename Key>
QString nameOf(const Table &table, Key key)
{
    for (const auto &[k, name] : table) {
        if (k == key)
            return QString::fromUtf16(name);
    }
    return {};
}

template <typename Key, typename Table>
std::optional<Key> keyOf(const Table &table, QStringView name)
{
    for (const auto &[k, n] : table) {
        if (name == QStringView(n))
            return k;
    }
    return std::nullopt;
}

} // namespace

QString messageTypeName(MessageType type)
{
    return nameOf(kTypeNames, type);
}

std::optional<MessageType> messageTypeFromName(QStringView name)
{
    return keyOf<MessageType>(kTypeNames, name);
}

bool isClientMessage(MessageType type)
{
    return type <= MessageType::Command;
}

QString watchTopicName(WatchTopic topic)
{
    return nameOf(kTopicNames, topic);
}

std::optional<WatchTopic> watchTopicFromName(QStringView name)
{
    return keyOf<WatchTopic>(kTopicNames, name);
}

} // namespace gapless::protocol
