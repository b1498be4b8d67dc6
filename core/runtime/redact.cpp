#include "core/runtime/redact.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gapless {

QString redactUrl(const QString &url)
{
    QString out = url;
    const qsizetype sep = out.indexOf(u"://"_s);
    if (sep < 0)
        return out;
    const qsizetype start = sep + 3;
    qsizetype queryStart = out.indexOf(u'?', start);
    // The userinfo ends at the last '@' before the query: an unencoded password may hold '/'
    // or '@', and printing part of it would be worse than hiding a little too much.
    const qsizetype at = out.lastIndexOf(u'@', queryStart < 0 ? out.size() - 1 : queryStart - 1);
    if (at > start) {
        const qsizetype colon = out.indexOf(u':', start);
        if (colon >= 0 && colon < at - 1) {
            out.replace(colon + 1, at - colon - 1, u"***"_s);
            queryStart = out.indexOf(u'?', start);
        }
    }
    if (queryStart >= 0) {
        const QRegularExpression password(u"([?&]password=)[^&#]*"_s, QRegularExpression::CaseInsensitiveOption);
        out.replace(password, u"\\1***"_s);
    }
    return out;
}

} // namespace gapless
