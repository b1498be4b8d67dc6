#include "core/sources/replay/replayfaultspec.h"

#include "core/runtime/settingvalue.h"

#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

enum class Value { Duration, PositiveDuration, Count, Natural, Flag, Status, Target };

struct KindRule
{
    ReplayFaultKind kind;
    QStringView name;
    QStringView keys; ///< comma-separated, in the order the table of SRC-18 names them
};

constexpr std::array<KindRule, 10> kKinds{{
    {ReplayFaultKind::Disconnect, u"disconnect", u"every,for,notice"},
    {ReplayFaultKind::Stall, u"stall", u"every,for"},
    {ReplayFaultKind::Drop, u"drop", u"every"},
    {ReplayFaultKind::Hole, u"hole", u"every,len"},
    {ReplayFaultKind::Http429, u"http429", u"every,retry_after"},
    {ReplayFaultKind::Http5xx, u"http5xx", u"every,status"},
    {ReplayFaultKind::Latency, u"latency", u"min,max"},
    {ReplayFaultKind::Malformed, u"malformed", u"every,target"},
    {ReplayFaultKind::Weights, u"weights", u"limit,ban_after"},
    {ReplayFaultKind::Cutoff, u"cutoff", u"after"},
}};

const KindRule *findKind(QStringView name)
{
    for (const KindRule &rule : kKinds) {
        if (rule.name == name)
            return &rule;
    }
    return nullptr;
}

QString kindNames()
{
    QStringList names;
    for (const KindRule &rule : kKinds)
        names << rule.name.toString();
    return names.join(u", "_s);
}

Value valueType(ReplayFaultKind kind, QStringView key)
{
    if (key == u"every")
        return kind == ReplayFaultKind::Disconnect || kind == ReplayFaultKind::Stall ? Value::PositiveDuration
                                                                                       : Value::Count;
    if (key == u"for" || key == u"min" || key == u"max")
        return Value::Duration;
    if (key == u"after")
        return Value::PositiveDuration;
    if (key == u"notice")
        return Value::Flag;
    if (key == u"status")
        return Value::Status;
    if (key == u"target")
        return Value::Target;
    if (key == u"retry_after" || key == u"ban_after")
        return Value::Natural;
    return Value::Count; // len, limit
}

/// The value of one key as a number (durations in ms, flags 0/1, target stream 1), or the
/// `<problem>; expected <what>` part of the message.
Result<qint64> parseValue(Value type, QStringView key, QStringView text)
{
    const QString problem = u"%1 '%2'"_s.arg(key, text);
    switch (type) {
    case Value::Duration:
    case Value::PositiveDuration: {
        const Result<qint64> ms = parseReplayDuration(text);
        if (!ms)
            return Error::badRequest(problem + u": "_s + ms.error().message);
        if (type == Value::PositiveDuration && *ms <= 0)
            return Error::badRequest(problem + u" is zero; expected a duration above 0"_s);
        return *ms;
    }
    case Value::Flag:
        if (const std::optional<bool> flag = parseSettingBool(text))
            return qint64(*flag);
        return Error::badRequest(problem + u" is not a flag; expected true or false"_s);
    case Value::Target:
        if (text == u"rest" || text == u"stream")
            return qint64(text == u"stream");
        return Error::badRequest(problem + u" is unknown; expected rest or stream"_s);
    case Value::Status:
    case Value::Count:
    case Value::Natural:
        break;
    }
    const std::optional<qint64> n = parseSettingInt(text);
    if (type == Value::Status && (!n || *n < 500 || *n > 599))
        return Error::badRequest(problem + u" is not a 5xx status; expected an integer in [500, 599]"_s);
    if (type == Value::Count && (!n || *n < 1 || *n > std::numeric_limits<int>::max()))
        return Error::badRequest(problem + u" is not a count; expected an integer >= 1"_s);
    if (type == Value::Natural && (!n || *n < 0 || *n > std::numeric_limits<int>::max()))
        return Error::badRequest(problem + u" is not a whole number; expected an integer >= 0"_s);
    return *n;
}

void assign(ReplayFaultItem *item, QStringView key, qint64 value)
{
    const bool timed = item->kind == ReplayFaultKind::Disconnect || item->kind == ReplayFaultKind::Stall;
    if (key == u"every")
        (timed ? item->everyMs : item->everyCount) = value;
    else if (key == u"for")
        item->forMs = value;
    else if (key == u"notice")
        item->notice = value != 0;
    else if (key == u"len")
        item->len = value;
    else if (key == u"retry_after")
        item->retryAfterS = int(value);
    else if (key == u"status")
        item->status = int(value);
    else if (key == u"min")
        item->minMs = value;
    else if (key == u"max")
        item->maxMs = value;
    else if (key == u"target")
        item->streamTarget = value != 0;
    else if (key == u"limit")
        item->limit = value;
    else if (key == u"ban_after")
        item->banAfter = int(value);
    else if (key == u"after")
        item->afterMs = value;
}

/// The `KEY=VALUE,...` part of an item of kind `name` into `item`.
Result<void> parseKeys(ReplayFaultItem *item, QStringView name, const QStringList &allowed, QStringView keys)
{
    const QString expected = allowed.join(u", "_s);
    QStringList seen;
    for (const QStringView pair : keys.split(u',')) {
        const qsizetype eq = pair.indexOf(u'=');
        const QStringView key = (eq < 0 ? pair : pair.left(eq)).trimmed();
        if (eq < 0 || key.isEmpty())
            return Error::badRequest(u"'%1' is not KEY=VALUE; expected %2"_s.arg(pair.trimmed(), expected));
        if (!allowed.contains(key))
            return Error::badRequest(u"key '%1' is unknown for %2; expected %3"_s.arg(key, name, expected));
        if (seen.contains(key))
            return Error::badRequest(u"key '%1' is given twice; expected each key once"_s.arg(key));
        seen << key.toString();
        const Result<qint64> value = parseValue(valueType(item->kind, key), key, pair.mid(eq + 1).trimmed());
        if (!value)
            return value.error();
        assign(item, key, *value);
    }
    // latency:min=X alone means exactly X.
    if (item->kind == ReplayFaultKind::Latency && !seen.contains(u"max"_s))
        item->maxMs = item->minMs;
    return {};
}

/// One item, or the `<problem>; expected <what>` part of its message.
Result<ReplayFaultItem> parseItem(QStringView text)
{
    const qsizetype colon = text.indexOf(u':');
    const QStringView name = (colon < 0 ? text : text.left(colon)).trimmed();
    const KindRule *rule = findKind(name);
    if (!rule)
        return Error::badRequest(u"kind '%1' is unknown; expected one of %2"_s.arg(name, kindNames()));
    ReplayFaultItem item;
    item.kind = rule->kind;
    item.text = text.toString();
    if (colon >= 0) {
        const Result<void> keys = parseKeys(&item, name, rule->keys.toString().split(u','), text.mid(colon + 1));
        if (!keys)
            return keys.error();
    }
    if (item.minMs > item.maxMs)
        return Error::badRequest(
            u"min %1 ms is above max %2 ms; expected min <= max"_s.arg(item.minMs).arg(item.maxMs));
    return item;
}

} // namespace

QString replayFaultKindName(ReplayFaultKind kind)
{
    for (const KindRule &rule : kKinds) {
        if (rule.kind == kind)
            return rule.name.toString();
    }
    return QString();
}

bool ReplayFaultItem::isStanding() const
{
    return kind == ReplayFaultKind::Latency || kind == ReplayFaultKind::Weights || kind == ReplayFaultKind::Cutoff;
}

Result<qint64> parseReplayDuration(QStringView text)
{
    qsizetype digits = 0;
    while (digits < text.size() && text.at(digits).isDigit() && text.at(digits).unicode() < 128)
        ++digits;
    const QStringView unit = text.mid(digits);
    qint64 scale = 0;
    if (unit == u"ms")
        scale = 1;
    else if (unit == u"s")
        scale = 1000;
    else if (unit == u"m")
        scale = 60 * 1000;
    else if (unit == u"h")
        scale = 3600 * 1000;
    bool ok = false;
    const qint64 n = text.left(digits).toLongLong(&ok);
    if (digits == 0 || !ok || scale == 0 || n > std::numeric_limits<qint64>::max() / scale)
        return Error::badRequest(u"not a duration; expected N followed by ms, s, m or h (e.g. 30s)"_s);
    return n * scale;
}

Result<QList<ReplayFaultItem>> parseReplayFaults(QStringView spec, const QString &input)
{
    QList<ReplayFaultItem> items;
    if (spec.trimmed().isEmpty())
        return items;
    const QList<QStringView> parts = spec.split(u';');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QStringView text = parts.at(i).trimmed();
        const QString where = u"%1 item %2 '%3': "_s.arg(input).arg(i + 1).arg(text);
        if (text.isEmpty())
            return Error::badRequest(where + u"empty; expected KIND[:KEY=VALUE,...]"_s);
        Result<ReplayFaultItem> item = parseItem(text);
        if (!item)
            return Error::badRequest(where + item.error().message);
        items.append(std::move(*item));
    }
    return items;
}

} // namespace gapless::sources
