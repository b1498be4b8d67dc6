#include "core/runtime/settingvalue.h"

#include "core/domain/seriesid.h"
#include "core/domain/timeframe.h"
#include "core/runtime/failpoint.h"
#include "core/runtime/redact.h"
#include "core/runtime/settingspec.h"

#include <QHostAddress>
#include <QSet>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

bool isDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

bool isHostName(QStringView host)
{
    if (host.isEmpty())
        return false;
    for (const QChar c : host) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'.' ||
                        c == u'-' || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

// `HOST[:PORT]` inside a URL: the port is optional, and 0 is no port to connect to.
bool isHostWithOptionalPort(QStringView text)
{
    const bool hasPort = text.startsWith(u'[') ? text.contains(u"]:") : text.contains(u':');
    if (!hasPort)
        return parseHostPort(QString(text + u":1"_s)).has_value();
    const auto hostPort = parseHostPort(text);
    return hostPort && hostPort->port > 0;
}

bool isStoreUrl(QStringView text)
{
    if (text.isEmpty())
        return false;
    const qsizetype sep = text.indexOf(u"://");
    if (sep < 0)
        return true; // a plain path (STORE-2)
    const QString scheme = text.first(sep).toString().toLower();
    const QStringView rest = text.sliced(sep + 3);
    if (scheme == u"sqlite")
        return rest.size() > 1 && rest.startsWith(u'/');
    if (scheme != u"postgresql" && scheme != u"postgres")
        return false;
    // USER[:PASSWORD]@HOST[:PORT]/DB; the password may hold '@', so split at the last one.
    const qsizetype at = rest.lastIndexOf(u'@');
    if (at <= 0 || rest.first(at).startsWith(u':'))
        return false;
    const QStringView after = rest.sliced(at + 1);
    const qsizetype slash = after.indexOf(u'/');
    if (slash <= 0 || slash == after.size() - 1)
        return false;
    return isHostWithOptionalPort(after.first(slash));
}

bool isNetworkUrl(QStringView text, QStringView plainScheme, QStringView secureScheme)
{
    const QUrl url(text.toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return false;
    const QString scheme = url.scheme();
    return scheme == plainScheme || scheme == secureScheme;
}

bool isOrigin(QStringView text)
{
    const QUrl url(text.toString(), QUrl::StrictMode);
    return url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty() && url.path().isEmpty() &&
           url.userInfo().isEmpty() && !url.hasQuery() && !url.hasFragment();
}

bool isToken(QStringView text, qint64 minLength)
{
    if (text.isEmpty())
        return true;
    if (text.size() < minLength)
        return false;
    // The token travels in an HTTP header (SEC-1): visible ASCII only.
    for (const QChar c : text) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

bool isChoice(QStringView text, QStringView choices)
{
    for (const QStringView choice : choices.split(u',')) {
        if (choice == text)
            return true;
    }
    return false;
}

template<typename Check>
bool allItems(QStringView text, Check check)
{
    for (const QString &item : parseSettingList(text)) {
        if (item.isEmpty() || !check(item))
            return false;
    }
    return true;
}

bool isPolicyList(QStringView text)
{
    QSet<QString> seen;
    return allItems(text, [&](const QString &item) {
        // Series ids may hold '=' (DOM-2), the policy never does: split at the last one.
        const qsizetype eq = item.lastIndexOf(u'=');
        if (eq <= 0)
            return false;
        const auto series = SeriesId::parse(QStringView(item).first(eq));
        if (!series || !isChoice(QStringView(item).sliced(eq + 1).trimmed(), u"source_wins,local_wins,manual_review"))
            return false;
        if (seen.contains(series->toString()))
            return false;
        seen.insert(series->toString());
        return true;
    });
}

} // namespace

std::optional<bool> parseSettingBool(QStringView text)
{
    const QString word = text.trimmed().toString().toLower();
    if (word == u"1" || word == u"true" || word == u"yes" || word == u"on")
        return true;
    if (word == u"0" || word == u"false" || word == u"no" || word == u"off")
        return false;
    return std::nullopt;
}

std::optional<qint64> parseSettingInt(QStringView text)
{
    const QStringView t = text.trimmed();
    if (!isDigits(t.startsWith(u'-') ? t.sliced(1) : t))
        return std::nullopt;
    bool ok = false;
    const qint64 value = t.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

QStringList parseSettingList(QStringView text)
{
    QStringList items;
    if (text.trimmed().isEmpty())
        return items;
    for (const QStringView item : text.split(u','))
        items << item.trimmed().toString();
    return items;
}

std::optional<HostPort> parseHostPort(QStringView text)
{
    const QStringView t = text.trimmed();
    const qsizetype colon = t.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    QStringView host = t.first(colon);
    const QStringView port = t.sliced(colon + 1);
    if (!isDigits(port) || port.size() > 5 || port.toInt() > 65535)
        return std::nullopt;
    if (host.startsWith(u'[')) {
        if (!host.endsWith(u']'))
            return std::nullopt;
        host = host.sliced(1, host.size() - 2);
        if (QHostAddress(host.toString()).protocol() != QAbstractSocket::IPv6Protocol)
            return std::nullopt;
    } else if (!isHostName(host)) {
        return std::nullopt;
    }
    return HostPort{host.toString(), static_cast<quint16>(port.toInt())};
}

bool isValidSettingValue(const SettingSpec &spec, QStringView text)
{
    const QStringView t = text.trimmed();
    switch (spec.type) {
    case SettingType::Bool:
        return parseSettingBool(t).has_value();
    case SettingType::Int: {
        const auto value = parseSettingInt(t);
        return value && *value >= spec.min && *value <= spec.max;
    }
    case SettingType::String: {
        const qsizetype length = t.toUcs4().size();
        return length >= spec.min && length <= spec.max;
    }
    case SettingType::Token:
        return isToken(t, spec.min);
    case SettingType::StoreUrl:
        return isStoreUrl(t);
    case SettingType::HttpUrl:
        return isNetworkUrl(t, u"http", u"https");
    case SettingType::WsUrl:
        return isNetworkUrl(t, u"ws", u"wss");
    case SettingType::HostPort:
        return parseHostPort(t).has_value();
    case SettingType::Enum:
        return isChoice(t, spec.choices);
    case SettingType::TimeframeList:
        return allItems(t, [](const QString &item) {
            const auto tf = Timeframe::parse(item);
            return tf && tf->seconds() > 60; // rolled up from 1m (DOM-11: T > b)
        });
    case SettingType::SeriesList:
        return allItems(t, [](const QString &item) { return SeriesId::parse(item).ok(); });
    case SettingType::PathList:
        return allItems(t, [](const QString &) { return true; });
    case SettingType::OriginList:
        return allItems(t, [](const QString &item) { return isOrigin(item); });
    case SettingType::PolicyList:
        return isPolicyList(t);
    case SettingType::Failpoints:
        return parseFailpoints(t).ok();
    }
    return false;
}

QString displaySettingValue(const SettingSpec &spec, const QString &value)
{
    if (spec.type == SettingType::StoreUrl)
        return redactUrl(value);
    if (spec.isSecret() && !value.isEmpty())
        return u"***"_s;
    return value;
}

Error settingValueError(const SettingSpec &spec, const QString &value, const QString &origin,
                        const QString &expectation)
{
    return Error::badRequest(u"setting %1 = \"%2\" (from %3): expected %4"_s.arg(
        spec.key, displaySettingValue(spec, value), origin,
        expectation.isEmpty() ? settingExpectation(spec) : expectation));
}

} // namespace gapless
