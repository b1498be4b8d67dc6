#include "core/store/storeurl.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace gapless::store {

namespace {

Error urlError(const QString &shown, const QString &problem)
{
    return Error::badRequest(u"store url '%1': %2; expected a file path, sqlite:///ABS/PATH or "
                             u"postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"_s.arg(shown, problem));
}

QString redactText(const QString &text)
{
    QUrl url(text);
    if (url.isValid() && !url.password().isEmpty()) {
        url.setPassword(u"***"_s);
        return url.toString();
    }
    return text;
}

} // namespace

Result<StoreUrl> StoreUrl::parse(const QString &text)
{
    const QString shown = redactText(text);
    if (text.trimmed().isEmpty())
        return urlError(shown, u"empty"_s);
    StoreUrl result;
    if (text.startsWith(u"sqlite:"_s)) {
        if (!text.startsWith(u"sqlite:///"_s))
            return urlError(shown, u"a sqlite URL needs an absolute path"_s);
        result.path = text.mid(9);
        return result;
    }
    if (text.startsWith(u"postgresql://"_s) || text.startsWith(u"postgres://"_s)) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid())
            return urlError(shown, url.errorString());
        result.kind = Kind::Postgresql;
        result.user = url.userName();
        result.password = url.password();
        result.host = url.host();
        result.port = url.port(5432);
        result.database = url.path().mid(1);
        if (result.user.isEmpty())
            return urlError(shown, u"no user"_s);
        if (result.host.isEmpty())
            return urlError(shown, u"no host"_s);
        if (result.database.isEmpty() || result.database.contains(u'/'))
            return urlError(shown, u"no database name"_s);
        if (url.hasQuery() || url.hasFragment())
            return urlError(shown, u"query or fragment not supported"_s);
        return result;
    }
    if (text.contains(u"://"_s))
        return urlError(shown, u"unknown scheme '%1'"_s.arg(text.section(u"://"_s, 0, 0)));
    result.path = text;
    return result;
}

QString StoreUrl::redacted() const
{
    if (kind == Kind::Sqlite)
        return path;
    QUrl url;
    url.setScheme(u"postgresql"_s);
    url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(u"***"_s);
    url.setHost(host);
    url.setPort(port);
    url.setPath(u'/' + database);
    return url.toString();
}

} // namespace gapless::store
